"""`/api/v1/users`: create (with a password or by invitation), list, and PATCH; a supervisee cannot supervise; an
administrator cannot change their own role (that would be a way to clinical access)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client as HttpClient

from confide.people.models import User


def patch(api: HttpClient, user: User, body: dict[str, Any]) -> Any:
    return api.patch(f"/api/v1/users/{user.pk}", body, content_type="application/json")


def test_a_supervisee_cannot_be_a_supervisor(
    admin: User, supervisee: User, api_as: Callable[[User], HttpClient]
) -> None:
    body = {"username": "new", "full_name": "New Person", "role": "clinician", "supervisor_id": supervisee.pk}
    response = api_as(admin).post("/api/v1/users", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid_supervisor"


def test_patch_changes_name_credentials_and_supervisor(
    admin: User, colleague: User, supervisor: User, api_as: Callable[[User], HttpClient]
) -> None:
    response = patch(api_as(admin), colleague, {"full_name": "Lin Chen-Park", "supervisor_id": supervisor.pk})
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "Lin Chen-Park" and response.json()["supervisor_id"] == supervisor.pk
    cleared = patch(api_as(admin), colleague, {"supervisor_id": None})
    assert cleared.status_code == 200 and cleared.json()["supervisor_id"] is None


def test_patch_deactivates_and_reactivates(admin: User, colleague: User, api_as: Callable[[User], HttpClient]) -> None:
    api = api_as(admin)
    token = api_as(colleague)
    assert patch(api, colleague, {"active": False}).status_code == 200
    assert token.get("/api/v1/clients").status_code == 401
    assert colleague.username not in [u["username"] for u in api.get("/api/v1/users").json()]
    assert patch(api, colleague, {"active": True}).status_code == 200
    assert token.get("/api/v1/clients").status_code == 401  # the old token stays dead


def test_an_admin_cannot_change_their_own_role(admin: User, api_as: Callable[[User], HttpClient]) -> None:
    response = patch(api_as(admin), admin, {"role": "clinician"})
    assert response.status_code == 422 and response.json()["code"] == "cannot_change_own_role"


def test_a_supervisor_of_others_cannot_become_a_supervisee(
    admin: User, supervisor: User, supervisee: User, colleague: User, api_as: Callable[[User], HttpClient]
) -> None:
    assert patch(api_as(admin), supervisor, {"supervisor_id": colleague.pk}).status_code == 422
    assert patch(api_as(admin), supervisor, {"role": "biller"}).status_code == 422


def test_patch_is_for_admins_and_known_users(
    admin: User, clinician: User, colleague: User, api_as: Callable[[User], HttpClient]
) -> None:
    assert patch(api_as(clinician), colleague, {"full_name": "X"}).status_code == 403
    missing = api_as(admin).patch("/api/v1/users/999999", {"full_name": "X"}, content_type="application/json")
    assert missing.status_code == 404
    assert patch(api_as(admin), colleague, {"role": None}).status_code == 422
    assert patch(api_as(admin), colleague, {"nickname": "L"}).status_code == 400
