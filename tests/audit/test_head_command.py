"""`confide audit head` prints the newest entry as SEQ:MAC, to keep somewhere the server can't reach."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from confide.audit.models import AuditEntry
from tests.audit.conftest import Tamper


def test_head_prints_seq_and_mac_of_the_newest_entry(five_entries: list[int]) -> None:
    out = io.StringIO()
    call_command("audit", "head", stdout=out)
    head = AuditEntry.objects.order_by("-seq").first()
    assert head is not None
    assert out.getvalue().strip() == f"{head.seq}:{head.mac}"


def test_head_of_a_broken_chain_is_refused(five_entries: list[int], tamper: Tamper) -> None:
    tamper(("UPDATE audit_auditentry SET ip = '' WHERE seq = %s", [five_entries[0]]))
    with pytest.raises(CommandError, match="broken"):
        call_command("audit", "head", stdout=io.StringIO())


def test_head_of_an_empty_log_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="empty"):
        call_command("audit", "head", stdout=io.StringIO())
