"""`telehealth_link` through `POST /api/v1/clients/{id}/sessions`: stored when it is an https:// address of at most
500 characters, refused otherwise with the API's error body (400 from the schema, 422 `invalid_link` from the rule in
confide/sessions/services.py), never a 500; and shown to those who run the session, not to billers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions.models import TherapySession

ROOM = "https://video.example.org/room/4f2a"


def _body(clinician: User, **extra: Any) -> dict[str, Any]:
    return {
        "clinician_id": clinician.pk,
        "starts_at": "2026-11-30T10:00:00-05:00",
        "ends_at": "2026-11-30T10:53:00-05:00",
        "service": "individual",
        "setting": "telehealth",
        "status": "scheduled",
        **extra,
    }


def _post(http: HttpClient, client: Client, body: dict[str, Any]) -> Any:
    return http.post(f"/api/v1/clients/{client.pk}/sessions", body, content_type="application/json")


def test_the_link_is_stored_and_returned_to_the_office_not_to_billing(
    api_as: Callable[[User], HttpClient], front_desk: User, biller: User, clinician: User, client_of_record: Client
) -> None:
    made = _post(api_as(front_desk), client_of_record, _body(clinician, telehealth_link=f"  {ROOM}  "))
    assert made.status_code == 201, made.content
    assert made.json()["telehealth_link"] == ROOM
    session = TherapySession.objects.get(pk=made.json()["id"])
    assert session.telehealth_link == ROOM
    path = f"/api/v1/sessions/{session.pk}"
    assert api_as(clinician).get(path).json()["telehealth_link"] == ROOM
    assert api_as(biller).get(path).json()["telehealth_link"] == ""


def test_a_link_of_500_characters_fits(
    api_as: Callable[[User], HttpClient], clinician: User, client_of_record: Client
) -> None:
    link = "https://video.example.org/" + "r" * 474
    assert len(link) == 500
    made = _post(api_as(clinician), client_of_record, _body(clinician, telehealth_link=link))
    assert made.status_code == 201 and made.json()["telehealth_link"] == link


def test_without_the_field_there_is_no_link(
    api_as: Callable[[User], HttpClient], clinician: User, client_of_record: Client
) -> None:
    made = _post(api_as(clinician), client_of_record, _body(clinician))
    assert made.status_code == 201 and made.json()["telehealth_link"] == ""


@pytest.mark.parametrize(
    ("link", "status", "code"),
    [
        ("http://video.example.org/room", 422, "invalid_link"),  # not https
        ("javascript:alert(1)", 422, "invalid_link"),
        ("https://", 422, "invalid_link"),  # not a web address
        ("https://exa mple.org/room", 422, "invalid_link"),
        ("https://video.example.org/" + "r" * 475, 400, None),  # 501 characters: longer than the column
        ("https://video.example.org/\x00room", 400, None),  # NUL
        (42, 400, None),  # not a string
        (["https://video.example.org/room"], 400, None),
        (None, 400, None),
    ],
)
def test_a_bad_link_is_refused_with_the_error_body_and_nothing_is_booked(
    link: Any,
    status: int,
    code: str | None,
    api_as: Callable[[User], HttpClient],
    front_desk: User,
    clinician: User,
    client_of_record: Client,
) -> None:
    response = _post(api_as(front_desk), client_of_record, _body(clinician, telehealth_link=link))
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) >= {"detail", "code"}
    if code:
        assert response.json()["code"] == code
    assert not TherapySession.objects.exists()
