"""The demo practice seeds once and only once; the first admin comes from the command line with MFA."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.clients.models import Client
from confide.notes.models import NoteStatus, ProgressNote
from confide.ops.seed import seed_demo_practice
from confide.people.models import User
from confide.sessions.models import TherapySession
from confide.web import queries


def test_seeding_twice_neither_fails_nor_duplicates() -> None:
    def counts() -> tuple[int, ...]:
        return tuple(model.objects.count() for model in (User, Client, TherapySession, ProgressNote))

    first = seed_demo_practice(show_progress=False, months=1)
    before = counts()
    second = seed_demo_practice(show_progress=False, months=1)
    assert first.created and not second.created
    assert counts() == before


def test_demo_practice_has_the_cast_and_both_kinds_of_note() -> None:
    seed_demo_practice(show_progress=False, months=1)
    roles = sorted(User.objects.values_list("role", flat=True))
    assert roles == ["admin", "biller", "clinician", "clinician", "clinician", "front_desk"]
    assert User.objects.get(username="lee").supervisor == User.objects.get(username="okafor")
    assert Client.objects.count() == 13  # twelve, and one with a long accented name (confide/ops/seed.py)
    found = queries.search_clients(User.objects.get(username="desk"), "obrien")
    assert [c.last_name[:7] for c in found] == ["O\u2019Brien"]
    assert ProgressNote.objects.filter(status=NoteStatus.SIGNED).exists()
    assert ProgressNote.objects.filter(status=NoteStatus.DRAFT).exists()


def test_createadmin_reads_the_password_from_stdin_and_prints_the_enrollment_uri(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(tmp_path / "recovery.pub")
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long admin password 2026\n"))
    out = io.StringIO()
    call_command(
        "createadmin",
        "--username",
        "boss",
        "--password-stdin",
        "--recovery-key-out",
        str(tmp_path / "recovery-key.txt"),
        stdout=out,
    )
    admin = User.objects.get(username="boss")
    assert admin.role == "admin"
    assert admin.check_password("a long admin password 2026")
    assert "otpauth://totp/" in out.getvalue()
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    assert (tmp_path / "recovery.pub").exists()  # vault init ran first
    assert (tmp_path / "recovery-key.txt").stat().st_mode & 0o777 == 0o600
