"""In a real browser: the supervisor returns a supervisee's periodic summary from the review step with a comment,
by keyboard, and the author reads the comment on the draft. Every page passes axe and the strict CSP."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from confide.clients.models import Client
from confide.notes.models import NoteStatus
from confide.people.models import User
from confide.summaries import services as summaries
from confide.summaries.models import Summary
from tests.conftest import PASSWORD
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])

COMMENT = "Say which goals moved."


def test_the_supervisor_returns_a_summary_and_the_author_reads_why(
    visit: Visit, settings: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    summary = summaries.create_summary(
        actor=supervisee, client=supervisee_client, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    summaries.edit_summary(actor=supervisee, summary_id=summary.pk, sections={"progress": "Steady progress."})
    summaries.sign_summary(actor=supervisee, summary_id=summary.pk)
    page = visit.page
    sign_in(visit, supervisor.username, PASSWORD)
    visit.goto(f"/summaries/{summary.pk}/")
    page.get_by_role("link", name="Review and co-sign").click()
    page.get_by_role("heading", name="Return to Sam Lee, LPC-A").wait_for()
    visit.check()

    page.get_by_role("button", name="Return with comment").click()  # no comment yet: refused beside the field
    page.get_by_role("alert").filter(has_text="the comment is required to return a summary").wait_for()
    visit.check()
    assert page.get_by_label("What needs to change").get_attribute("aria-invalid") == "true"
    page.get_by_label("What needs to change").focus()
    page.keyboard.type(COMMENT)
    page.keyboard.press("Tab")  # to the button
    page.keyboard.press("Enter")
    page.get_by_text("Returned to Sam Lee, LPC-A with your comment.").wait_for()
    visit.check()
    assert Summary.objects.get(pk=summary.pk).status == NoteStatus.DRAFT
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")

    sign_in(visit, supervisee.username, PASSWORD)
    visit.goto(f"/summaries/{summary.pk}/")
    note = page.locator("#return-comment")
    assert note.inner_text() == f"Returned by Ada Okafor, PsyD: {COMMENT}"
    visit.shot("summary-returned")
