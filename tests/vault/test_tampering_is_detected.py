"""Every byte flipped in a stored note or its sealed data key is detected: refused, audited, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from confide.audit.models import AuditEntry
from confide.people.models import User
from confide.vault import services as vault
from confide.vault.credential import VaultCredential
from confide.vault.errors import VaultIntegrityError
from confide.vault.models import NoteRecipient, PsychotherapyNote

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def opened(
    clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> tuple[str, VaultCredential]:
    credential = sign_in_vault(clinician)
    note_id, _ = vault.write_note(
        actor=clinician, credential=credential, session=therapy_session, body="a short process note"
    )
    return note_id, credential


def _flip(blob: bytes, index: int) -> bytes:
    return blob[:index] + bytes([blob[index] ^ 0x01]) + blob[index + 1 :]


def test_every_flipped_ciphertext_byte_is_detected(clinician: User, opened: tuple[str, VaultCredential]) -> None:
    note_id, credential = opened
    original = bytes(PsychotherapyNote.objects.get(pk=note_id).ciphertext)
    for index in range(len(original)):
        PsychotherapyNote.objects.filter(pk=note_id).update(ciphertext=_flip(original, index))
        with pytest.raises(VaultIntegrityError):
            vault.read_note(actor=clinician, credential=credential, note_id=note_id)
    PsychotherapyNote.objects.filter(pk=note_id).update(ciphertext=original)
    assert vault.read_note(actor=clinician, credential=credential, note_id=note_id).body == "a short process note"


def test_every_flipped_data_key_byte_is_detected(clinician: User, opened: tuple[str, VaultCredential]) -> None:
    note_id, credential = opened
    row = NoteRecipient.objects.get(note_id=note_id, recipient_id=clinician.pk)
    original = bytes(row.sealed_data_key)
    for index in range(len(original)):
        NoteRecipient.objects.filter(pk=row.pk).update(sealed_data_key=_flip(original, index))
        with pytest.raises(VaultIntegrityError):
            vault.read_note(actor=clinician, credential=credential, note_id=note_id)


@pytest.mark.parametrize("field", ["version", "author_id"])
def test_moving_a_note_under_another_version_or_author_is_detected(
    clinician: User, colleague: User, opened: tuple[str, VaultCredential], field: str
) -> None:
    note_id, credential = opened
    value = 2 if field == "version" else colleague.pk
    PsychotherapyNote.objects.filter(pk=note_id).update(**{field: value})
    with pytest.raises(VaultIntegrityError):
        vault.read_note(actor=clinician, credential=credential, note_id=note_id)


def test_swapping_ciphertexts_between_notes_is_detected(
    clinician: User, therapy_session: Any, opened: tuple[str, VaultCredential]
) -> None:
    note_id, credential = opened
    other_id, _ = vault.write_note(actor=clinician, credential=credential, session=therapy_session, body="other")
    other = PsychotherapyNote.objects.get(pk=other_id)
    PsychotherapyNote.objects.filter(pk=note_id).update(ciphertext=bytes(other.ciphertext))
    with pytest.raises(VaultIntegrityError):
        vault.read_note(actor=clinician, credential=credential, note_id=note_id)


def test_a_tampered_note_is_audited(clinician: User, opened: tuple[str, VaultCredential]) -> None:
    note_id, credential = opened
    original = bytes(PsychotherapyNote.objects.get(pk=note_id).ciphertext)
    PsychotherapyNote.objects.filter(pk=note_id).update(ciphertext=_flip(original, 30))
    with pytest.raises(VaultIntegrityError) as raised:
        vault.read_note(actor=clinician, credential=credential, note_id=note_id)
    assert raised.value.status == 409
    assert raised.value.code == "vault_integrity"
    entry = AuditEntry.objects.get(action="confide.psychotherapy_note.integrity_failed")
    assert (entry.outcome, entry.object_id, entry.detail) == ("failed", note_id, {"part": "body"})
