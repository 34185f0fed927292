"""In a real browser: a clinician opens the day, writes a SOAP progress note, saves it, and signs it."""

from __future__ import annotations

from typing import Any

import pytest

from confide.clients.models import Client
from confide.notes.models import NoteStatus, ProgressNote
from confide.people.models import User
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_clinician_writes_and_signs_a_progress_note(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client, treatment_plan: Any
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(client_of_record, clinician, days_ago=0)
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    today = page.locator("#today")
    assert today.get_by_role("link", name="Alex Morgan", exact=True).is_visible()
    assert today.get_by_text("No note").is_visible()
    visit.shot("10-day")

    today.get_by_role("link", name="Write note for Alex Morgan", exact=False).click()
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/")
    visit.check()
    # The format picker swaps in the chosen format's sections (from formats.toml) without a reload.
    visit.choose_format("DAP")
    page.get_by_label("Data (required to sign)").wait_for()
    visit.choose_format("SOAP")
    page.get_by_label("Subjective (required to sign)").wait_for()
    visit.check()
    page.get_by_label("Subjective (required to sign)").fill(
        "Reports low mood most days and poor sleep; went to work four of five days."
    )
    page.get_by_label("Objective (required to sign)").fill(
        "Casually dressed, good eye contact, affect constricted. PHQ-9 today 14."
    )
    page.get_by_label("Assessment (required to sign)").fill("Moderate depressive symptoms, improving slowly. Risk low.")
    page.get_by_label("Plan (required to sign)").fill(
        "Behavioural activation: schedule three valued activities. Next session in one week."
    )
    si = page.get_by_role("group", name="Suicidal ideation")
    si.get_by_label("Level").select_option("low")
    page.get_by_label("Protective factors").fill("Close to her sister; engaged in treatment.")
    page.get_by_label("Mood (client's words)").fill("\u201cflat\u201d")
    page.get_by_label("Interventions").fill("Behavioural activation\nActivity scheduling")
    page.get_by_label("Schedule three valued activities a week").check()
    visit.shot("11-editor")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Saved at").wait_for()
    visit.check()

    note = ProgressNote.objects.get(session=session)
    assert note.status == NoteStatus.DRAFT
    assert note.sections["subjective"].startswith("Reports low mood")
    assert note.risk["suicidal_ideation"] == {"level": "low", "plan": False, "intent": False, "means": False}
    assert note.mental_status == {"mood": "\u201cflat\u201d"}  # blank domains stay not assessed

    page.get_by_role("button", name="Review and sign…").click()
    page.wait_for_url(f"{visit.base_url}/notes/{note.pk}/sign/")
    visit.check()
    visit.shot("12-sign-confirm")
    page.get_by_label("I attest that this note is accurate and complete", exact=False).check()
    page.get_by_role("button", name="Sign and lock").click()
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/")
    visit.check()
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED
    assert not page.get_by_test_id("content-hash").is_visible()  # behind its "details" toggle
    page.get_by_text("Show the SHA-256").click()
    assert page.get_by_test_id("content-hash").inner_text() == note.content_hash
    assert page.get_by_text("Signed and locked.").is_visible()
    visit.shot("13-signed")

    visit.goto(f"/clients/{client_of_record.pk}/")
    assert page.get_by_role("heading", name="Treatment plan").is_visible()
    visit.shot("14-chart")
