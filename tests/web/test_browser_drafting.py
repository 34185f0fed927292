"""In a real browser: the clinician drafts a note from a pasted transcript, follows a sentence to its evidence, saves
the private draft to the vault, and uses the draft as the session's progress note."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from confide.clients.models import Client
from confide.clients.services import record_consent
from confide.drafting import ENGINE_NAME, ENGINE_VERSION
from confide.notes.models import NoteStatus, ProgressNote
from confide.people.models import User
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])

TRANSCRIPT = """Maria Rivera: How have you been since last week?
Alex Morgan: Honestly pretty down. I've been sleeping badly, waking up at 3 and can't get back to sleep.
Maria Rivera: That sounds exhausting. How's your appetite?
Alex Morgan: Not great. I've been skipping meals. And I missed work twice this week.
Maria Rivera: I want to check in about safety. Have you had any thoughts of killing yourself?
Alex Morgan: No. I'd never do that, my kids need me.
Alex Morgan: Things with my husband are bad. He found out I'd been texting my ex and we fought all weekend.
Maria Rivera: Let's look at the thought "I'm a failure". What's the evidence for and against that thought?
Alex Morgan: I guess that's true, I did finish the project. That helps.
Maria Rivera: I'd like you to fill out one thought record each day when your mood drops. See you next Tuesday.
"""


def test_without_consent_the_clinician_is_told_what_to_do(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(client_of_record, clinician)
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/draft/")
    page.get_by_label("Or paste the transcript, or type your jotted points").fill(TRANSCRIPT)
    page.get_by_role("button", name="Draft the note").click()
    page.get_by_test_id("consent-missing").wait_for()
    visit.check()
    assert "Ask the front desk to record the signed consent" in page.get_by_test_id("consent-missing").inner_text()
    visit.shot("drafting-2-consent-missing")


def test_clinician_drafts_checks_evidence_and_uses_the_draft(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(client_of_record, clinician)
    record_consent(actor=clinician, client=client_of_record, kind="session_transcription", signed_on=date(2026, 1, 2))
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Draft from a transcript").click()
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/draft/")
    visit.check()
    page.get_by_label("Or paste the transcript, or type your jotted points").fill(TRANSCRIPT)
    page.get_by_label("Note format").select_option("SOAP")
    visit.shot("drafting-1-form")
    page.get_by_role("button", name="Draft the note").click()
    page.get_by_role("heading", name="Drafted SOAP note").wait_for()
    visit.check()
    assert page.evaluate("document.activeElement.id") == "draft-result-title"  # focus moves to the result

    # Clicking a sentence marks every utterance it rests on; focusing another with the keyboard moves the mark.
    sleep = page.locator(".evidence-link", has_text="sleep disturbance")
    evidence = (sleep.get_attribute("data-evidence") or "").split()
    assert evidence
    sleep.click()
    for utterance_id in evidence:
        assert "is-evidence" in (page.locator(f"#{utterance_id}").get_attribute("class") or "")
    assert "I've been sleeping badly" in page.locator(".utterance.is-evidence").first.inner_text()
    visit.shot("drafting-3-evidence")
    denied = page.locator(".risk-flag", has_text="Suicidal ideation")
    assert "Denied" in denied.locator(".polarity").inner_text()
    denied.locator(".evidence-link").focus()
    flag_evidence = (denied.locator(".evidence-link").get_attribute("data-evidence") or "").split()
    marked = page.locator(".utterance.is-evidence").evaluate_all("nodes => nodes.map(n => n.id)")
    assert marked == flag_evidence and "killing yourself" in page.locator("#evidence-status").inner_text()
    visit.check()

    # The private draft goes to the vault, in place, without leaving the page.
    private = page.locator("#private-draft")
    assert private.get_by_text("Private — goes to your psychotherapy note, not the record").is_visible()
    private.get_by_role("button", name="Save to my private notes").click()
    private.get_by_text("Saved to your private notes").wait_for()
    visit.check()

    # Edit a section, then use the draft: the session page opens with the note editor filled.
    subjective = page.get_by_label("Subjective", exact=True)
    assert "sleep disturbance" in subjective.input_value()
    subjective.fill(subjective.input_value() + "\nClient attended on time.")
    visit.shot("drafting-4-result")
    page.get_by_role("button", name="Use this draft").click()
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/")
    visit.check()
    editor = page.get_by_label("Subjective (required to sign)")
    assert "sleep disturbance" in editor.input_value() and "Client attended on time." in editor.input_value()
    assert page.locator(".messages").get_by_text("The drafted text is in your progress note").is_visible()
    visit.shot("drafting-5-editor")

    note = ProgressNote.objects.get(session=session)
    assert note.status == NoteStatus.DRAFT
    assert note.drafted_with == {"engine": ENGINE_NAME, "version": ENGINE_VERSION}
    assert "texting my ex" not in str(note.sections)  # the sensitive detail went to the private draft only
