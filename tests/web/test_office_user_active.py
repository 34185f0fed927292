"""Administrators deactivate people who left (and bring them back); nobody deactivates themself."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient

from confide.audit.models import AuditEntry
from confide.people.models import ApiToken, User
from tests.conftest import PASSWORD


def test_admin_deactivates_a_user_who_then_cannot_sign_in(web_as: Any, admin: User, biller: User, api_as: Any) -> None:
    signed_in = web_as(biller)
    api = api_as(biller)
    assert ApiToken.objects.filter(user=biller).exists() and api.get("/api/v1/clients").status_code == 200
    response = web_as(admin).post(f"/manage/users/{biller.pk}/active/", {"active": "0"}, follow=True)
    assert "is deactivated and can no longer sign in" in response.content.decode()
    biller.refresh_from_db()
    assert not biller.is_active
    assert AuditEntry.objects.filter(action="confide.user.deactivated", object_id=str(biller.pk)).exists()
    assert not ApiToken.objects.filter(user=biller).exists()
    assert HttpClient().post("/sign-in/", {"username": biller.username, "password": PASSWORD}).status_code == 401
    assert signed_in.get("/billing/").status_code == 302  # the open browser session ends too
    assert api.get("/api/v1/clients").status_code == 401


def test_admin_reactivates_a_user(web_as: Any, admin: User, biller: User) -> None:
    http = web_as(admin)
    http.post(f"/manage/users/{biller.pk}/active/", {"active": "0"})
    assert "Reactivate" in http.get("/manage/users/").content.decode()
    http.post(f"/manage/users/{biller.pk}/active/", {"active": "1"})
    biller.refresh_from_db()
    assert biller.is_active
    assert AuditEntry.objects.filter(action="confide.user.reactivated", object_id=str(biller.pk)).exists()
    assert HttpClient().post("/sign-in/", {"username": biller.username, "password": PASSWORD}).status_code == 302


def test_an_admin_cannot_deactivate_themself(web_as: Any, admin: User) -> None:
    response = web_as(admin).post(f"/manage/users/{admin.pk}/active/", {"active": "0"}, follow=True)
    assert "You cannot deactivate yourself" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_only_an_admin_deactivates(web_as: Any, clinician: User, biller: User) -> None:
    assert web_as(clinician).post(f"/manage/users/{biller.pk}/active/", {"active": "0"}).status_code == 403
    biller.refresh_from_db()
    assert biller.is_active


def test_deactivating_a_missing_user_is_not_found_and_garbage_is_refused(
    web_as: Any, admin: User, biller: User
) -> None:
    http = web_as(admin)
    assert http.post("/manage/users/99999999/active/", {"active": "0"}).status_code == 404
    assert http.post(f"/manage/users/{biller.pk}/active/", {"active": "maybe"}).status_code == 302
    assert http.get(f"/manage/users/{biller.pk}/active/").status_code == 405
    biller.refresh_from_db()
    assert biller.is_active
