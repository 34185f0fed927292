"""In a real browser, each role's pages pass axe: the administrator's, the biller's and the front desk's."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, sign_in
from tests.web.notes_support import signed_note

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_admin_pages(visit: Visit, settings: Any, admin: User, supervisor: User) -> None:
    settings.MFA_REQUIRED_ROLES = []
    sign_in(visit, admin.username, PASSWORD)
    assert visit.page.get_by_role("heading", name="Users", exact=True).is_visible()
    visit.shot("50-admin-users")
    visit.goto("/manage/users/new/")
    page = visit.page
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Full name").fill("New Bie")
    page.get_by_label("Role").select_option("clinician")
    page.get_by_label("Supervisor").select_option(label=supervisor.display_name)
    page.get_by_label("Password").fill("a long enough password 9")
    visit.shot("51-admin-new-user")
    page.get_by_role("button", name="Add user").click()
    page.get_by_text("Added New Bie").wait_for()
    visit.check()
    visit.goto("/manage/settings/")
    visit.shot("52-admin-settings")


def test_biller_and_front_desk_pages(
    visit: Visit, settings: Any, biller: User, clinician: User, client_of_record: Client, treatment_plan: Any
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(client_of_record, clinician)
    signed_note(session, clinician)
    sign_in(visit, biller.username, PASSWORD)
    assert visit.page.get_by_text("Billable").first.is_visible()
    visit.shot("60-billing")
    visit.goto(f"/clients/{client_of_record.pk}/")
    visit.goto(f"/sessions/{session.pk}/")
    visit.shot("61-biller-session")
    visit.goto("/schedule/")


def test_front_desk_pages(
    visit: Visit, settings: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session_for(client_of_record, clinician)
    sign_in(visit, front_desk.username, PASSWORD)
    assert visit.page.get_by_role("heading", name="Today's schedule").is_visible()
    visit.shot("70-front-desk")
    page = visit.page
    page.get_by_role("link", name="Next day").click()
    page.wait_for_url("**/schedule/?day=*")
    visit.check()
    assert page.get_by_role("heading", name="Schedule", exact=True).is_visible()
    assert page.get_by_text("No sessions scheduled on this day.").is_visible()
    visit.shot("72-schedule-next-day")
    page.get_by_label("Go to date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("load")
    visit.check()
    assert page.get_by_role("heading", name="Today's schedule").is_visible()
    assert page.get_by_label("Go to date").input_value() == timezone.localdate().isoformat()
    visit.goto("/clients/")
    visit.goto(f"/clients/{client_of_record.pk}/")
    settings.DEMO_MODE = True
    visit.goto("/schedule/")
    assert visit.page.get_by_text("Demo mode — MFA is relaxed; not for real client data").is_visible()
    visit.shot("71-demo-banner")
