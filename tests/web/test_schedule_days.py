"""The schedule page shows any day: `?day=YYYY-MM-DD`, previous/next/today links and a date form; today by default."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions.models import TherapySession
from confide.sessions.services import schedule_session

PRACTICE_ZONE = ZoneInfo("America/New_York")
TODAY = date(2026, 11, 18)  # a Wednesday
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture(autouse=True)
def _wednesday_noon(settings: Any) -> Iterator[None]:
    # Late evening in New York is already tomorrow in UTC: the page must count days in the practice's zone.
    settings.TIME_ZONE = "America/New_York"
    with time_machine.travel(datetime(2026, 11, 18, 22, 30, tzinfo=PRACTICE_ZONE), tick=True):
        yield


def book(client: Client, clinician: User, day: date, at: time = time(10, 0)) -> TherapySession:
    starts = datetime.combine(day, at, tzinfo=PRACTICE_ZONE)
    return schedule_session(
        actor=clinician,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=50),
        service="individual",
        setting="in_person",
        status="scheduled",
    )


def test_a_session_tomorrow_is_on_tomorrows_schedule_and_not_todays(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    book(client_of_record, clinician, TOMORROW)
    http = web_as(front_desk)
    today = http.get("/schedule/")
    assert today.context["schedule"].day == TODAY
    assert "Alex Morgan" not in today.content.decode() and "No sessions scheduled today." in today.content.decode()
    tomorrow = http.get("/schedule/?day=2026-11-19")
    page = tomorrow.content.decode()
    assert tomorrow.status_code == 200 and "Alex Morgan" in page
    assert "Thursday, November 19, 2026" in page and "Today's schedule" not in page  # the practice's date style


def test_previous_today_and_next_links_and_the_date_form(web_as: Any, front_desk: User) -> None:
    page = web_as(front_desk).get("/schedule/?day=2026-11-19").content.decode()
    assert 'href="/schedule/?day=2026-11-18" rel="prev">Previous day</a>' in page
    assert 'href="/schedule/?day=2026-11-20" rel="next">Next day</a>' in page
    assert 'href="/schedule/">Today</a>' in page
    assert '<form class="day-form" method="get" action="/schedule/">' in page
    assert 'type="date" name="day" id="id_day" value="2026-11-19"' in page


def test_a_day_typed_in_the_practice_style_is_read(web_as: Any, front_desk: User) -> None:
    assert web_as(front_desk).get("/schedule/", {"day": "11/19/2026"}).context["schedule"].day == date(2026, 11, 19)


def test_the_month_and_year_boundaries_step_correctly(web_as: Any, front_desk: User) -> None:
    schedule = web_as(front_desk).get("/schedule/?day=2026-12-31").context["schedule"]
    assert (schedule.previous, schedule.following) == (date(2026, 12, 30), date(2027, 1, 1))


@pytest.mark.parametrize(
    "value",
    [
        "tomorrow",
        "2026-02-30",
        "2026-13-01",
        "19-11-2026",
        "19/11/2026",  # day first: not the practice's style (DATE_STYLE us)
        "2026-11-19T10:00",
        "",
        "0000-01-01",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "-2026-11-19",
        "2026-11-19\x00",
        "9" * 500,
    ],
)
def test_an_unusable_day_shows_today_never_a_server_error(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client, value: str
) -> None:
    book(client_of_record, clinician, TODAY)
    response = web_as(front_desk).get("/schedule/", {"day": value})
    assert response.status_code == 200
    assert response.context["schedule"].day == TODAY and "Alex Morgan" in response.content.decode()
    if value:
        assert "Showing today instead." in response.content.decode()


def test_the_first_and_last_days_the_schedule_covers_still_render(web_as: Any, front_desk: User) -> None:
    http = web_as(front_desk)
    for value in ("1900-01-01", "2999-12-31"):
        response = http.get("/schedule/", {"day": value})
        assert response.status_code == 200 and response.context["schedule"].day.isoformat() == value
        assert "Showing today instead." not in response.content.decode()


def test_only_the_front_desk_and_billers_see_the_schedule_on_any_day(
    web_as: Any,
    front_desk: User,
    biller: User,
    clinician: User,
    admin: User,
    outsider: User,
    client_of_record: Client,
) -> None:
    book(client_of_record, clinician, TOMORROW)
    for who in (front_desk, biller):
        assert "Alex Morgan" in web_as(who).get("/schedule/?day=2026-11-19").content.decode()
    for who in (clinician, outsider, admin):
        response = web_as(who).get("/schedule/?day=2026-11-19")
        assert response.status_code == 403 and "Alex Morgan" not in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(db: None, client: Any) -> None:
    response = client.get("/schedule/?day=2026-11-19")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
