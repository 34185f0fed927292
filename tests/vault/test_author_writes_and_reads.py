"""The session's clinician writes a psychotherapy note and reads it back; the write returns boundary warnings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from confide.audit.models import AuditEntry
from confide.lib.errors import NotFound
from confide.people.models import User
from confide.vault import services as vault
from confide.vault.credential import VaultCredential
from confide.vault.errors import VaultClosed
from tests.conftest import session_for

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_author_reads_back_what_she_wrote(
    clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    credential = sign_in_vault(clinician)
    note_id, warnings = vault.write_note(
        actor=clinician, credential=credential, session=therapy_session, body="She circled back to her father."
    )
    assert warnings == []
    note = vault.read_note(actor=clinician, credential=credential, note_id=note_id)
    assert note.body == "She circled back to her father."
    assert note.session_id == therapy_session.pk
    assert note.client_id == therapy_session.client_id
    assert note.is_author


def test_write_returns_boundary_warnings(
    clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    credential = sign_in_vault(clinician)
    _, warnings = vault.write_note(
        actor=clinician, credential=credential, session=therapy_session, body="PHQ-9 was 14; sertraline up to 100 mg."
    )
    codes = {w["code"] for w in warnings}
    assert {"measure_score", "medication"} <= codes


def test_only_the_sessions_clinician_writes(
    colleague: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    credential = sign_in_vault(colleague)
    with pytest.raises(NotFound):
        vault.write_note(actor=colleague, credential=credential, session=therapy_session, body="not mine to write")
    assert AuditEntry.objects.filter(action="confide.psychotherapy_note.write_denied", actor_id=colleague.pk).exists()


def test_supervisor_cannot_write_for_a_supervisees_session(
    supervisor: User, supervisee: User, supervisee_client: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    session = session_for(supervisee_client, supervisee)
    with pytest.raises(NotFound):
        vault.write_note(actor=supervisor, credential=sign_in_vault(supervisor), session=session, body="x")


def test_reading_without_an_open_vault_session_asks_to_sign_in(clinician: User, therapy_session: Any) -> None:
    note_id, _ = vault.write_note(actor=clinician, credential=None, session=therapy_session, body="process")
    with pytest.raises(VaultClosed):
        vault.read_note(actor=clinician, credential=None, note_id=note_id)


def test_sign_out_destroys_the_session_key(
    clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    credential = sign_in_vault(clinician)
    note_id, _ = vault.write_note(actor=clinician, credential=credential, session=therapy_session, body="process")
    vault.close_key_session(session_ref=credential.session_ref)
    with pytest.raises(VaultClosed):
        vault.read_note(actor=clinician, credential=credential, note_id=note_id)


def test_a_wrong_cookie_secret_does_not_open_the_vault(
    clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    credential = sign_in_vault(clinician)
    note_id, _ = vault.write_note(actor=clinician, credential=credential, session=therapy_session, body="process")
    forged = VaultCredential(session_ref=credential.session_ref, client_secret=bytes(32))
    with pytest.raises(VaultClosed):
        vault.read_note(actor=clinician, credential=forged, note_id=note_id)


def test_empty_note_is_refused(clinician: User, therapy_session: Any) -> None:
    from confide.lib.errors import RuleViolation

    with pytest.raises(RuleViolation):
        vault.write_note(actor=clinician, credential=None, session=therapy_session, body="   ")


def test_list_shows_own_notes_only(
    clinician: User,
    colleague: User,
    therapy_session: Any,
    sign_in_vault: Callable[..., VaultCredential],
) -> None:
    credential = sign_in_vault(clinician)
    note_id, _ = vault.write_note(actor=clinician, credential=credential, session=therapy_session, body="mine")
    assert [n.id for n in vault.list_notes(actor=clinician, credential=credential)] == [note_id]
    assert vault.list_notes(actor=colleague, credential=None) == []


def test_write_and_read_are_audited_without_text(
    clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential], marker: str
) -> None:
    credential = sign_in_vault(clinician)
    note_id, _ = vault.write_note(actor=clinician, credential=credential, session=therapy_session, body=marker)
    vault.read_note(actor=clinician, credential=credential, note_id=note_id)
    actions = list(AuditEntry.objects.filter(object_id=note_id).values_list("action", flat=True))
    assert actions == ["confide.psychotherapy_note.written", "confide.psychotherapy_note.read"]
    assert marker not in str(list(AuditEntry.objects.values()))
