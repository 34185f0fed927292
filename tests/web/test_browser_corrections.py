"""In a real browser: the front desk sees every registration error at once and fixes them, corrects a client's
details, discharges and readmits; an administrator changes a user's credentials and supervisor. Every page visited,
the error pages included, passes axe and the strict Content-Security-Policy (tests/web/browser.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import PASSWORD
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def _sign_out(visit: Visit) -> None:
    visit.page.get_by_role("button", name="Sign out").click()
    visit.page.wait_for_load_state("load")


def test_the_front_desk_fixes_every_error_at_once_then_corrects_discharges_and_readmits(
    visit: Visit, settings: Any, front_desk: User, clinician: User
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    sign_in(visit, front_desk.username, PASSWORD)
    visit.goto("/clients/new/")
    page.get_by_label("Last name").fill("Hale")
    page.get_by_label("Date of birth").fill("14.6.1988")
    page.get_by_label("Email").fill("robin at example")
    page.get_by_role("button", name="Register client").click()
    page.get_by_text("4 things to fix before saving").wait_for()
    visit.check()
    visit.shot("corrections-01-every-error-at-once")
    summary = page.get_by_role("alert")
    assert "Enter the first name." in summary.inner_text()
    assert "Enter the date of birth as MM/DD/YYYY, e.g. 04/17/1988." in summary.inner_text()
    # The message is the field's description, so a screen reader hears it on reaching the field.
    assert page.get_by_label("Date of birth").get_attribute("aria-invalid") == "true"
    described = page.get_by_label("Date of birth").get_attribute("aria-describedby") or ""
    assert "id_date_of_birth_error" in described
    summary.get_by_role("link", name="Enter the first name.").click()
    assert page.evaluate("document.activeElement.id") == "id_first_name"

    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Date of birth").fill("06/14/1988")
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("Primary clinician").select_option(label=clinician.display_name)
    page.get_by_role("button", name="Register client").click()
    page.get_by_text("Registered Robin Hale.").wait_for()
    client = Client.objects.get(last_name="Hale")
    assert client.date_of_birth == date(1988, 6, 14)

    page.get_by_role("link", name="Edit details").click()
    visit.check()
    page.get_by_label("Phone").fill("555-0142")
    page.get_by_role("button", name="Save details").click()
    page.get_by_text("Details saved.").wait_for()
    page.get_by_role("link", name="History of changes").click()
    visit.check()
    visit.shot("corrections-02-history")
    assert "555-0142" in page.get_by_role("main").inner_text()

    visit.goto(f"/clients/{client.pk}/")
    page.get_by_role("link", name="Discharge").click()
    visit.check()
    page.get_by_role("button", name="Discharge").click()
    page.get_by_text("One thing to fix before saving").wait_for()
    visit.check()
    page.get_by_label("Reason for discharge").fill("Treatment goals met")
    page.get_by_role("button", name="Discharge").click()
    page.get_by_text("Robin Hale is discharged").wait_for()
    visit.check()
    visit.goto("/clients/")
    assert page.get_by_role("link", name="Hale, Robin").count() == 0
    page.get_by_label("Include discharged clients").check()
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Hale, Robin").wait_for()
    visit.check()

    visit.goto(f"/clients/{client.pk}/discharge/")
    page.get_by_label("Readmitted on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Readmit").click()
    page.get_by_text("Robin Hale is readmitted").wait_for()
    page.get_by_role("heading", name="Episodes of care").wait_for()
    visit.check()
    visit.shot("corrections-03-readmitted-chart")
    assert "Treatment goals met" in page.get_by_role("main").inner_text()


def test_the_admin_changes_a_users_credentials_and_supervisor(
    visit: Visit, settings: Any, admin: User, colleague: User, supervisor: User, supervisee: User
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    sign_in(visit, admin.username, PASSWORD)
    visit.goto("/manage/users/")
    page.get_by_role("link", name=colleague.display_name, exact=True).click()
    visit.check()
    options = page.get_by_label("Supervisor", exact=True).locator("option").all_inner_texts()
    assert supervisor.display_name in options and supervisee.display_name not in options
    page.get_by_label("Credentials", exact=True).fill("PsyD")
    page.get_by_label("Supervisor", exact=True).select_option(label=supervisor.display_name)
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text(f"Saved the changes to {colleague.full_name}").wait_for()
    visit.check()
    visit.shot("corrections-04-user-history")
    history = page.get_by_role("region", name="History").inner_text()
    assert "PhD" in history and "PsyD" in history and supervisor.display_name in history
