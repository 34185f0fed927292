"""The head checkpoint catches the one thing a chain cannot: its newest entries deleted. And it says what it can't."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from confide.audit.models import AuditEntry
from confide.audit.services import record
from confide.people.models import User
from tests.audit.conftest import Tamper, Verify


def test_clean_verify_anchors_the_head(five_entries: list[int], anchor_file: Path, run_verify: Verify) -> None:
    assert not anchor_file.exists()
    status, printed = run_verify()
    head = AuditEntry.objects.order_by("-seq").first()
    assert head is not None
    assert status == 0
    assert json.loads(anchor_file.read_text())["seq"] == head.seq
    assert json.loads(anchor_file.read_text())["mac"] == head.mac
    assert f"Head: {head.seq}:{head.mac}, anchored in {anchor_file}" in printed


def test_anchor_file_is_private_to_the_server_user(
    five_entries: list[int], anchor_file: Path, run_verify: Verify
) -> None:
    run_verify()
    assert anchor_file.stat().st_mode & 0o777 == 0o600


def test_deleting_the_newest_entries_after_a_verify_is_named(
    five_entries: list[int], tamper: Tamper, run_verify: Verify
) -> None:
    run_verify()  # anchors at the entry recording the anchoring, right after the last of the five
    last = five_entries[-1]
    tamper(("DELETE FROM audit_auditentry WHERE seq >= %s", [last - 1]))
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{last + 1} (confide.audit.anchored, " in printed
    assert f"the log ends at #{last - 2}" in printed
    assert "newest entries were removed" in printed


def test_truncated_then_refilled_log_is_named(
    five_entries: list[int], clinician: User, tamper: Tamper, run_verify: Verify
) -> None:
    # Deleted, then new genuine entries written up to the same number: the chain is whole, the checkpoint is not.
    run_verify()
    last = five_entries[-1]
    tamper(("DELETE FROM audit_auditentry WHERE seq >= %s", [last - 1]))
    for _ in range(3):  # back up to the anchored entry's number
        record("confide.client.viewed", actor=clinician, client_id=7)
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{last + 1} (confide.client.viewed, " in printed
    assert "not the entry recorded by the checkpoint" in printed


def test_log_that_grew_since_the_anchor_verifies_and_moves_it(
    five_entries: list[int], clinician: User, anchor_file: Path, run_verify: Verify
) -> None:
    run_verify()
    newest = record("confide.client.viewed", actor=clinician, client_id=7)
    status, _ = run_verify()
    assert status == 0
    anchored = AuditEntry.objects.get(seq=json.loads(anchor_file.read_text())["seq"])
    assert (anchored.action, anchored.detail["anchor_seq"]) == ("confide.audit.anchored", newest.seq)


def test_keep_anchor_leaves_the_checkpoint_where_it_was(
    five_entries: list[int], clinician: User, anchor_file: Path, run_verify: Verify
) -> None:
    run_verify()
    before = anchor_file.read_text()
    record("confide.client.viewed", actor=clinician, client_id=7)
    status, printed = run_verify("--keep-anchor")
    assert status == 0
    assert anchor_file.read_text() == before
    assert "anchor left as it was" in printed


def test_off_server_checkpoint_catches_truncation_even_with_the_anchor_file_gone(
    five_entries: list[int], anchor_file: Path, tamper: Tamper, run_verify: Verify
) -> None:
    head = AuditEntry.objects.order_by("-seq").first()
    assert head is not None
    tamper(("DELETE FROM audit_auditentry WHERE seq = %s", [head.seq]))
    anchor_file.unlink(missing_ok=True)
    status, printed = run_verify("--against", f"{head.seq}:{head.mac}")
    assert status == 1
    assert f"BROKEN: entry #{head.seq} " in printed


def test_truncation_since_the_last_verify_goes_unseen(
    five_entries: list[int], clinician: User, tamper: Tamper, run_verify: Verify
) -> None:
    # The documented limit (docs/audit.md): entries newer than the checkpoint are protected by nothing but the chain,
    # and a chain cut at its end is still a valid chain. Verify often; keep heads off the server.
    run_verify()
    newer = record("confide.client.viewed", actor=clinician, client_id=7)
    tamper(("DELETE FROM audit_auditentry WHERE seq = %s", [newer.seq]))
    status, _ = run_verify()
    assert status == 0


def test_unreadable_anchor_is_an_error_not_a_pass(
    five_entries: list[int], anchor_file: Path, run_verify: Verify
) -> None:
    anchor_file.write_text("not json")
    with pytest.raises(CommandError, match="cannot be read"):
        run_verify()
