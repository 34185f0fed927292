"""In a real browser: the author writes a private note beside the progress note, sees the boundary warning, grants
her supervisor, and another clinician cannot reach it (axe-core and the CSP are checked on every page)."""

from __future__ import annotations

from typing import Any

import pytest

from confide.people.models import User
from tests.conftest import PASSWORD
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_author_writes_a_private_note_and_a_colleague_cannot_reach_it(
    visit: Visit, settings: Any, clinician: User, colleague: User, supervisor: User, therapy_session: Any, marker: str
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    sign_in(visit, supervisor.username, PASSWORD)  # the supervisor signs in once, so has a vault key to grant to
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")

    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{therapy_session.pk}/")
    panel = page.locator(".private-note")
    assert panel.get_by_text("Private note — not part of the record").is_visible()
    panel.get_by_label("New private note").fill(f"{marker} I felt the pull to rescue. PHQ-9 was 19 today.")
    panel.get_by_role("button", name="Save to the vault").click()
    page.wait_for_load_state("load")
    visit.check()
    assert page.get_by_role("heading", name="Boundary check: this belongs in the progress note").is_visible()
    assert page.get_by_text(marker).first.is_visible()
    note_url = page.url
    visit.shot("vault-10-private-note")

    page.get_by_label("Let a supervisor read this note for supervised training").select_option(str(supervisor.pk))
    page.get_by_role("button", name="Grant access").click()
    page.wait_for_load_state("load")
    visit.check()
    assert page.get_by_text("may now read this note").is_visible()
    visit.goto("/vault/notes/")
    assert page.get_by_role("heading", name="My private notes").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")

    sign_in(visit, colleague.username, PASSWORD)
    response = visit.goto(note_url.removeprefix(visit.base_url))
    assert response.status == 404
    assert page.get_by_text(marker).count() == 0
    visit.goto("/vault/notes/")
    assert page.get_by_text(marker).count() == 0
    visit.shot("vault-11-colleague-404")
