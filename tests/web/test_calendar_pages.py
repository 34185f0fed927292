"""The calendar pages: who sees whose sessions, status and note state in words, the double-booking flag, booking a
series, moving and cancelling, discharged clients, and the .ics feed (token, names, escaping, audit)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.formats import date_format

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.notes import services as notes
from confide.people.models import User
from confide.sessions import calendar, services
from confide.sessions.models import Status, TherapySession

ZONE = ZoneInfo("America/New_York")
WEDNESDAY = date(2026, 11, 18)
MONDAY = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _wednesday(settings: Any) -> Iterator[None]:
    settings.TIME_ZONE = "America/New_York"
    with time_machine.travel(datetime(2026, 11, 18, 8, 0, tzinfo=ZONE), tick=True):
        yield


def book(
    actor: User, client: Client, clinician: User, day: date, at: time = time(10, 0), **extra: Any
) -> TherapySession:
    starts = datetime.combine(day, at, tzinfo=ZONE)
    return services.schedule_session(
        actor=actor,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=50),
        service="individual",
        setting=extra.pop("setting", "in_person"),
        status=extra.pop("status", Status.SCHEDULED),
        **extra,
    )


@pytest.fixture
def colleague_client(colleague: User) -> Client:
    return Client.objects.create(
        first_name="Casey", last_name="Nguyen", date_of_birth=date(1980, 5, 5), primary_clinician=colleague
    )


def test_a_clinician_sees_their_own_week_and_not_a_colleagues(
    web_as: Any, clinician: User, colleague: User, client_of_record: Client, colleague_client: Client
) -> None:
    book(clinician, client_of_record, clinician, WEDNESDAY)
    book(colleague, colleague_client, colleague, WEDNESDAY)
    page = web_as(clinician).get("/calendar/?view=week&day=2026-11-18")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Alex Morgan" in body and "Casey Nguyen" not in body
    assert f"Week of {date_format(MONDAY)}" in body
    assert "Scheduled" in body and "No note" in body
    entry = AuditEntry.objects.filter(action="confide.calendar.viewed").latest("pk")
    assert entry.detail == {"view": "week", "sessions": 1} and entry.client_id is None


def test_a_supervisor_sees_their_supervisees_sessions(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    book(supervisee, supervisee_client, supervisee, WEDNESDAY)
    body = web_as(supervisor).get("/calendar/?view=day&day=2026-11-18").content.decode()
    assert "Jordan Blake" in body
    assert "Sam Lee" in body  # whose session it is


def test_the_front_desk_sees_every_clinician_without_note_states(
    web_as: Any, front_desk: User, clinician: User, colleague: User, client_of_record: Client, colleague_client: Client
) -> None:
    session = book(clinician, client_of_record, clinician, WEDNESDAY)
    book(colleague, colleague_client, colleague, WEDNESDAY, at=time(11, 0))
    notes.start_note(
        actor=clinician,
        session=session,
        format="SOAP",
        sections={"subjective": "NARRATIVE-cal", "objective": "o", "assessment": "a", "plan": "p"},
        risk={"suicidal_ideation": {"level": "none"}},
    )
    body = web_as(front_desk).get("/calendar/?day=2026-11-18").content.decode()
    assert "Alex Morgan" in body and "Casey Nguyen" in body
    assert "Note: draft" not in body and "NARRATIVE-cal" not in body
    clinician_body = web_as(clinician).get("/calendar/?day=2026-11-18").content.decode()
    assert "Note: draft" in clinician_body and "NARRATIVE-cal" not in clinician_body
    only_chen = web_as(front_desk).get(f"/calendar/?day=2026-11-18&clinician={colleague.pk}").content.decode()
    assert "Casey Nguyen" in only_chen and "Alex Morgan" not in only_chen


def test_billers_and_admins_have_no_calendar(web_as: Any, biller: User, admin: User) -> None:
    assert web_as(biller).get("/calendar/").status_code == 403
    assert web_as(admin).get("/calendar/").status_code == 403


def test_a_double_booking_is_flagged_in_words_on_the_week_and_day(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    other = Client.objects.create(
        first_name="Sky", last_name="Ortiz", date_of_birth=date(1992, 3, 3), primary_clinician=clinician
    )
    book(clinician, client_of_record, clinician, WEDNESDAY)
    book(clinician, other, clinician, WEDNESDAY, at=time(10, 30), confirm_overlap=True)
    http = web_as(clinician)
    for view in ("week", "day", "month"):
        body = http.get(f"/calendar/?view={view}&day=2026-11-18").content.decode()
        assert body.count("note-none is-double") == 2, view  # both sessions, and the words say so
        assert body.count("Double-booked</span>") == 3, view  # the two, and the key
        assert "2 double-booked" in body


def test_statuses_and_a_cancellation_reason_are_written_out(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    cancelled = book(front_desk, client_of_record, clinician, WEDNESDAY)
    services.cancel_session(actor=front_desk, session=cancelled, reason="Snow day")
    book(front_desk, client_of_record, clinician, MONDAY, status=Status.NO_SHOW)
    body = web_as(front_desk).get("/calendar/?day=2026-11-18").content.decode()
    assert "Cancelled" in body and "Reason: Snow day" in body and "No-show" in body
    assert "status-cancelled" in body and "status-no_show" in body
    assert "Key to the calendar" in body


def test_htmx_navigation_gets_only_the_calendar(web_as: Any, clinician: User) -> None:
    response = web_as(clinician).get("/calendar/?view=week&day=2026-11-25", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="calendar-body">') and "<html" not in body
    assert f"Week of {date_format(MONDAY + timedelta(weeks=1))}" in body


@pytest.mark.parametrize("query", ["view=year", "day=2026-13-45", "day=0001-01-01", "clinician=abc", "clinician=-1"])
def test_unreadable_parameters_show_this_week(web_as: Any, clinician: User, query: str) -> None:
    response = web_as(clinician).get(f"/calendar/?{query}")
    assert response.status_code == 200
    assert f"Week of {date_format(MONDAY)}" in response.content.decode()


def test_a_discharged_clients_future_sessions_leave_the_calendar_and_the_booking_form(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    book(front_desk, client_of_record, clinician, MONDAY)  # before the discharge: the record stays
    book(front_desk, client_of_record, clinician, date(2026, 11, 20))
    client_of_record.discharged_on = date(2026, 11, 17)
    client_of_record.save()
    shown = calendar.build(front_desk, calendar.View.WEEK, WEDNESDAY)
    assert [e.session.starts_at.date() for d in shown.days for e in d.entries] == [MONDAY]
    form = web_as(front_desk).get("/calendar/new/").content.decode()
    assert "Morgan, Alex" not in form


def _booking(**extra: Any) -> dict[str, Any]:
    return {
        "day": "2026-11-23",
        "start": "09:00",
        "end": "09:50",
        "service": "individual",
        "setting": "telehealth",
        "telehealth_link": "https://video.example/room/7",
        "participants": "",
        **extra,
    }


def test_booking_a_fortnightly_series_from_the_form(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    http = web_as(front_desk)
    data = _booking(client=client_of_record.pk, clinician=clinician.pk, repeat="2", ends="count", count="3")
    response = http.post("/calendar/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    sessions = list(TherapySession.objects.order_by("starts_at"))
    assert [s.starts_at.astimezone(ZONE).date() for s in sessions] == [
        date(2026, 11, 23),
        date(2026, 12, 7),
        date(2026, 12, 21),
    ]
    assert {s.telehealth_link for s in sessions} == {"https://video.example/room/7"}
    assert len({s.series_id for s in sessions}) == 1


def test_a_double_booking_on_the_form_needs_the_confirmation_box(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    book(front_desk, client_of_record, clinician, date(2026, 11, 23), at=time(9, 30))
    http = web_as(front_desk)
    data = _booking(client=client_of_record.pk, clinician=clinician.pk)
    warned = http.post("/calendar/new/", data)
    assert warned.status_code == 409
    body = warned.content.decode()
    assert "Double booking" in body and "Book it even though it overlaps" in body
    assert TherapySession.objects.count() == 1
    assert http.post("/calendar/new/", {**data, "confirm_overlap": "on"}).status_code == 302
    assert TherapySession.objects.filter(overlap_confirmed=True).count() == 1


def test_a_clinician_cannot_book_a_colleagues_client(web_as: Any, clinician: User, colleague_client: Client) -> None:
    data = _booking(client=colleague_client.pk, clinician=clinician.pk)
    response = web_as(clinician).post("/calendar/new/", data)
    assert response.status_code == 422  # not among the choices offered
    assert TherapySession.objects.count() == 0


def test_moving_and_cancelling_from_the_booking_page(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = book(clinician, client_of_record, clinician, WEDNESDAY)
    http = web_as(clinician)
    page = http.get(f"/calendar/sessions/{session.pk}/")
    assert page.status_code == 200 and "Move" in page.content.decode()
    moved = http.post(f"/calendar/sessions/{session.pk}/move/", {"day": "2026-11-19", "start": "14:00", "end": "14:50"})
    assert moved.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 11, 19, 14, 0, tzinfo=ZONE)
    refused = http.post(f"/calendar/sessions/{session.pk}/cancel/", {"reason": ""})
    assert refused.status_code == 422
    assert http.post(f"/calendar/sessions/{session.pk}/cancel/", {"reason": "Client ill"}).status_code == 302
    session.refresh_from_db()
    assert session.status == Status.CANCELLED and session.cancel_reason == "Client ill"
    link = http.post(f"/calendar/sessions/{session.pk}/link/", {"telehealth_link": "ftp://nope"})
    assert link.status_code == 422


def test_another_clinicians_booking_is_a_404(
    web_as: Any, colleague: User, clinician: User, client_of_record: Client
) -> None:
    session = book(clinician, client_of_record, clinician, WEDNESDAY)
    http = web_as(colleague)
    assert http.get(f"/calendar/sessions/{session.pk}/").status_code == 404
    assert http.post(f"/calendar/sessions/{session.pk}/cancel/", {"reason": "x"}).status_code == 404
    session.refresh_from_db()
    assert session.status == Status.SCHEDULED


# --- The .ics feed --------------------------------------------------------------------------------------------------


def _feed_path(http: Any) -> str:
    assert http.post("/calendar/feed/rotate/").status_code == 302
    page = http.get("/calendar/feed/").content.decode()
    start = page.index("/calendar/feed/") + len("/calendar/feed/")
    token = page[start : page.index(".ics", start)]
    return f"/calendar/feed/{token}.ics"


def test_the_feed_names_no_client_by_default_and_is_audited(
    web_as: Any, clinician: User, client_of_record: Client, settings: Any
) -> None:
    book(clinician, client_of_record, clinician, WEDNESDAY, setting="telehealth", telehealth_link="https://v.example/r")
    path = _feed_path(web_as(clinician))
    from django.test import Client as Anonymous

    response = Anonymous().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "Morgan" not in text and "Alex" not in text
    assert "SUMMARY:Client session (A. M.)" in text
    assert "DTSTART:20261118T150000Z" in text and "URL:https://v.example/r" in text
    assert all(line.endswith("\r") or not line for line in text.split("\n")[:-1])
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    entry = AuditEntry.objects.filter(action="confide.calendar.feed_fetched").latest("pk")
    assert entry.client_id is None and entry.detail == {"events": 1} and entry.actor_id == clinician.pk
    settings.CALENDAR_FEED_CLIENT_NAMES = True
    assert "SUMMARY:Client session (Alex Morgan)" in Anonymous().get(path).content.decode()


def test_rotating_the_feed_ends_the_old_address(web_as: Any, clinician: User) -> None:
    http = web_as(clinician)
    old = _feed_path(http)
    new = _feed_path(http)
    from django.test import Client as Anonymous

    assert old != new
    assert Anonymous().get(old).status_code == 404
    assert Anonymous().get(new).status_code == 200
    assert http.post("/calendar/feed/off/").status_code == 302
    assert Anonymous().get(new).status_code == 404


def test_the_feed_token_opens_nothing_else(web_as: Any, clinician: User) -> None:
    from django.test import Client as Anonymous

    path = _feed_path(web_as(clinician))
    token = path.removeprefix("/calendar/feed/").removesuffix(".ics")
    anonymous = Anonymous()
    assert anonymous.get("/calendar/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 302  # to sign in
    assert anonymous.get("/api/v1/clients", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_rfc5545_text_is_escaped_and_folded() -> None:
    assert calendar._escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = calendar._fold("X:" + "é" * 60)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "X:" + "é" * 60


def test_the_demo_practice_shows_the_calendar_this_week() -> None:
    from confide.ops.seed import seed_demo_practice

    rivera = seed_demo_practice(show_progress=False, months=1).users["rivera"]
    shown = calendar.build(rivera, calendar.View.WEEK, date.today())
    entries = [e for d in shown.days for e in d.entries]
    assert any(e.session.series_id for e in entries)
    assert any(e.session.telehealth_link for e in entries)
    assert any(e.session.status == Status.CANCELLED and e.session.cancel_reason for e in entries)
    assert sum(e.double_booked for e in entries) == 2
