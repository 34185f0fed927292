"""'Start from my last note' writes its own audit entry, `confide.progress_note.started_from_last`: the new draft and
the note it was copied from, by id, never a word of either; a refused start writes none. Through real HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from confide.audit import actions
from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.notes.models import ProgressNote
from confide.people.models import User
from tests.conftest import session_for
from tests.web.test_editor_from_last import NARRATIVE, last_weeks_note

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

CODE = "confide.progress_note.started_from_last"


def test_the_code_is_registered_as_a_change_to_the_record() -> None:
    declared = actions.action(CODE)
    assert declared.kind is actions.Kind.CHANGE and declared.about is actions.About.RECORD
    assert declared.detail == {"source_note_id", "format"} and not declared.clinical


def test_starting_from_the_last_note_records_which_note_it_came_from(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    source = last_weeks_note(clinician, client_of_record, [])
    session = session_for(client_of_record, clinician)
    response = web_as(clinician).post(f"/sessions/{session.pk}/notes/from-last/")
    assert response.status_code == 302
    new = ProgressNote.objects.get(session=session)
    entry = AuditEntry.objects.get(action=CODE)
    assert (entry.actor_id, entry.client_id, entry.object_type, entry.object_id) == (
        clinician.pk,
        client_of_record.pk,
        "progress_note",
        str(new.pk),
    )
    assert entry.detail == {"source_note_id": source.pk, "format": "SOAP"}
    assert NARRATIVE not in str(entry.detail) and "Homework" not in str(entry.detail)


def test_a_refused_start_writes_no_entry(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)  # no earlier note to start from
    response = web_as(clinician).post(f"/sessions/{session.pk}/notes/from-last/", follow=True)
    assert "no earlier progress note for this client" in response.content.decode()
    assert not AuditEntry.objects.filter(action=CODE).exists()
