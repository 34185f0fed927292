"""A no-show or a cancelled session carries no CPT codes and no time flag in the API, however it got that status."""

from __future__ import annotations

from typing import Any

import pytest

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions.services import update_session
from tests.conftest import session_for


def book(http: Any, client: Client, clinician: User, *, status: str, minutes: int = 55) -> Any:
    return http.post(
        f"/api/v1/clients/{client.pk}/sessions",
        {
            "clinician_id": clinician.pk,
            "starts_at": "2026-11-20T10:00:00-05:00",
            "ends_at": f"2026-11-20T{10 + minutes // 60}:{minutes % 60:02d}:00-05:00",
            "service": "individual",
            "setting": "telehealth",
            "status": status,
        },
        content_type="application/json",
    )


@pytest.mark.parametrize("status", ["no_show", "cancelled"])
def test_a_session_booked_as_not_held_has_no_codes(
    api_as: Any, front_desk: User, clinician: User, client_of_record: Client, status: str
) -> None:
    http = api_as(front_desk)
    for minutes in (55, 10):  # 10 minutes would be flagged as too short if the session had happened
        response = book(http, client_of_record, clinician, status=status, minutes=minutes)
        assert response.status_code == 201, response.content
        shown = response.json()
        assert (shown["status"], shown["cpt_codes"], shown["cpt_flag"]) == (status, [], "")


def test_kept_and_scheduled_sessions_still_carry_their_codes(
    api_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    http = api_as(front_desk)
    for status in ("kept", "scheduled"):
        assert book(http, client_of_record, clinician, status=status).json()["cpt_codes"] == ["90837"]


def test_marking_a_session_a_no_show_removes_its_codes_and_kept_restores_them(
    api_as: Any, biller: User, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician, minutes=55, status="scheduled")
    http = api_as(biller)
    assert http.get(f"/api/v1/sessions/{session.pk}").json()["cpt_codes"] == ["90837"]
    update_session(actor=front_desk, session=session, status="no_show")
    shown = http.get(f"/api/v1/sessions/{session.pk}").json()
    assert (shown["status"], shown["cpt_codes"], shown["cpt_flag"]) == ("no_show", [], "")
    listed = http.get(f"/api/v1/clients/{client_of_record.pk}/sessions").json()
    assert [(s["cpt_codes"], s["cpt_flag"]) for s in listed] == [([], "")]
    update_session(actor=front_desk, session=session, status="kept")
    assert http.get(f"/api/v1/sessions/{session.pk}").json()["cpt_codes"] == ["90837"]
