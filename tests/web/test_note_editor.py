"""The progress-note editor over HTTP: formats from data, risk and mental status as entered, thin views over the
note services, htmx partials, and a clear 4xx (never a 500) for bad input."""

from __future__ import annotations

from typing import Any

import pytest

from confide.clients.models import Client
from confide.notes import formats as note_formats
from confide.notes.models import NoteStatus, ProgressNote
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import draft_note, signed_note

SOAP_FIELDS = {
    "format": "SOAP",
    "section-subjective": "Feels flat.",
    "section-objective": "Affect constricted.",
    "section-assessment": "Moderate symptoms.",
    "section-plan": "Weekly sessions.",
}


def test_editor_offers_every_format_in_formats_toml(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    html = http.get(f"/sessions/{session.pk}/").content.decode()
    for code in ("SOAP", "DAP", "BIRP", "GIRP"):
        assert f'<option value="{code}"' in html
    assert 'name="section-behavior"' in http.get(f"/sessions/{session.pk}/?format=BIRP").content.decode()


def test_a_format_added_as_data_shows_up_in_the_editor(
    web_as: Any, clinician: User, client_of_record: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = note_formats.NoteFormat(
        code="PIRP",
        title="PIRP",
        sections=(note_formats.Section("problem", "Problem", "The presenting problem.", True, ()),),
    )
    known = {**note_formats.formats(), "PIRP": extra}
    monkeypatch.setattr(note_formats, "formats", lambda: known)
    monkeypatch.setattr("confide.web.forms.formats", lambda: known)
    monkeypatch.setattr("confide.web.views.formats", lambda: known)
    session = session_for(client_of_record, clinician)
    html = web_as(clinician).get(f"/sessions/{session.pk}/?format=PIRP").content.decode()
    assert '<option value="PIRP"' in html and 'name="section-problem"' in html


def test_mental_status_is_never_prefilled(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    html = web_as(clinician).get(f"/sessions/{session.pk}/").content.decode()
    assert "WNL" not in html and 'within normal limits"' not in html
    assert 'name="mse-mood" value=""' in html


def test_clinician_starts_saves_and_signs_a_note(
    web_as: Any, clinician: User, client_of_record: Client, treatment_plan: Any
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    objective = treatment_plan.problems.first().goals.first().objectives.first()
    started = http.post(
        f"/sessions/{session.pk}/notes/new/",
        {
            **SOAP_FIELDS,
            "risk-suicidal_ideation-level": "moderate",
            "risk-suicidal_ideation-plan": "on",
            "risk-protective_factors": "Sister nearby.",
            "mse-mood": "low",
            "mse-affect": "   ",
            "interventions": "Safety planning\n\nCognitive restructuring",
            "objectives": [str(objective.pk)],
            "action": "save",
        },
    )
    assert started.status_code == 302
    note = ProgressNote.objects.get(session=session)
    assert note.risk["suicidal_ideation"] == {"level": "moderate", "plan": True, "intent": False, "means": False}
    assert note.mental_status == {"mood": "low"}
    assert note.interventions == ["Safety planning", "Cognitive restructuring"]
    assert list(note.objectives.all()) == [objective]

    edited = {**SOAP_FIELDS, "section-plan": "Twice weekly.", "risk-suicidal_ideation-level": "low", "action": "sign"}
    saved = http.post(f"/notes/{note.pk}/", edited)
    assert saved["Location"] == f"/notes/{note.pk}/sign/"
    assert http.get(f"/notes/{note.pk}/sign/").status_code == 200
    assert http.post(f"/notes/{note.pk}/sign/", {}).status_code == 200  # no attestation: asked again
    signed = http.post(f"/notes/{note.pk}/sign/", {"attest": "on"})
    assert signed.status_code == 302
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED and note.sections["plan"] == "Twice weekly."
    assert note.risk["suicidal_ideation"]["level"] == "low"
    assert note.mental_status == {}  # the editor posts the whole note: emptied domains are not assessed


def test_signing_without_a_risk_assessment_is_refused_with_a_message(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    http.post(f"/sessions/{session.pk}/notes/new/", {**SOAP_FIELDS, "action": "save"})
    note = ProgressNote.objects.get(session=session)
    page = http.get(f"/notes/{note.pk}/sign/").content.decode()
    assert "record the suicide risk assessment" in page
    response = http.post(f"/notes/{note.pk}/sign/", {"attest": "on"}, follow=True)
    assert "record the suicide risk assessment before signing" in response.content.decode()
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT


def test_htmx_save_returns_the_editor_partial(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    note = draft_note(session, clinician)
    response = web_as(clinician).post(
        f"/notes/{note.pk}/", {**SOAP_FIELDS, "action": "save"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="note-editor"') and "<html" not in html
    assert "Saved at" in html


@pytest.mark.parametrize(
    "garbage",
    [
        {"objectives": ["999999"]},
        {"objectives": ["not-a-number", "-1"]},
        {"risk-suicidal_ideation-level": "catastrophic"},
        {"format": "NOPE"},
        {"section-nonexistent": "x"},
        {"interventions": "x" * 10000},
    ],
)
def test_malformed_input_gets_a_clear_answer_never_a_500(
    web_as: Any, clinician: User, client_of_record: Client, garbage: dict[str, Any]
) -> None:
    session = session_for(client_of_record, clinician)
    response = web_as(clinician).post(f"/sessions/{session.pk}/notes/new/", {**SOAP_FIELDS, **garbage})
    assert response.status_code in (302, 422), response.status_code


def test_only_the_author_edits_and_signs(
    web_as: Any, clinician: User, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    session = session_for(supervisee_client, supervisee)
    note = draft_note(session, supervisee)
    http = web_as(supervisor)  # may read the supervisee's chart, but not write the note
    assert http.post(f"/notes/{note.pk}/", SOAP_FIELDS).status_code == 403
    assert http.post(f"/notes/{note.pk}/sign/", {"attest": "on"}).status_code == 403
    assert http.post(f"/sessions/{session.pk}/notes/new/", SOAP_FIELDS).status_code == 403


def test_signed_note_is_locked_and_takes_addenda(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    note = signed_note(session, clinician)
    http = web_as(clinician)
    refused = http.post(f"/notes/{note.pk}/", {**SOAP_FIELDS, "action": "save"})
    assert refused.status_code == 409
    note.refresh_from_db()
    assert note.sections["subjective"] == "Reports better sleep this week."
    http.post(f"/notes/{note.pk}/addenda/", {"text": "Late information from the school."})
    assert note.addenda.get().text == "Late information from the school."
    assert http.post(f"/notes/{note.pk}/addenda/", {"text": ""}).status_code == 302  # refused with a message


def test_supervisor_cosigns_and_returns_through_the_pages(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client, clinician: User
) -> None:
    session = session_for(supervisee_client, supervisee)
    first = signed_note(session, supervisee)
    second = signed_note(session, supervisee)
    assert first.status == NoteStatus.AWAITING_COSIGN
    http = web_as(supervisor)
    assert "Waiting for your co-signature" in http.get("/").content.decode()
    assert http.get(f"/supervision/notes/{first.pk}/").status_code == 200  # the review step, recorded
    http.post(f"/notes/{first.pk}/cosign/", {"attest": "on"})
    http.post(f"/notes/{second.pk}/return/", {"comment": "Add the intervention."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == NoteStatus.SIGNED and first.cosigned_by == supervisor
    assert second.status == NoteStatus.DRAFT and second.return_comment == "Add the intervention."
    assert "Returned by your supervisor" in web_as(supervisee).get(f"/sessions/{session.pk}/").content.decode()
