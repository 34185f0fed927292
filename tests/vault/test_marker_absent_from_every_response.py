"""Planted marker, continued: after the author writes a note holding a random marker, no GET in the API or the web
UI, to any role (the author included, except on the note itself), carries it or the note's id beyond the vault."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.people.models import User

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

CAST = ["clinician", "colleague", "supervisor", "outsider", "admin", "biller", "front_desk"]


@pytest.fixture
def planted(api_as: Callable[[User], HttpClient], clinician: User, therapy_session: Any, marker: str) -> str:
    response = api_as(clinician).post(
        f"/api/v1/sessions/{therapy_session.pk}/psychotherapy-notes",
        {"body": f"{marker} and the long silence"},
        content_type="application/json",
    )
    assert response.status_code == 201
    return str(response.json()["id"])


def _api_paths(client_id: int, session_id: int) -> list[str]:
    return [
        "/api/v1/users",
        "/api/v1/clients",
        f"/api/v1/clients/{client_id}",
        f"/api/v1/clients/{client_id}/sessions",
        f"/api/v1/sessions/{session_id}",
        f"/api/v1/clients/{client_id}/diagnoses",
        f"/api/v1/clients/{client_id}/treatment-plan",
        f"/api/v1/clients/{client_id}/progress-notes",
        "/api/v1/audit",
        f"/api/v1/clients/{client_id}/access-report",
        f"/api/v1/clients/{client_id}/record",
        "/api/v1/psychotherapy-notes",
    ]


def _web_paths(client_id: int, session_id: int) -> list[str]:
    return ["/", "/clients/", f"/clients/{client_id}/", f"/sessions/{session_id}/", "/schedule/", "/billing/"]


@pytest.mark.parametrize("who", CAST)
def test_no_api_response_carries_the_marker(
    request: pytest.FixtureRequest,
    api_as: Callable[[User], HttpClient],
    therapy_session: Any,
    planted: str,
    marker: str,
    who: str,
) -> None:
    http = api_as(request.getfixturevalue(who))
    for path in _api_paths(therapy_session.client_id, therapy_session.pk):
        response = http.get(path)
        assert response.status_code < 500, path
        assert marker not in response.content.decode(), path
        if path != "/api/v1/psychotherapy-notes" and path != "/api/v1/audit":
            assert planted not in response.content.decode(), path


@pytest.mark.parametrize("who", CAST)
def test_no_web_page_carries_the_marker(
    request: pytest.FixtureRequest, settings: Any, therapy_session: Any, planted: str, marker: str, who: str
) -> None:
    from tests.conftest import PASSWORD

    settings.MFA_REQUIRED_ROLES = []
    browser = HttpClient()
    user: User = request.getfixturevalue(who)
    assert browser.post("/sign-in/", {"username": user.username, "password": PASSWORD}).status_code == 302
    for path in _web_paths(therapy_session.client_id, therapy_session.pk):
        response = browser.get(path)
        assert response.status_code < 500, path
        assert marker not in response.content.decode(), path
