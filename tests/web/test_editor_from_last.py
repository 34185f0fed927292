"""'Start from my last note for this client': the structure of the author's own previous progress note for the
same client, never its narrative, signature, dates, hash or risk assessment, never a psychotherapy note; audited."""

from __future__ import annotations

from typing import Any

import pytest

from confide.audit.models import AuditEntry
from confide.clients import services as clients
from confide.clients.models import Client
from confide.notes import services as notes
from confide.notes import structure
from confide.notes.models import NoteStatus, ProgressNote
from confide.people.models import User
from tests.conftest import session_for

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

NARRATIVE = "NARRATIVE-3c9f she said the thing about her brother"
LAST_WEEK = {
    "subjective": f"Homework:\n{NARRATIVE}\nSleep:\nBetter.",
    "objective": "Calm, engaged.",
    "assessment": "Progress:\nImproving; risk low.",
    "plan": "Next session:\nIn one week.",
}
RISK = {
    "suicidal_ideation": {"level": "low", "plan": False, "intent": False, "means": False},
    "protective_factors": "x",
}


def last_weeks_note(clinician: User, client: Client, objective_ids: list[int]) -> ProgressNote:
    session = session_for(client, clinician, days_ago=7)
    note = notes.start_note(
        actor=clinician,
        session=session,
        format="SOAP",
        sections=LAST_WEEK,
        risk=RISK,
        mental_status={"appearance": structure.WNL_TEXT, "mood": "low"},
        interventions=["cognitive restructuring", "Play therapy"],
        objective_ids=objective_ids,
    )
    return notes.sign_note(actor=clinician, note=note)


def test_copies_the_structure_and_nothing_else(
    web_as: Any, clinician: User, client_of_record: Client, treatment_plan: Any
) -> None:
    objective = treatment_plan.problems.first().goals.first().objectives.first()
    source = last_weeks_note(clinician, client_of_record, [objective.pk])
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    page = http.get(f"/sessions/{session.pk}/").content.decode()
    assert "Start from my last note for this client" in page

    response = http.post(f"/sessions/{session.pk}/notes/from-last/", follow=True)
    assert response.status_code == 200
    assert "its structure is copied, not its text or risk assessment" in response.content.decode()
    new = ProgressNote.objects.get(session=session)
    assert new.author == clinician and new.status == NoteStatus.DRAFT and new.format == "SOAP"
    assert new.sections == {
        "subjective": "Homework:\n\nSleep:\n\n",
        "objective": "",
        "assessment": "Progress:\n\n",
        "plan": "Next session:\n\n",
    }
    assert new.risk == {}  # risk is assessed afresh every session
    assert new.mental_status == {"appearance": structure.WNL_TEXT, "mood": "low"}
    assert new.interventions == ["cognitive restructuring", "Play therapy"]
    assert [o.pk for o in new.objectives.all()] == [objective.pk]
    assert new.content_hash == "" and new.signed_at is None and new.signed_by is None
    assert new.created_at > source.created_at
    assert NARRATIVE not in response.content.decode().split('id="note-editor"', 1)[1].split("</form>", 1)[0]

    read = AuditEntry.objects.filter(action="confide.progress_note.read", object_id=str(source.pk)).last()
    created = AuditEntry.objects.filter(action="confide.progress_note.created", object_id=str(new.pk)).get()
    assert read is not None and read.actor_id == clinician.pk and created.actor_id == clinician.pk
    for entry in (read, created):
        assert NARRATIVE not in str(entry.detail)


def test_only_the_authors_own_note_for_the_same_client(
    web_as: Any, clinician: User, colleague: User, client_of_record: Client
) -> None:
    mine = last_weeks_note(clinician, client_of_record, [])
    clients.add_to_care_team(actor=clinician, client=client_of_record, clinician_id=colleague.pk)
    theirs = session_for(client_of_record, colleague, days_ago=2)
    notes.start_note(actor=colleague, session=theirs, format="DAP", sections={"data": "Theirs:\nx"})
    other_client = Client.objects.create(
        first_name="Sam", last_name="Other", date_of_birth=mine.client.date_of_birth, primary_clinician=clinician
    )
    notes.start_note(
        actor=clinician,
        session=session_for(other_client, clinician, days_ago=1),
        format="GIRP",
        sections={"goals": "Other client:\nx"},
    )
    session = session_for(client_of_record, clinician)
    assert structure.last_note(clinician, session) == mine
    web_as(clinician).post(f"/sessions/{session.pk}/notes/from-last/")
    assert ProgressNote.objects.get(session=session).format == "SOAP"


def test_a_psychotherapy_note_is_never_a_source(
    web_as: Any, api_as: Any, clinician: User, client_of_record: Client
) -> None:
    earlier = session_for(client_of_record, clinician, days_ago=7)
    written = api_as(clinician).post(
        f"/api/v1/sessions/{earlier.pk}/psychotherapy-notes",
        {"body": "Private:\nPRIVATE-77aa hypothesis"},
        content_type="application/json",
    )
    assert written.status_code == 201
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    assert "Start from my last note" not in http.get(f"/sessions/{session.pk}/").content.decode()
    response = http.post(f"/sessions/{session.pk}/notes/from-last/", follow=True)
    assert "no earlier progress note for this client" in response.content.decode()
    assert not ProgressNote.objects.filter(session=session).exists()


def test_refused_when_a_draft_exists_and_not_offered_on_it(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    last_weeks_note(clinician, client_of_record, [])
    session = session_for(client_of_record, clinician)
    draft = notes.start_note(actor=clinician, session=session, format="DAP", sections={"data": "Typed today."})
    http = web_as(clinician)
    assert "Start from my last note" not in http.get(f"/sessions/{session.pk}/").content.decode()
    response = http.post(f"/sessions/{session.pk}/notes/from-last/", follow=True)
    assert "You already have a draft for this session" in response.content.decode()
    assert list(ProgressNote.objects.filter(session=session)) == [draft]
    draft.refresh_from_db()
    assert draft.sections["data"] == "Typed today."


def test_others_are_refused(
    web_as: Any, clinician: User, colleague: User, biller: User, supervisor: User, client_of_record: Client
) -> None:
    last_weeks_note(clinician, client_of_record, [])
    session = session_for(client_of_record, clinician)
    assert web_as(colleague).post(f"/sessions/{session.pk}/notes/from-last/").status_code == 404
    assert web_as(biller).post(f"/sessions/{session.pk}/notes/from-last/").status_code == 403
    assert web_as(clinician).get(f"/sessions/{session.pk}/notes/from-last/").status_code == 405
    assert not ProgressNote.objects.filter(session=session).exists()


def test_section_headings_keep_headings_only() -> None:
    assert structure.section_headings("Homework:\nread\n  Sleep: \nok\nA sentence: with a colon\nSleep:") == (
        "Homework:\n\nSleep:\n\n"
    )
    assert structure.section_headings("") == ""
    assert structure.section_headings("x" * 100 + ":") == ""  # too long to be a heading
