"""In a real browser: a clinician drafts a progress summary, reviews each section beside its evidence, edits and
signs it. Every page passes axe and the strict Content-Security-Policy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from confide.clients.models import Client
from confide.people.models import User
from confide.summaries.models import Summary
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, sign_in
from tests.web.notes_support import signed_note

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_a_clinician_drafts_reviews_edits_and_signs_a_summary(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    for days_ago in (20, 13, 6):
        signed_note(session_for(client_of_record, clinician, days_ago=days_ago), clinician)
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/clients/{client_of_record.pk}/")
    page.get_by_role("link", name="Progress summaries").click()
    page.get_by_role("heading", name="Draft a summary").wait_for()
    visit.check()
    today = timezone.localdate()
    page.get_by_label("From").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("To").fill(today.isoformat())
    page.get_by_role("button", name="Draft the summary").click()
    page.get_by_role("heading", name="Attendance and services").wait_for()
    visit.check()
    assert page.get_by_text("Of 3 sessions").first.is_visible()
    visit.shot("summaries-01-draft")
    page.get_by_label("Text of Plan and recommendations").fill("Continue weekly; add a sleep diary.")
    page.get_by_role("button", name="Save and sign").click()
    page.get_by_text("Signed. The summary is part of the official record.").wait_for()
    visit.check()
    assert Summary.objects.get().sections["plan"] == "Continue weekly; add a sleep diary."
    assert page.get_by_text("Continue weekly; add a sleep diary.").is_visible()
    visit.shot("summaries-02-signed")
