"""In a real browser: the office's scheduling form warns of a double booking and asks for the explicit "book it
anyway" before booking it; the schedule page then flags it in words. Every page passes axe and the strict CSP."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions import services
from confide.sessions.models import Status, TherapySession
from tests.conftest import PASSWORD
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_the_office_form_asks_before_a_double_booking_and_the_schedule_flags_it(
    visit: Visit, settings: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    other = Client.objects.create(
        first_name="Sky", last_name="Ortiz", date_of_birth=date(1992, 3, 3), primary_clinician=clinician
    )
    day = timezone.localdate()
    ten = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    services.schedule_session(
        actor=front_desk,
        client=other,
        clinician_id=clinician.pk,
        starts_at=ten,
        ends_at=ten + timedelta(minutes=50),
        service="individual",
        setting="in_person",
        status=Status.SCHEDULED,
    )
    page = visit.page
    sign_in(visit, front_desk.username, PASSWORD)
    visit.goto(f"/clients/{client_of_record.pk}/sessions/new/")
    assert page.get_by_label("Book it even though it overlaps another session").count() == 0
    page.get_by_label(re.compile(r"^Date\b")).fill(day.isoformat())
    page.get_by_label("Start time").fill("10:30")
    page.get_by_label("End time").fill("11:20")
    page.get_by_label("Clinician").select_option(label=clinician.display_name)
    page.get_by_role("button", name="Schedule session").click()
    page.get_by_role("alert").filter(has_text="the clinician already has a session on").wait_for()
    visit.check()
    assert not TherapySession.objects.filter(client=client_of_record).exists()
    visit.shot("office-double-01-warning")

    confirm = page.get_by_label("Book it even though it overlaps another session")
    confirm.focus()
    page.keyboard.press("Space")  # by keyboard, as a front desk works
    assert confirm.is_checked()
    page.get_by_role("button", name="Schedule session").click()
    page.get_by_text("Session scheduled. It is double-booked, as you confirmed.").wait_for()
    visit.check()
    assert page.locator("#double-booking").inner_text().startswith("Double-booked.")
    session = TherapySession.objects.get(client=client_of_record)
    assert session.overlap_confirmed

    visit.goto(f"/schedule/?day={day.isoformat()}")
    flags = page.get_by_role("cell").filter(has_text="Double-booked")
    assert flags.count() == 2
    assert page.get_by_text("2 sessions double-booked").is_visible()
    visit.shot("office-double-02-schedule")
