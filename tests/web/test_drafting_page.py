"""Drafting from a transcript on the session's pages: consent first, the session's clinician only, nothing of the
transcript kept, the accepted draft in the progress note and the private draft in the author's vault."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import router

from confide.clients.models import Client
from confide.clients.services import record_consent
from confide.drafting import ENGINE_NAME, ENGINE_VERSION
from confide.notes.models import NoteStatus, ProgressNote
from confide.notes.services import sign_note, start_note
from confide.people.models import User
from tests.conftest import session_for

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

# A phrase from the transcript that no drafted sentence quotes: it must never be stored anywhere.
UNQUOTED = "purple umbrella on the bus"
TRANSCRIPT = f"""WEBVTT

00:00:01.000 --> 00:00:05.000
<v Maria Rivera>How have you been sleeping since last week?

00:00:05.500 --> 00:00:12.000
<v Alex Morgan>Badly. Maybe four hours a night, and I don't enjoy anything anymore.

00:00:12.500 --> 00:00:16.000
<v Maria Rivera>Any thoughts of hurting yourself or ending your life?

00:00:16.500 --> 00:00:20.000
<v Alex Morgan>No, I would never do that. I left my {UNQUOTED} again.

00:00:20.500 --> 00:00:28.000
<v Alex Morgan>Things with my husband are bad. He found out I had been texting my ex and we fought all weekend.

00:00:28.500 --> 00:00:35.000
<v Maria Rivera>Let's plan three small activities this week, and I'll see you next Tuesday.
"""


def consent(clinician: User, client: Client) -> None:
    record_consent(actor=clinician, client=client, kind="session_transcription", signed_on=date(2026, 1, 2))


def post_draft(http: Any, session_id: int, **fields: Any) -> Any:
    data = {"transcript": TRANSCRIPT, "transcript_format": "auto", "note_format": "SOAP", **fields}
    return http.post(f"/sessions/{session_id}/draft/", data)


def test_session_page_offers_drafting_to_the_sessions_clinician(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    html = web_as(clinician).get(f"/sessions/{session.pk}/").content.decode()
    assert f'href="/sessions/{session.pk}/draft/"' in html and "Draft from a transcript" in html


def test_session_with_a_signed_note_offers_no_drafting(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    note = start_note(
        actor=clinician,
        session=session,
        format="DAP",
        sections={"data": "Reports poor sleep.", "assessment": "Improving.", "plan": "Weekly."},
        risk={"suicidal_ideation": {"level": "none", "plan": False, "intent": False, "means": False}},
    )
    sign_note(actor=clinician, note=note)
    html = web_as(clinician).get(f"/sessions/{session.pk}/").content.decode()
    assert "/draft/" not in html


def test_form_offers_every_note_format(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    response = web_as(clinician).get(f"/sessions/{session.pk}/draft/")
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("SOAP", "DAP", "BIRP", "GIRP"):
        assert f'<option value="{code}"' in html
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]


def test_without_consent_the_page_says_what_to_do(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    response = post_draft(web_as(clinician), session.pk)
    assert response.status_code == 422
    html = response.content.decode()
    assert "has no recorded consent to session recording and transcription" in html
    assert "Ask the front desk to record the signed" in html and "jotted points" in html


def test_jotted_points_need_no_transcription_consent(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    points = "- Reports poor sleep, about four hours a night\n- Denies suicidal ideation\n- Homework: activity log"
    response = post_draft(web_as(clinician), session.pk, transcript=points, transcript_format="points")
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "Drafted SOAP note" in response.content.decode()


def test_malformed_transcript_names_the_line(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    consent(clinician, client_of_record)
    broken = "WEBVTT\n\n00:00:01.000 --> garbage\nHello\n"
    response = post_draft(web_as(clinician), session.pk, transcript=broken, transcript_format="vtt")
    assert response.status_code == 422
    assert "could not be read at line 3" in response.content.decode()


def test_an_empty_request_is_a_message_not_an_error(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    response = post_draft(web_as(clinician), session.pk, transcript="   ", note_format="NOPE")
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    response = post_draft(web_as(clinician), session.pk, transcript="   ")
    assert response.status_code == 422
    assert "Upload a transcript file, paste a transcript" in response.content.decode()


def test_an_uploaded_file_is_drafted(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    consent(clinician, client_of_record)
    upload = SimpleUploadedFile("session.vtt", TRANSCRIPT.encode(), content_type="text/vtt")
    response = web_as(clinician).post(
        f"/sessions/{session.pk}/draft/",
        {"transcript_file": upload, "transcript": "", "transcript_format": "auto", "note_format": "DAP"},
    )
    assert response.status_code == 200
    assert "Drafted DAP note" in response.content.decode()


def test_a_file_that_is_not_text_is_refused_with_a_message(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    upload = SimpleUploadedFile("session.vtt", b"\xff\xfe\x00\x81binary", content_type="text/vtt")
    response = web_as(clinician).post(
        f"/sessions/{session.pk}/draft/",
        {"transcript_file": upload, "transcript_format": "auto", "note_format": "SOAP"},
    )
    assert response.status_code == 422
    assert "not text Confide can read" in response.content.decode()


def test_a_file_over_the_limit_is_refused_and_never_spilled_to_disk(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    upload = SimpleUploadedFile("long.vtt", b"x" * 1_100_000, content_type="text/vtt")
    response = web_as(clinician).post(
        f"/sessions/{session.pk}/draft/",
        {"transcript_file": upload, "transcript_format": "auto", "note_format": "SOAP"},
    )
    assert response.status_code == 422
    assert "larger than 1 MB" in response.content.decode()


def test_clinician_sees_the_draft_beside_the_transcript(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    consent(clinician, client_of_record)
    response = post_draft(web_as(clinician), session.pk)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'id="u2"' in html and UNQUOTED in html  # the transcript is shown, for checking
    assert 'class="evidence-link" href="#u' in html and 'data-evidence="u' in html
    assert "polarity-denied" in html and "Denied" in html  # "No, I would never do that" is a denial
    assert "Private — goes to your psychotherapy note, not the record" in html


def test_htmx_gets_the_workspace_alone(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    consent(clinician, client_of_record)
    http = web_as(clinician)
    data = {"transcript": TRANSCRIPT, "transcript_format": "auto", "note_format": "SOAP"}
    html = http.post(f"/sessions/{session.pk}/draft/", data, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="draft-workspace"') and "<html" not in html


def test_colleague_cannot_find_the_session(
    web_as: Any, clinician: User, colleague: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    consent(clinician, client_of_record)
    http = web_as(colleague)
    assert http.get(f"/sessions/{session.pk}/draft/").status_code == 404
    assert post_draft(http, session.pk).status_code == 404
    accept = {"note_format": "SOAP", "engine": ENGINE_NAME, "engine_version": ENGINE_VERSION, "section-plan": "x"}
    assert http.post(f"/sessions/{session.pk}/draft/accept/", accept).status_code == 404
    assert http.post(f"/sessions/{session.pk}/draft/private/", {"body": "x"}).status_code == 404


def test_biller_is_refused(web_as: Any, clinician: User, biller: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(biller)
    assert http.get(f"/sessions/{session.pk}/draft/").status_code == 403
    assert post_draft(http, session.pk).status_code == 403


def test_supervisor_sees_the_session_but_cannot_draft_its_note(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    session = session_for(supervisee_client, supervisee)
    consent(supervisee, supervisee_client)
    http = web_as(supervisor)
    assert http.get(f"/sessions/{session.pk}/").status_code == 200
    assert http.get(f"/sessions/{session.pk}/draft/").status_code == 403
    assert post_draft(http, session.pk).status_code == 403


def test_accepting_creates_a_draft_note_drafted_with_the_engine(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    consent(clinician, client_of_record)
    http = web_as(clinician)
    assert post_draft(http, session.pk).status_code == 200
    accept = {
        "note_format": "SOAP",
        "engine": ENGINE_NAME,
        "engine_version": ENGINE_VERSION,
        "section-subjective": "Reports sleeping about four hours a night.",
        "section-plan": "Three small activities; next session Tuesday.",
    }
    response = http.post(f"/sessions/{session.pk}/draft/accept/", accept)
    assert response.status_code == 302 and response["Location"] == f"/sessions/{session.pk}/"
    note = ProgressNote.objects.get(session=session)
    assert note.status == NoteStatus.DRAFT and note.author == clinician
    assert note.drafted_with == {"engine": ENGINE_NAME, "version": ENGINE_VERSION}
    assert note.sections["subjective"] == "Reports sleeping about four hours a night."
    editor = http.get(f"/sessions/{session.pk}/").content.decode()
    assert "Reports sleeping about four hours a night." in editor


def test_accepting_fills_the_open_draft_after_what_was_written(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    start_note(actor=clinician, session=session, format="SOAP", sections={"subjective": "Arrived late."})
    accept = {
        "note_format": "SOAP",
        "engine": ENGINE_NAME,
        "engine_version": ENGINE_VERSION,
        "section-subjective": "Reports poor sleep.",
    }
    response = web_as(clinician).post(f"/sessions/{session.pk}/draft/accept/", accept)
    assert response.status_code == 302
    note = ProgressNote.objects.get(session=session)
    assert note.sections["subjective"] == "Arrived late.\n\nReports poor sleep."
    assert note.drafted_with == {"engine": ENGINE_NAME, "version": ENGINE_VERSION}


def test_accepting_into_an_open_draft_of_another_format_is_refused(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    start_note(actor=clinician, session=session, format="DAP", sections={"data": "Arrived late."})
    accept = {"note_format": "SOAP", "engine": ENGINE_NAME, "engine_version": ENGINE_VERSION, "section-plan": "x"}
    response = web_as(clinician).post(f"/sessions/{session.pk}/draft/accept/", accept)
    assert response.status_code == 422
    assert "draft again in DAP" in response.content.decode()
    note = ProgressNote.objects.get(session=session)
    assert note.sections["data"] == "Arrived late." and note.drafted_with is None


def test_accepting_a_tampered_draft_is_refused(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    accept = {"note_format": "SOAP", "engine": "<script>", "engine_version": ENGINE_VERSION, "section-plan": "x"}
    assert web_as(clinician).post(f"/sessions/{session.pk}/draft/accept/", accept).status_code == 422
    assert not ProgressNote.objects.filter(session=session).exists()


def stored_text() -> str:
    """Every row of every table in both databases, as text."""
    rows = []
    for model in apps.get_models():
        for alias in django_settings.DATABASES:
            if router.allow_migrate_model(alias, model):
                rows.extend(str(row) for row in model._default_manager.using(alias).values())
    # Session data is stored encoded: read it decoded too, so a transcript put in the session would be found.
    rows.extend(str(session.get_decoded()) for session in Session.objects.all())
    return "\n".join(rows)


def test_the_transcript_is_stored_nowhere(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    consent(clinician, client_of_record)
    http = web_as(clinician)
    assert post_draft(http, session.pk).status_code == 200
    stored = stored_text()
    assert stored  # the search did read the tables
    for phrase in (UNQUOTED, "four hours a night", "texting my ex"):
        assert phrase not in stored
    # Refusals keep nothing either (a malformed line is quoted in the response only).
    broken = f"WEBVTT\n\n00:00:01.000 --> {UNQUOTED}\n"
    assert post_draft(http, session.pk, transcript=broken).status_code == 422
    assert UNQUOTED not in stored_text()


def test_private_draft_goes_to_the_authors_vault_only(
    web_as: Any, settings: Any, clinician: User, colleague: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    consent(clinician, client_of_record)
    http = web_as(clinician)
    body = "Another tense weekend at home; shame when describing the texts."
    response = http.post(f"/sessions/{session.pk}/draft/private/", {"body": body})
    assert response.status_code == 302 and response["Location"].startswith("/vault/notes/")
    note_page = response["Location"]
    assert body not in stored_text()  # encrypted in the vault database
    assert body in http.get(note_page).content.decode()
    assert web_as(colleague).get(note_page).status_code == 404
    assert ProgressNote.objects.filter(session=session).count() == 0  # nothing went to the record


def test_private_draft_saved_through_htmx_says_so_in_place(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    response = http.post(f"/sessions/{session.pk}/draft/private/", {"body": "Observations."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved to your private notes" in response.content.decode()
    empty = http.post(f"/sessions/{session.pk}/draft/private/", {"body": "  "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 422 and "Not saved" in empty.content.decode()


def test_proposals_are_offered_unticked_and_only_the_ticked_ones_reach_the_note(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    consent(clinician, client_of_record)
    http = web_as(clinician)
    page = post_draft(http, session.pk).content.decode()
    assert 'name="use-risk" value="suicidal_ideation"' in page
    # "Thoughts of hurting yourself or ending your life?" is one suicide screen (the PHQ-9's item 9), not two.
    assert 'name="use-risk" value="self_harm"' not in page
    assert "checked" not in page.split("Proposed for the note")[1].split("</fieldset>")[0]
    accept = {
        "note_format": "SOAP",
        "engine": ENGINE_NAME,
        "engine_version": ENGINE_VERSION,
        "section-plan": "Three small activities.",
        "use-risk": ["suicidal_ideation"],
        "risk-suicidal_ideation-level": "none",
        "risk-suicidal_ideation-plan": "false",
        "risk-suicidal_ideation-intent": "false",
        "risk-suicidal_ideation-means": "false",
        "risk-self_harm-level": "none",  # offered, not ticked: not used
        "use-intervention": ["behavioral activation"],
    }
    assert http.post(f"/sessions/{session.pk}/draft/accept/", accept).status_code == 302
    note = ProgressNote.objects.get(session=session)
    assert note.risk == {"suicidal_ideation": {"level": "none", "plan": False, "intent": False, "means": False}}
    assert note.interventions == ["behavioral activation"]


def test_a_tampered_proposal_is_refused_by_the_notes_own_rules(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    accept = {
        "note_format": "SOAP",
        "engine": ENGINE_NAME,
        "engine_version": ENGINE_VERSION,
        "use-risk": ["suicidal_ideation"],
        "risk-suicidal_ideation-level": "catastrophic",
    }
    response = web_as(clinician).post(f"/sessions/{session.pk}/draft/accept/", accept)
    assert response.status_code == 422
    assert not ProgressNote.objects.filter(session=session).exists()
