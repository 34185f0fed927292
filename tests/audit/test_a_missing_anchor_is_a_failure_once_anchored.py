"""Once a log has been anchored, a missing anchor is a failure, not "no anchor".

On SQLite the database and the default anchor sit in one data directory: whoever can delete the log's newest
entries can usually delete the anchor file too. So writing the anchor is itself recorded in the chain
(`confide.audit.anchored`), where deleting the file cannot erase it; verify then requires the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from confide.audit.models import AuditEntry
from confide.audit.services import record
from confide.people.models import User
from tests.audit.conftest import Tamper, Verify


def anchorings() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="confide.audit.anchored").order_by("seq"))


def test_deleting_the_tail_together_with_the_anchor_file_is_named(
    five_entries: list[int], clinician: User, anchor_file: Path, tamper: Tamper, run_verify: Verify
) -> None:
    assert run_verify()[0] == 0
    (first,) = anchorings()
    for _ in range(3):
        record("confide.client.viewed", actor=clinician, client_id=7)
    assert run_verify()[0] == 0
    # The attacker removes the newest entries (the second anchoring among them) and the anchor file with them.
    tamper(("DELETE FROM audit_auditentry WHERE seq > %s", [first.seq + 1]))
    anchor_file.unlink()
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{first.seq} (confide.audit.anchored, " in printed
    assert f"the anchor file {anchor_file} is missing" in printed
    assert "--reset-anchor" in printed
    assert not anchor_file.exists()  # a failed verify does not quietly start a new anchor


def test_the_anchoring_entry_names_the_head_it_anchored(
    five_entries: list[int], anchor_file: Path, run_verify: Verify
) -> None:
    run_verify()
    (anchoring,) = anchorings()
    assert anchoring.detail == {"anchor_seq": five_entries[-1], "path": str(anchor_file)}
    assert json.loads(anchor_file.read_text())["seq"] == anchoring.seq  # the anchor covers its own entry


def test_an_idle_log_is_not_grown_by_verifying_it(five_entries: list[int], run_verify: Verify) -> None:
    for _ in range(3):
        assert run_verify()[0] == 0
    assert len(anchorings()) == 1


def test_an_older_copy_of_the_anchor_is_named(
    five_entries: list[int], clinician: User, anchor_file: Path, tamper: Tamper, run_verify: Verify
) -> None:
    run_verify()
    old_copy = anchor_file.read_text()
    record("confide.client.viewed", actor=clinician, client_id=7)
    run_verify()
    newest = AuditEntry.objects.order_by("-seq").first()
    assert newest is not None
    record("confide.client.viewed", actor=clinician, client_id=7)
    tamper(("DELETE FROM audit_auditentry WHERE seq > %s", [newest.seq]))
    anchor_file.write_text(old_copy)
    status, printed = run_verify()
    assert status == 1
    assert f"BROKEN: entry #{newest.seq} (confide.audit.anchored, " in printed
    assert "older than this anchoring" in printed


def test_a_log_never_anchored_verifies_without_an_anchor(five_entries: list[int], run_verify: Verify) -> None:
    assert run_verify("--keep-anchor")[0] == 0
    assert anchorings() == []


def test_reset_anchor_starts_a_new_one_and_says_so_in_the_log(
    five_entries: list[int], anchor_file: Path, run_verify: Verify
) -> None:
    run_verify()
    anchor_file.unlink()
    assert run_verify()[0] == 1
    status, printed = run_verify("--reset-anchor")
    assert status == 0, printed
    assert anchorings()[-1].detail["reset"] is True
    assert json.loads(anchor_file.read_text())["seq"] == anchorings()[-1].seq
    assert run_verify()[0] == 0


def test_an_anchor_in_the_data_directory_is_pointed_out_in_production(
    settings: Any, five_entries: list[int], anchor_file: Path, run_verify: Verify
) -> None:
    settings.PRODUCTION = True
    settings.DATA_DIR = anchor_file.parent
    assert "keep it off the data volume" in run_verify()[1]
    settings.DATA_DIR = anchor_file.parent / "data"
    assert "data volume" not in run_verify()[1]
