"""The calendar page declares its own verb, `calendar.view` (confide/access/policy.py): the front desk and clinicians
(supervisors are clinicians) see it; billers keep the day's schedule page but have no calendar; admins neither."""

from __future__ import annotations

from typing import Any

from django.urls import resolve

from confide.access import POLICY, can
from confide.access.routes import verb_of
from confide.people.models import Role, User


def test_the_calendar_page_declares_calendar_view() -> None:
    assert verb_of(resolve("/calendar/").func) == "calendar.view"
    rule = POLICY["calendar.view"]
    assert set(rule.roles) == {Role.CLINICIAN, Role.FRONT_DESK}


def test_who_sees_the_calendar(
    web_as: Any, clinician: User, supervisor: User, front_desk: User, biller: User, admin: User
) -> None:
    for person in (clinician, supervisor, front_desk):
        assert can(person, "calendar.view")
        response = web_as(person).get("/calendar/")
        assert response.status_code == 200 and 'href="/calendar/"' in response.content.decode()
    for person in (biller, admin):
        assert not can(person, "calendar.view")
        assert web_as(person).get("/calendar/").status_code == 403
    schedule = web_as(biller).get("/schedule/")
    assert schedule.status_code == 200 and "Week view" not in schedule.content.decode()
    assert "Week view" in web_as(front_desk).get("/schedule/").content.decode()
