"""`confide audit verify` passes an untouched log and names the first entry an attacker edited, deleted, reordered
or forged, exiting 1."""

from __future__ import annotations

from confide.audit.chain import GENESIS
from confide.audit.models import AuditEntry
from tests.audit.conftest import Tamper, Verify


def _mac(seq: int) -> str:
    return AuditEntry.objects.get(seq=seq).mac


def test_untouched_log_verifies(five_entries: list[int], run_verify: Verify) -> None:
    entries = AuditEntry.objects.count()
    status, printed = run_verify()
    assert status == 0
    assert f"OK: {entries} entries verified" in printed


def test_empty_log_verifies(db: None, run_verify: Verify) -> None:
    status, printed = run_verify()
    assert (status, printed.strip()) == (0, "OK: 0 entries verified")


def test_edited_field_is_named(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    signed = five_entries[2]
    tamper(("UPDATE audit_auditentry SET actor_username = %s WHERE seq = %s", ["chen", signed]))
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{signed} (confide.progress_note.signed, " in printed
    assert "contents were changed" in printed


def test_edited_outcome_of_a_denial_is_named(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    denied = five_entries[3]
    tamper(("UPDATE audit_auditentry SET outcome = 'ok' WHERE seq = %s", [denied]))
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{denied} (confide.progress_note.read, " in printed


def test_edited_time_is_named(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    viewed = five_entries[0]
    entry = AuditEntry.objects.get(seq=viewed)
    tamper(("UPDATE audit_auditentry SET at = %s WHERE seq = %s", [entry.at.replace(year=2020), viewed]))
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{viewed} (confide.client.viewed, 2020-" in printed


def test_deleted_middle_entry_is_named(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    gone = five_entries[1]
    tamper(("DELETE FROM audit_auditentry WHERE seq = %s", [gone]))
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{gone + 1} (confide.progress_note.signed, " in printed
    assert f"entries are missing before it (#{gone})" in printed


def test_deleted_first_entry_is_named(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    tamper("DELETE FROM audit_auditentry WHERE seq = 1")
    status, printed = run_verify()
    assert status == 1
    assert "BROKEN: entry #2 " in printed
    assert "missing before it (#1)" in printed


def test_swapped_entries_are_named(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    first, second = five_entries[1], five_entries[2]
    tamper(
        ("UPDATE audit_auditentry SET seq = -1 WHERE seq = %s", [first]),
        ("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [first, second]),
        ("UPDATE audit_auditentry SET seq = %s WHERE seq = -1", [second]),
    )
    status, printed = run_verify()
    assert status == 1
    # The signed entry now sits at the created entry's place: the first place where the story no longer holds.
    assert f"BROKEN: entry #{first} (confide.progress_note.signed, " in printed


def test_swapped_entries_with_relinked_macs_are_named(
    five_entries: list[int], tamper: Tamper, run_verify: Verify
) -> None:
    # A cleverer attacker also swaps the stored links; the MACs, which need the key, still give it away.
    first, second = five_entries[1], five_entries[2]
    before, first_mac = _mac(first - 1), _mac(first)
    tamper(
        ("UPDATE audit_auditentry SET seq = -1 WHERE seq = %s", [first]),
        ("UPDATE audit_auditentry SET seq = %s, prev_mac = %s WHERE seq = %s", [first, before, second]),
        ("UPDATE audit_auditentry SET seq = %s, prev_mac = %s WHERE seq = -1", [second, first_mac]),
    )
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{first} (confide.progress_note.signed, " in printed
    assert "contents were changed" in printed


def test_forged_entry_at_the_end_is_named(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    last = five_entries[-1]
    forged = [last + 1, "confide.progress_note.read", "ok", "chen", 7, "", "", "", "{}", _mac(last), "f" * 64]
    tamper(
        (
            "INSERT INTO audit_auditentry (seq, at, action, outcome, actor_username, client_id, object_type,"
            " object_id, ip, detail, prev_mac, mac, actor_id) VALUES (%s, CURRENT_TIMESTAMP, %s, %s, %s, %s, %s,"
            " %s, %s, %s, %s, %s, NULL)",
            forged,
        )
    )
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{last + 1} (confide.progress_note.read, " in printed
    assert "contents were changed" in printed


def test_forged_entry_in_the_middle_is_named(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    # Room is made by renumbering everything after the signed note, then a forged read slips in behind it.
    signed = five_entries[2]
    forged = [signed + 1, "confide.progress_note.read", "ok", "chen", 7, "", "", "", "{}", _mac(signed), "0" * 64]
    tamper(
        ("UPDATE audit_auditentry SET seq = -(seq + 1) WHERE seq > %s", [signed]),
        "UPDATE audit_auditentry SET seq = -seq WHERE seq < 0",
        (
            "INSERT INTO audit_auditentry (seq, at, action, outcome, actor_username, client_id, object_type,"
            " object_id, ip, detail, prev_mac, mac, actor_id) VALUES (%s, CURRENT_TIMESTAMP, %s, %s, %s, %s, %s,"
            " %s, %s, %s, %s, %s, NULL)",
            forged,
        ),
    )
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{signed + 1} (confide.progress_note.read, " in printed


def test_chain_restarted_from_genesis_is_named(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    tamper(("UPDATE audit_auditentry SET prev_mac = %s WHERE seq = %s", [GENESIS, five_entries[0]]))
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{five_entries[0]} (confide.client.viewed, " in printed
    assert "link to the previous entry is broken" in printed


def test_entries_written_under_another_key_are_named(
    five_entries: list[int], settings: object, run_verify: Verify
) -> None:
    settings.AUDIT_HMAC_KEY = "a key the server never had"  # type: ignore[attr-defined]
    status, printed = run_verify()
    assert status == 1
    assert "BROKEN: entry #1 " in printed
