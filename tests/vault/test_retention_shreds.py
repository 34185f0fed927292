"""Retention by crypto-shredding: notes past the policy's date lose every copy of their data key; a legal hold or
a recent session keeps them; the log names ids and dates only."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.lib.errors import NotFound
from confide.people.models import User
from confide.vault import services as vault
from confide.vault.credential import VaultCredential
from confide.vault.models import NoteRecipient, PsychotherapyNote
from confide.vault.retention import destruction_date
from tests.conftest import session_for

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_apa_default_adult_seven_years_after_last_service() -> None:
    assert destruction_date(date_of_birth=date(1980, 1, 1), last_service=date(2020, 5, 1)) == date(2027, 5, 1)


def test_apa_default_minor_three_years_after_majority_when_later() -> None:
    # Born 2012, seen 2020: majority 2030, + 3 = 2033, later than 2020 + 7 = 2027.
    assert destruction_date(date_of_birth=date(2012, 6, 1), last_service=date(2020, 5, 1)) == date(2033, 6, 1)


@pytest.fixture
def old_note(
    clinician: User, client_of_record: Client, sign_in_vault: Callable[..., VaultCredential], marker: str
) -> tuple[str, VaultCredential]:
    credential = sign_in_vault(clinician)
    session = session_for(client_of_record, clinician, days_ago=30)
    note_id, _ = vault.write_note(actor=clinician, credential=credential, session=session, body=marker)
    return note_id, credential


def test_shred_destroys_notes_past_their_date(
    clinician: User, old_note: tuple[str, VaultCredential], marker: str
) -> None:
    note_id, credential = old_note
    out = io.StringIO()
    call_command("vault", "shred", "--today", (date.today() + timedelta(days=366 * 8)).isoformat(), stdout=out)
    assert f"shredded: note {note_id}" in out.getvalue()
    assert marker not in out.getvalue()
    assert not NoteRecipient.objects.filter(note_id=note_id).exists()
    assert bytes(PsychotherapyNote.objects.get(pk=note_id).ciphertext) == b""
    with pytest.raises(NotFound):
        vault.read_note(actor=clinician, credential=credential, note_id=note_id)
    entry = AuditEntry.objects.get(action="confide.psychotherapy_note.shredded")
    assert entry.object_id == note_id
    assert set(entry.detail) == {"reason", "author_id", "session_date", "created_on"}


def test_shred_keeps_notes_within_retention(clinician: User, old_note: tuple[str, VaultCredential]) -> None:
    note_id, credential = old_note
    out = io.StringIO()
    call_command("vault", "shred", stdout=out)
    assert "0 note(s) shredded" in out.getvalue()
    assert vault.read_note(actor=clinician, credential=credential, note_id=note_id).body


def test_dry_run_destroys_nothing(clinician: User, old_note: tuple[str, VaultCredential]) -> None:
    note_id, credential = old_note
    out = io.StringIO()
    call_command("vault", "shred", "--dry-run", "--today", "2099-01-01", stdout=out)
    assert f"due: note {note_id}" in out.getvalue()
    assert vault.read_note(actor=clinician, credential=credential, note_id=note_id).body


def test_legal_hold_overrides_destruction(
    clinician: User, client_of_record: Client, old_note: tuple[str, VaultCredential], monkeypatch: Any
) -> None:
    note_id, credential = old_note
    Client.objects.filter(pk=client_of_record.pk).update(legal_hold=True)
    out = io.StringIO()
    call_command("vault", "shred", "--today", "2099-01-01", stdout=out)
    assert f"legal hold: client {client_of_record.pk}" in out.getvalue()
    assert vault.read_note(actor=clinician, credential=credential, note_id=note_id).body


def test_a_later_session_pushes_the_date_back(
    clinician: User, client_of_record: Client, old_note: tuple[str, VaultCredential], settings: Any
) -> None:
    settings.VAULT_RETENTION_ADULT_YEARS = 0
    settings.VAULT_RETENTION_MINOR_YEARS = 0
    # The client's last service is today (a later session without a private note): due only from today.
    session_for(client_of_record, clinician, days_ago=0)
    out = io.StringIO()
    call_command("vault", "shred", "--dry-run", "--today", (date.today() - timedelta(days=1)).isoformat(), stdout=out)
    assert "0 note(s) due" in out.getvalue()


def test_shredding_twice_is_harmless(old_note: tuple[str, VaultCredential]) -> None:
    note_id, _ = old_note
    assert vault.shred_note(actor=None, note_id=note_id, reason="retention") is True
    assert vault.shred_note(actor=None, note_id=note_id, reason="retention") is False


def test_shredded_bytes_are_gone_from_the_database_image(
    clinician: User, old_note: tuple[str, VaultCredential]
) -> None:
    from tests.vault.at_rest import database_bytes

    note_id, _ = old_note
    ciphertext = bytes(PsychotherapyNote.objects.get(pk=note_id).ciphertext)
    sealed = bytes(NoteRecipient.objects.get(note_id=note_id).sealed_data_key)
    assert ciphertext in database_bytes("vault") or ciphertext.hex().encode() in database_bytes("vault")
    vault.shred_note(actor=None, note_id=note_id, reason="retention")
    image = database_bytes("vault")
    for gone in (ciphertext, sealed):
        assert gone not in image and gone.hex().encode() not in image
