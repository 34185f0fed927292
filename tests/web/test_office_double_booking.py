"""The office's scheduling form asks before a double booking, with the calendar's rule (services.overlaps through
schedule_session), and the schedule page, the clinician's day and the session page flag the double booking after.
Through real HTTP; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.people.models import User
from confide.sessions import services
from confide.sessions.models import Status, TherapySession

CONFIRM = "Book it even though it overlaps another session"


def _book(
    clinician: User, client: Client, starts: datetime, minutes: int = 50, *, actor: User | None = None, **extra: Any
) -> TherapySession:
    return services.schedule_session(
        actor=actor or clinician,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        service="individual",
        setting="in_person",
        status=Status.SCHEDULED,
        **extra,
    )


def _form(who: User, day: date, start: str, end: str, **extra: str) -> dict[str, str]:
    return {
        "day": day.isoformat(),
        "start": start,
        "end": end,
        "clinician": str(who.pk),
        "service": "individual",
        "setting": "in_person",
        "participants": "",
        **extra,
    }


def _other_client(clinician: User) -> Client:
    return Client.objects.create(
        first_name="Sky", last_name="Ortiz", date_of_birth=date(1992, 3, 3), primary_clinician=clinician
    )


def _today_at(hour: int, minute: int = 0) -> datetime:
    return timezone.localtime().replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_the_office_form_refuses_a_clinicians_double_booking_until_confirmed(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    other = _other_client(clinician)
    existing = _book(clinician, other, _today_at(10))
    day = timezone.localdate()
    http = web_as(front_desk)
    path = f"/clients/{client_of_record.pk}/sessions/new/"

    refused = http.post(path, _form(clinician, day, "10:30", "11:20"))
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "the clinician already has a session on" in page and "Double booking" in page
    assert "Sky" not in page and "Ortiz" not in page  # the warning names no other client
    assert CONFIRM in page and 'name="confirm_overlap"' in page
    assert not TherapySession.objects.filter(client=client_of_record).exists()

    booked = http.post(path, _form(clinician, day, "10:30", "11:20", confirm_overlap="on"))
    assert booked.status_code == 302
    session = TherapySession.objects.get(client=client_of_record)
    assert session.overlap_confirmed is True and session.status == Status.SCHEDULED
    assert services.overlaps(
        clinician_id=clinician.pk,
        client_id=client_of_record.pk,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        exclude_ids=(session.pk,),
    ) == [existing]
    assert AuditEntry.objects.filter(action="confide.session.scheduled", object_id=str(session.pk)).count() == 1
    # Flagged afterwards: the session page says so.
    after = http.get(booked["Location"]).content.decode()
    assert 'id="double-booking"' in after and "Double-booked." in after and "(booked after confirmation)" in after


def test_the_office_form_asks_for_the_clients_double_booking_with_another_clinician(
    web_as: Any, front_desk: User, clinician: User, colleague: User, client_of_record: Client
) -> None:
    _book(colleague, client_of_record, _today_at(15), actor=front_desk)
    response = web_as(front_desk).post(
        f"/clients/{client_of_record.pk}/sessions/new/", _form(clinician, timezone.localdate(), "15:10", "16:00")
    )
    assert response.status_code == 409
    assert "the client already has a session with another clinician" in response.content.decode()
    assert TherapySession.objects.filter(client=client_of_record).count() == 1


def test_a_booking_that_does_not_overlap_needs_no_confirmation(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    _book(clinician, _other_client(clinician), _today_at(10))
    http = web_as(front_desk)
    response = http.post(
        f"/clients/{client_of_record.pk}/sessions/new/", _form(clinician, timezone.localdate(), "10:50", "11:40")
    )  # starts as the other ends: [start, end) spans touch, they do not overlap
    assert response.status_code == 302
    session = TherapySession.objects.get(client=client_of_record)
    assert session.overlap_confirmed is False
    page = http.get(response["Location"]).content.decode()
    assert "Double-booked" not in page
    form = http.get(f"/clients/{client_of_record.pk}/sessions/new/").content.decode()
    assert CONFIRM not in form  # offered only once there is an overlap to confirm


def test_the_schedule_and_the_day_view_flag_double_bookings(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    other = _other_client(clinician)
    _book(clinician, client_of_record, _today_at(12))
    _book(clinician, other, _today_at(12, 30), confirm_overlap=True)
    _book(clinician, other, _today_at(16))
    cancelled = _book(clinician, client_of_record, _today_at(16, 10), confirm_overlap=True)
    services.cancel_session(actor=clinician, session=cancelled, reason="Client ill")  # holds no time: no flag

    schedule = web_as(front_desk).get("/schedule/").content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", schedule, re.S)[1:]  # after the header row
    flagged = [row for row in rows if "Double-booked" in row]
    assert len(rows) == 4 and len(flagged) == 2
    assert all("12:" in row for row in flagged) and not any("4:" in row for row in flagged)
    assert "2 sessions double-booked" in schedule
    # Read by a screen reader as words: the mark is hidden, the word is not.
    assert '<span class="tag tag-double"><span aria-hidden="true">!! </span>Double-booked</span>' in schedule

    day = web_as(clinician).get("/").content.decode()  # the clinician's day lists the same four
    assert day.count("Double-booked") == 2
