"""In a real browser: a supervisee signs a note, it waits for co-signature, and the supervisor co-signs it."""

from __future__ import annotations

from typing import Any

import pytest

from confide.clients.models import Client
from confide.notes.models import NoteStatus, ProgressNote
from confide.people.models import User
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, sign_in
from tests.web.notes_support import draft_note

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_supervisee_signs_and_supervisor_cosigns(
    visit: Visit, settings: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(supervisee_client, supervisee)
    note = draft_note(session, supervisee)
    page = visit.page

    sign_in(visit, supervisee.username, PASSWORD)
    visit.goto(f"/notes/{note.pk}/sign/")
    assert page.get_by_text("goes to Ada Okafor, PsyD for co-signature").is_visible()
    page.get_by_label("I attest that this note is accurate and complete", exact=False).check()
    page.get_by_role("button", name="Sign and lock").click()
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/")
    visit.check()
    assert page.get_by_text("Awaiting co-signature by Ada Okafor, PsyD").is_visible()
    visit.shot("20-awaiting-cosign")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{visit.base_url}/sign-in/")

    sign_in(visit, supervisor.username, PASSWORD)
    waiting = page.get_by_role("region", name="Waiting for your co-signature")
    waiting.get_by_role("link", name="Sam Lee, LPC-A", exact=False).click()
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/")
    visit.check()
    visit.shot("21-supervisor-review")
    page.get_by_role("link", name="Review and co-sign").click()
    page.wait_for_url(f"{visit.base_url}/supervision/notes/{note.pk}/")
    visit.check()
    page.get_by_label("I have reviewed this note and agree with its content", exact=False).check()
    page.get_by_role("button", name="Co-sign").click()
    page.wait_for_url(f"{visit.base_url}/supervision/")
    page.get_by_text("Co-signed 1:").wait_for()
    visit.check()
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED and note.cosigned_by == supervisor
    assert note.cosign_attestation == "I have reviewed this note and agree with its content."
    visit.goto(f"/sessions/{session.pk}/")
    assert page.get_by_text("Co-signed by").is_visible()
    assert page.get_by_text("I have reviewed this note and agree with its content.", exact=False).is_visible()


def test_supervisor_returns_a_note_with_a_comment(
    visit: Visit, settings: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    from confide.notes.services import sign_note

    settings.MFA_REQUIRED_ROLES = []
    session = session_for(supervisee_client, supervisee)
    note = sign_note(actor=supervisee, note=draft_note(session, supervisee))
    page = visit.page
    sign_in(visit, supervisor.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/")
    page.get_by_label("Return with a comment").fill("Name the intervention you used.")
    page.get_by_role("button", name="Return to author").click()
    page.get_by_text("Returned to the author").wait_for()
    visit.check()
    assert ProgressNote.objects.get(pk=note.pk).status == NoteStatus.DRAFT
