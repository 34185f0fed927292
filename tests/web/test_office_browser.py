"""In a real browser: the front desk registers a client and schedules a session; the clinician records it kept.
Every front-office page visited passes axe and the strict Content-Security-Policy."""

from __future__ import annotations

import re
from typing import Any

import pytest

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions.models import TherapySession
from tests.conftest import PASSWORD
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def _sign_out(visit: Visit) -> None:
    visit.page.get_by_role("button", name="Sign out").click()
    visit.page.wait_for_load_state("load")


def test_front_desk_registers_and_schedules_and_the_clinician_records_kept(
    visit: Visit, settings: Any, front_desk: User, clinician: User
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    sign_in(visit, front_desk.username, PASSWORD)
    visit.goto("/clients/")
    page.get_by_role("link", name="Register a client").click()
    page.wait_for_url(f"{visit.base_url}/clients/new/")
    visit.check()
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Hale")
    page.get_by_label("Pronouns").fill("they/them")
    page.get_by_label("Date of birth").fill("1988-06-14")
    page.get_by_label("Phone").fill("555-0100")
    page.get_by_label("Primary clinician").select_option(label=clinician.display_name)
    visit.shot("office-01-register")
    page.get_by_role("button", name="Register client").click()
    page.get_by_text("Registered Robin Hale.").wait_for()
    visit.check()
    client = Client.objects.get(last_name="Hale")
    assert page.url == f"{visit.base_url}/clients/{client.pk}/"
    visit.shot("office-02-chart-front-desk")

    page.get_by_role("link", name="Add an outside contact").click()
    visit.check()
    page.get_by_label("Kind of contact").select_option("payer")
    page.get_by_label("Name").fill("Blue Shield")
    page.get_by_label("Member id").fill("XK-4417")
    page.get_by_role("button", name="Add contact").click()
    page.get_by_text("member XK-4417").wait_for()

    page.get_by_role("link", name="Transcription consent").click()
    visit.check()
    page.get_by_label("Signed by the client on").fill("2026-11-02")
    page.get_by_role("button", name="Record consent").click()
    page.get_by_text("Consent recorded.").wait_for()
    visit.check()
    visit.shot("office-03-consents")
    page.get_by_role("button", name="Revoke").click()
    page.get_by_text("Consent revoked.").wait_for()
    visit.check()

    page.get_by_role("link", name="Back to the chart").click()
    page.get_by_role("link", name="Schedule a session").click()
    visit.check()
    page.get_by_label(re.compile(r"^Date\b")).fill("2026-12-01")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("14:55")
    page.get_by_label("Clinician").select_option(label=clinician.display_name)
    page.get_by_label("Service").select_option("individual")
    page.get_by_label("Setting").select_option("telehealth")
    visit.shot("office-04-schedule")
    page.get_by_role("button", name="Schedule session").click()
    page.get_by_text("Session scheduled.").wait_for()
    visit.check()
    assert page.get_by_text("90837").is_visible()
    visit.shot("office-05-session-booked")
    session = TherapySession.objects.get(client=client)
    assert session.status == "scheduled"
    visit.goto("/sessions/new/?q=hale")
    assert page.get_by_role("link", name="Hale, Robin").is_visible()
    _sign_out(visit)

    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/clients/{client.pk}/")
    visit.shot("office-06-chart-clinician")
    page.get_by_role("link", name="Attendance").first.click()
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/attendance/")
    visit.check()
    page.get_by_label("Kept").check()
    page.get_by_role("button", name="Record attendance").click()
    page.get_by_text("Attendance recorded: kept.").wait_for()
    visit.check()
    visit.shot("office-07-attendance-kept")
    session.refresh_from_db()
    assert session.status == "kept"


def test_clinician_pages_for_the_clinical_record(
    visit: Visit, settings: Any, clinician: User, colleague: User, client_of_record: Client, treatment_plan: Any
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/clients/{client_of_record.pk}/care-team/")
    page.get_by_label("Clinician to add").select_option(label=colleague.display_name)
    page.get_by_role("button", name="Add to care team").click()
    page.get_by_text(f"Added {colleague.display_name} to the care team.").wait_for()
    visit.check()

    visit.goto(f"/clients/{client_of_record.pk}/diagnoses/new/")
    page.get_by_label("Diagnosis (ICD-10-CM)").fill("F41.1")
    page.get_by_label("Diagnosed on").fill("2026-11-20")
    visit.shot("office-08-diagnosis")
    page.get_by_role("button", name="Add diagnosis").click()
    page.get_by_text("Added F41.1").wait_for()
    visit.check()

    visit.goto(f"/clients/{client_of_record.pk}/plan/revise/")
    assert page.get_by_label("Problem", exact=True).input_value() == "Depressed mood limiting work and sleep"
    page.get_by_label("Objective 3", exact=True).fill("Sleep diary every night")
    page.get_by_label("Objective 3 target date").fill("2027-02-15")
    visit.shot("office-09-plan")
    page.get_by_role("button", name="Save new version").click()
    page.get_by_text("Treatment plan version 2 saved").wait_for()
    visit.check()
    assert page.get_by_text("Sleep diary every night").is_visible()
    visit.shot("office-10-chart-after-plan")

    visit.goto("/account/password/")
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill("a brand new passphrase 31")
    page.get_by_label("New password again").fill("a brand new passphrase 31")
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("That is not your current password.").wait_for()
    visit.check()
    visit.shot("office-11-password-error")


def test_admin_deactivates_a_user_in_the_browser(visit: Visit, settings: Any, admin: User, biller: User) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    sign_in(visit, admin.username, PASSWORD)
    page.get_by_role("button", name=f"Deactivate {biller.display_name}").click()
    page.get_by_text(f"{biller.display_name} is deactivated").wait_for()
    visit.check()
    visit.shot("office-12-admin-deactivated")
    biller.refresh_from_db()
    assert not biller.is_active
