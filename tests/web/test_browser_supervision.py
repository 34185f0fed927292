"""In a real browser (axe on every page): the supervisor reviews and co-signs from the queue with an attestation,
co-signs reviewed notes together, returns one with a comment; the supervisee's day, on a 390-pixel phone screen,
shows the comment, keeps "awaiting your supervisor" apart from "overdue", and never scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from confide.clients.models import Client
from confide.notes.models import NoteStatus, ProgressNote
from confide.notes.services import COSIGN_ATTESTATION
from confide.people.models import User
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, sign_in
from tests.web.notes_support import signed_note

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])

PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _status(note: ProgressNote) -> str:
    return ProgressNote.objects.get(pk=note.pk).status


def test_supervisor_reviews_cosigns_batches_and_returns_from_the_queue(
    visit: Visit, settings: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    first, second, third, fourth = (
        signed_note(session_for(supervisee_client, supervisee, days_ago=d), supervisee) for d in (4, 3, 2, 1)
    )
    page = visit.page
    sign_in(visit, supervisor.username, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Co-sign queue").click()
    page.wait_for_url(f"{visit.base_url}/supervision/")
    visit.check()
    queue = page.get_by_role("region", name="Awaiting your co-signature")
    assert queue.get_by_text("Not yet reviewed").count() == 4
    visit.shot("70-cosign-queue")

    # Review and co-sign one note from its review page, with the attestation.
    page.get_by_role("link", name="Review the note for Jordan Blake").first.click()
    page.wait_for_url(f"{visit.base_url}/supervision/notes/{first.pk}/")
    visit.check()
    page.get_by_role("button", name="Co-sign").click()  # without the attestation: refused, said beside the box
    page.get_by_text("Tick the attestation to co-sign.").wait_for()
    visit.check()
    page.get_by_label(COSIGN_ATTESTATION).check()
    page.get_by_role("button", name="Co-sign").click()
    page.wait_for_url(f"{visit.base_url}/supervision/")
    page.get_by_text("Co-signed 1").wait_for()
    visit.check()
    assert _status(first) == NoteStatus.SIGNED

    # Open two more, then co-sign them together; the fourth, never opened, cannot be ticked.
    for note in (second, third):
        visit.goto(f"/supervision/notes/{note.pk}/")
    visit.goto("/supervision/")
    boxes = page.get_by_role("checkbox", name="Co-sign Jordan Blake", exact=False)
    assert boxes.count() == 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_label(COSIGN_ATTESTATION).check()
    visit.shot("71-cosign-batch")
    page.get_by_role("button", name="Co-sign selected").click()
    page.get_by_text("Co-signed 2").wait_for()
    visit.check()
    assert [_status(n) for n in (second, third, fourth)] == [NoteStatus.SIGNED, NoteStatus.SIGNED, "awaiting_cosign"]
    assert ProgressNote.objects.get(pk=second.pk).cosign_attestation == COSIGN_ATTESTATION

    # The signed note shows the attestation.
    visit.goto(f"/supervision/notes/{second.pk}/")
    assert page.get_by_test_id("attestation").inner_text() == f"“{COSIGN_ATTESTATION}”"

    # Return the last one with a comment (an empty comment is refused).
    visit.goto(f"/supervision/notes/{fourth.pk}/")
    page.get_by_role("button", name="Return with comment").click()
    page.get_by_text("the comment is required").wait_for()
    visit.check()
    page.get_by_label("What needs to change").fill("Name the intervention you used.")
    page.get_by_role("button", name="Return with comment").click()
    page.get_by_text("Returned to Sam Lee, LPC-A with your comment.").wait_for()
    visit.check()
    assert _status(fourth) == NoteStatus.DRAFT
    assert page.get_by_text("Nothing is waiting for your co-signature.").is_visible()


def test_supervisee_day_on_a_phone(
    visit: Visit, settings: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    from confide.notes.services import return_note

    settings.MFA_REQUIRED_ROLES = []
    settings.NOTE_LATE_ENTRY_HOURS = 72
    supervisee_client.first_name = "Maximiliana-Theodora" * 5  # 100 characters, no space to break at
    supervisee_client.last_name = "Vandenberghe-Okonkwo" * 5
    supervisee_client.save()
    for days_ago in (6, 5):
        signed_note(session_for(supervisee_client, supervisee, days_ago=days_ago), supervisee)
    returned = signed_note(session_for(supervisee_client, supervisee, days_ago=4), supervisee)
    return_note(actor=supervisor, note=returned, comment="Add the plan for next week.")
    session_for(supervisee_client, supervisee)  # today's session, no note yet

    page = visit.page
    page.set_viewport_size(PHONE)
    sign_in(visit, supervisee.username, PASSWORD)
    visit.check()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the day view scrolls sideways at 390 pixels"
    awaiting = page.get_by_role("region", name="Awaiting your supervisor")
    assert awaiting.get_by_role("listitem").count() == 2
    overdue = page.get_by_role("region", name="Overdue")
    assert overdue.get_by_role("listitem").count() == 1  # only the returned draft is the supervisee's to sign
    assert page.get_by_text("Add the plan for next week.").is_visible()
    name = page.get_by_role("region", name="Today's sessions").locator(".client-name").first
    assert name.get_attribute("title") == supervisee_client.name
    box = name.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    visit.shot("72-day-phone")

    sign_out = page.get_by_role("button", name="Sign out")
    sign_out.click()
    page.wait_for_url(f"{visit.base_url}/sign-in/")
    sign_in(visit, supervisor.username, PASSWORD)
    visit.goto("/supervision/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the co-sign queue scrolls sideways at 390 pixels"
    visit.shot("73-queue-phone")
    page.get_by_role("link", name="Review the note for", exact=False).first.click()
    page.wait_for_url(f"{visit.base_url}/supervision/notes/*/")
    visit.check()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the review page scrolls sideways at 390 pixels"
    visit.shot("74-review-phone")
