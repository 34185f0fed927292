"""`confide audit verify --since-anchor` walks only what was written since the anchor: the anchor's own entry and
every entry after it. What came before was verified by an earlier walk and is not read again, so the nightly job
costs what the day wrote, not what the years wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from confide.audit.anchor import read_anchor
from confide.audit.models import AuditEntry
from confide.audit.services import record, verify, verify_since
from confide.people.models import User
from tests.audit.conftest import Tamper, Verify


def _anchored_seq(anchor_file: Path) -> int:
    return int(json.loads(anchor_file.read_text())["seq"])


def test_it_reads_the_new_entries_only_and_advances_the_anchor(
    five_entries: list[int], clinician: User, anchor_file: Path, run_verify: Verify
) -> None:
    assert run_verify()[0] == 0
    anchored = _anchored_seq(anchor_file)
    for _ in range(3):
        record("confide.client.viewed", actor=clinician, client_id=7)
    anchor = read_anchor(anchor_file)
    assert anchor is not None
    result = verify_since(anchor)
    assert (result.ok, result.read, result.start, result.checked) == (True, 4, anchored, anchored + 3)
    assert verify().read == anchored + 3  # the full walk reads them all

    status, printed = run_verify("--since-anchor")
    assert status == 0, printed
    assert f"OK: 4 entries verified since the anchor at #{anchored} (the log holds {anchored + 3})" in printed
    newest = AuditEntry.objects.order_by("-seq").first()
    assert newest is not None
    assert (newest.action, newest.detail["anchor_seq"]) == ("confide.audit.anchored", anchored + 3)
    assert _anchored_seq(anchor_file) == newest.seq  # advanced: tomorrow starts here

    status, printed = run_verify("--since-anchor")  # nothing new: the anchor's entry alone, and no new anchoring
    assert (status, f"OK: 1 entries verified since the anchor at #{newest.seq}" in printed) == (0, True)
    assert AuditEntry.objects.order_by("-seq").first() == newest


def test_a_tampering_before_the_anchor_is_not_reread_one_after_it_is_caught(
    five_entries: list[int], clinician: User, tamper: Tamper, run_verify: Verify
) -> None:
    run_verify()
    new = [record("confide.client.viewed", actor=clinician, client_id=7).seq for _ in range(3)]
    before = five_entries[1]
    tamper(("UPDATE audit_auditentry SET actor_username = 'chen' WHERE seq = %s", [before]))
    assert run_verify("--since-anchor", "--keep-anchor")[0] == 0  # not read: the full walk's to find
    status, printed = run_verify("--keep-anchor")
    assert (status, f"BROKEN: entry #{before} " in printed) == (1, True)

    tamper(("UPDATE audit_auditentry SET ip = '10.6.6.6' WHERE seq = %s", [new[1]]))
    status, printed = run_verify("--since-anchor")
    assert status == 1
    assert f"BROKEN: entry #{new[1]} (confide.client.viewed, " in printed
    assert "contents were changed" in printed


def test_the_anchors_own_entry_is_checked(five_entries: list[int], tamper: Tamper, run_verify: Verify) -> None:
    run_verify()
    anchor = AuditEntry.objects.order_by("-seq").first()
    assert anchor is not None
    tamper(("UPDATE audit_auditentry SET detail = %s WHERE seq = %s", ['{"anchor_seq": 1}', anchor.seq]))
    status, printed = run_verify("--since-anchor")
    assert (status, f"BROKEN: entry #{anchor.seq} (confide.audit.anchored, " in printed) == (1, True)


def test_cutting_the_log_back_before_the_anchor_is_named(
    five_entries: list[int], tamper: Tamper, run_verify: Verify
) -> None:
    run_verify()
    anchor = AuditEntry.objects.order_by("-seq").first()
    assert anchor is not None
    tamper(("DELETE FROM audit_auditentry WHERE seq >= %s", [anchor.seq - 2]))
    status, printed = run_verify("--since-anchor")
    assert status == 1
    assert f"BROKEN: entry #{anchor.seq} " in printed
    assert f"the log ends at #{anchor.seq - 3}" in printed


def test_removing_the_anchors_entry_and_refilling_is_named(
    five_entries: list[int], clinician: User, tamper: Tamper, run_verify: Verify
) -> None:
    run_verify()
    anchor = AuditEntry.objects.order_by("-seq").first()
    assert anchor is not None
    tamper(("DELETE FROM audit_auditentry WHERE seq = %s", [anchor.seq]))
    record("confide.client.viewed", actor=clinician, client_id=7)  # a genuine entry now holds the anchor's number
    status, printed = run_verify("--since-anchor")
    assert status == 1
    assert f"BROKEN: entry #{anchor.seq} (confide.client.viewed, " in printed
    assert "not the entry recorded by the checkpoint" in printed


def test_without_an_anchor_it_walks_the_whole_log(five_entries: list[int], run_verify: Verify) -> None:
    status, printed = run_verify("--since-anchor")
    assert status == 0
    assert "No anchor yet: walking the whole log." in printed
    assert f"OK: {five_entries[-1]} entries verified" in printed


def test_a_deleted_anchor_file_is_still_a_failure(
    five_entries: list[int], anchor_file: Path, run_verify: Verify
) -> None:
    run_verify()
    anchor_file.unlink()
    status, printed = run_verify("--since-anchor")
    assert (status, "is missing" in printed) == (1, True)


def test_since_anchor_and_reset_anchor_do_not_go_together(five_entries: list[int], run_verify: Verify) -> None:
    with pytest.raises(CommandError, match="does not go with --since-anchor"):
        run_verify("--since-anchor", "--reset-anchor")
