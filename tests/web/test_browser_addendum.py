"""In a real browser: a signed note stays locked; the clinician adds an addendum to it."""

from __future__ import annotations

from typing import Any

import pytest

from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, sign_in
from tests.web.notes_support import signed_note

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_clinician_adds_an_addendum_to_a_signed_note(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(client_of_record, clinician, days_ago=1)
    note = signed_note(session, clinician)
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/")
    assert page.get_by_role("button", name="Save draft").count() == 0  # locked: no editor for the signed note
    page.get_by_label("Add an addendum").fill("Client called after the session to report a new job offer.")
    page.get_by_role("button", name="Add addendum").click()
    page.get_by_text("Addendum added.").wait_for()
    visit.check()
    assert page.get_by_text("Client called after the session to report a new job offer.").is_visible()
    assert note.addenda.count() == 1
    visit.shot("30-addendum")
