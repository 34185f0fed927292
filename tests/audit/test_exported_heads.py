"""`confide audit export-head` sends the newest entry, signed, off the server (a file kept elsewhere, syslog);
`confide audit verify --heads FILE` holds the log to every head ever exported: a head beyond the log's end is a log
cut back, a head whose MAC differs is history rewritten — even by someone holding the key and the anchor file."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from confide.audit import services
from confide.audit.chain import canonical_stored_at, canonical_values, mac_of
from confide.audit.heads import ExportedHead, HeadsUnreadable, parse_line, read_heads
from confide.audit.models import AuditEntry
from confide.audit.services import record
from confide.people.models import User
from tests.audit.conftest import Tamper, Verify


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", "export-head", *args, stdout=out)
    return out.getvalue()


def newest() -> AuditEntry:
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    return entry


def test_each_export_appends_one_signed_line(five_entries: list[int], clinician: User, tmp_path: Path) -> None:
    heads = tmp_path / "offsite" / "heads.jsonl"
    first = newest()
    assert f"Exported head {first.seq}:{first.mac} to {heads}" in export("--to", str(heads))
    record("confide.client.viewed", actor=clinician, client_id=7)
    export("--to", str(heads))
    lines = heads.read_text().splitlines()
    assert len(lines) == 2
    assert heads.stat().st_mode & 0o777 == 0o600
    parsed = read_heads(heads, services.audit_key())
    assert [(head.seq, head.mac) for head in parsed] == [(first.seq, first.mac), (newest().seq, newest().mac)]
    assert parsed[0].action == first.action
    assert json.loads(lines[0])["exported_at"].endswith("Z")


@pytest.mark.parametrize("field", ["seq", "mac", "exported_at"])
def test_a_forged_or_altered_line_is_refused(
    five_entries: list[int], tmp_path: Path, run_verify: Verify, field: str
) -> None:
    heads = tmp_path / "heads.jsonl"
    export("--to", str(heads))
    raw = json.loads(heads.read_text())
    raw[field] = {"seq": raw["seq"] - 1, "mac": "0" * 64, "exported_at": "2020-01-01T00:00:00.000000Z"}[field]
    heads.write_text(json.dumps(raw) + "\n")
    with pytest.raises(CommandError, match="bad signature"):
        run_verify("--heads", str(heads))


def test_a_line_signed_with_another_key_is_refused(five_entries: list[int], tmp_path: Path) -> None:
    head = newest()
    line = ExportedHead(head.seq, head.mac, head.action, "", "2026-01-01T00:00:00.000000Z").line(b"not the key")
    with pytest.raises(HeadsUnreadable, match="bad signature"):
        parse_line(line, services.audit_key())
    with pytest.raises(HeadsUnreadable, match="not an exported audit head"):
        parse_line("garbage", services.audit_key())


def test_a_log_cut_back_behind_a_head_is_named(
    five_entries: list[int], clinician: User, tmp_path: Path, tamper: Tamper, run_verify: Verify
) -> None:
    heads = tmp_path / "heads.jsonl"
    export("--to", str(heads))
    early = newest()
    for _ in range(2):
        record("confide.client.viewed", actor=clinician, client_id=7)
    export("--to", str(heads))
    assert run_verify("--heads", str(heads), "--keep-anchor") == (
        0,
        f"OK: {newest().seq} entries verified\n2 exported heads matched.\nHead: {newest().seq}:{newest().mac} "
        "(anchor left as it was)\n",
    )
    tamper(("DELETE FROM audit_auditentry WHERE seq >= %s", [early.seq]))  # both heads now lie beyond the end
    status, printed = run_verify("--heads", str(heads))
    assert status == 1
    assert f"BROKEN: entry #{early.seq} ({early.action}, " in printed  # the first mismatch: the earlier head
    assert f"the log ends at #{early.seq - 1}" in printed


def test_history_rechained_with_the_key_is_named(
    five_entries: list[int], clinician: User, tmp_path: Path, tamper: Tamper, run_verify: Verify
) -> None:
    heads = tmp_path / "heads.jsonl"
    export("--to", str(heads))
    record("confide.client.viewed", actor=clinician, client_id=7)
    export("--to", str(heads))
    # Someone holding AUDIT_HMAC_KEY edits an entry and recomputes every MAC after it: a valid chain again.
    edited = five_entries[1]
    rows = [row for batch in services._batches("default", 1000) for row in batch]
    key, prev, statements = services.audit_key(), rows[edited - 2][12], []
    for row in rows[edited - 1 :]:
        values = [*row[:11]]
        values[5] = "chen" if row[0] == edited else values[5]
        values[1] = canonical_stored_at(values[1])
        detail = values[10]
        values[10] = json.loads(detail) if isinstance(detail, str) else detail
        mac = mac_of(key, prev, canonical_values(values))
        statements.append(
            ("UPDATE audit_auditentry SET actor_username = %s, prev_mac = %s, mac = %s WHERE seq = %s",
             [values[5], prev, mac, row[0]])
        )  # fmt: skip
        prev = mac
    tamper(*statements)
    assert run_verify("--keep-anchor")[0] == 0  # the chain alone cannot tell
    status, printed = run_verify("--heads", str(heads))
    assert status == 1
    first_head = read_heads(heads, key)[0]
    assert f"BROKEN: entry #{first_head.seq} " in printed
    assert "not the entry recorded by the checkpoint" in printed


def test_heads_before_the_anchor_are_looked_up_by_an_incremental_verify(
    five_entries: list[int], tmp_path: Path, tamper: Tamper, run_verify: Verify
) -> None:
    heads = tmp_path / "heads.jsonl"
    export("--to", str(heads))
    head = newest()
    run_verify()  # anchors after the head
    tamper(("DELETE FROM audit_auditentry WHERE seq = %s", [head.seq]))  # before the anchor: not walked again
    assert run_verify("--since-anchor", "--keep-anchor")[0] == 0
    status, printed = run_verify("--since-anchor", "--heads", str(heads))
    assert status == 1
    assert f"BROKEN: entry #{head.seq} " in printed
    assert "no longer holds the entry" in printed


def test_export_to_syslog_over_udp(five_entries: list[int]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        port = server.getsockname()[1]
        printed = export("--syslog", "--syslog-address", f"127.0.0.1:{port}")
        message = server.recv(65536).decode()
    assert f"syslog (127.0.0.1:{port})" in printed
    assert message.startswith("<")  # the syslog priority: facility auth, severity info
    assert int(message[1 : message.index(">")]) == 4 * 8 + 6
    assert "confide-audit-head: " in message
    head = parse_line(message, services.audit_key())  # a line copied from the syslog reads as it is
    assert (head.seq, head.mac) == (newest().seq, newest().mac)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "say where to export the head"),
        (("--syslog", "--syslog-address", "nowhere"), "HOST:PORT"),
        (("--syslog", "--syslog-address", "/nonexistent/dev/log"), "could not be exported"),
    ],
)
def test_export_refuses_bad_arguments(five_entries: list[int], args: Any, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        export(*args)


def test_export_refuses_an_empty_log_and_a_broken_tail(db: None, tmp_path: Path, tamper: Tamper) -> None:
    with pytest.raises(CommandError, match="empty"):
        export("--to", str(tmp_path / "heads"))
    record("confide.sign_out", actor=None, detail={"reason": "idle"})
    tamper(("UPDATE audit_auditentry SET ip = '10.6.6.6' WHERE seq = %s", [newest().seq]))
    with pytest.raises(CommandError, match="broken"):
        export("--to", str(tmp_path / "heads"))
    assert not (tmp_path / "heads").exists()


def test_a_heads_file_that_cannot_be_read_is_an_error(
    five_entries: list[int], tmp_path: Path, run_verify: Verify
) -> None:
    with pytest.raises(CommandError, match="cannot be read"):
        run_verify("--heads", str(tmp_path / "missing"))
