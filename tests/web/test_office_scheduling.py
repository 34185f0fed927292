"""Scheduling a session and recording attendance: times in the practice's zone, CPT codes derived and shown."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions.models import TherapySession
from tests.conftest import session_for


def _booking(who: User, **overrides: str) -> dict[str, str]:
    return {
        "day": "2026-12-01",
        "start": "14:00",
        "end": "14:55",
        "clinician": str(who.pk),
        "service": "individual",
        "setting": "telehealth",
        "participants": "",
        **overrides,
    }


def test_scheduling_shows_90837_for_55_minutes(
    web_as: Any, settings: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    settings.TIME_ZONE = "America/New_York"
    http = web_as(front_desk)
    response = http.post(f"/clients/{client_of_record.pk}/sessions/new/", _booking(clinician))
    session = TherapySession.objects.get(client=client_of_record)
    assert response["Location"] == f"/sessions/{session.pk}/attendance/"
    assert session.starts_at == datetime(2026, 12, 1, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    assert (session.status, session.cpt_codes, session.cpt_flag) == ("scheduled", ["90837"], "")
    page = http.get(response["Location"]).content.decode()
    assert "90837" in page and "55 minutes" in page and "Check the time" not in page


def test_scheduling_flags_10_minutes(web_as: Any, front_desk: User, clinician: User, client_of_record: Client) -> None:
    http = web_as(front_desk)
    response = http.post(f"/clients/{client_of_record.pk}/sessions/new/", _booking(clinician, end="14:10"))
    session = TherapySession.objects.get(client=client_of_record)
    assert session.cpt_codes == [] and "16 minutes or more" in session.cpt_flag
    page = http.get(response["Location"]).content.decode()
    assert "Check the time" in page and "psychotherapy needs 16 minutes or more" in page


def test_an_end_before_the_start_is_a_form_error(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    response = web_as(front_desk).post(
        f"/clients/{client_of_record.pk}/sessions/new/", _booking(clinician, start="15:00", end="14:00")
    )
    assert response.status_code == 422 and "a session ends after it starts" in response.content.decode()
    http = web_as(front_desk)
    for bad in ({"day": "31/31/2026"}, {"start": "25:99"}, {"service": "massage"}, {"clinician": "abc"}):
        response = http.post(f"/clients/{client_of_record.pk}/sessions/new/", {**_booking(clinician), **bad})
        assert response.status_code == 422, bad
    assert not TherapySession.objects.exists()


def test_clinician_schedules_only_their_own_sessions(
    web_as: Any, clinician: User, colleague: User, client_of_record: Client
) -> None:
    http = web_as(clinician)
    form = http.get(f"/clients/{client_of_record.pk}/sessions/new/").content.decode()
    assert clinician.display_name in form and colleague.display_name not in form
    refused = http.post(f"/clients/{client_of_record.pk}/sessions/new/", _booking(colleague))
    assert refused.status_code == 422 and not TherapySession.objects.exists()
    assert http.post(f"/clients/{client_of_record.pk}/sessions/new/", _booking(clinician)).status_code == 302


def test_front_desk_records_a_no_show_and_a_clinician_records_kept(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician, status="scheduled")
    path = f"/sessions/{session.pk}/attendance/"
    assert web_as(front_desk).post(path, {"status": "no_show"})["Location"] == path
    session.refresh_from_db()
    assert session.status == "no_show"
    web_as(clinician).post(path, {"status": "kept"})
    session.refresh_from_db()
    assert session.status == "kept"
    assert web_as(clinician).post(path, {"status": "vanished"}).status_code == 422


def test_attendance_is_scoped_to_the_caseload(
    web_as: Any, outsider: User, biller: User, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician, status="scheduled")
    path = f"/sessions/{session.pk}/attendance/"
    assert web_as(outsider).get(path).status_code == 404
    assert web_as(outsider).post(path, {"status": "cancelled"}).status_code == 404
    assert web_as(biller).post(path, {"status": "cancelled"}).status_code == 403
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_front_desk_finds_the_client_from_the_schedule_page(
    web_as: Any, front_desk: User, client_of_record: Client
) -> None:
    http = web_as(front_desk)
    assert "/sessions/new/" in http.get("/schedule/").content.decode()
    page = http.get("/sessions/new/?q=morg").content.decode()
    assert f"/clients/{client_of_record.pk}/sessions/new/" in page
