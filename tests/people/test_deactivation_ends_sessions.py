"""Deactivation ends the person's web sessions (deleted from the session store) and tokens; reactivation brings
none of them back: the person signs in afresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client as HttpClient

from confide.people import services
from confide.people.models import User
from tests.conftest import PASSWORD


def set_active(admin_browser: HttpClient, person: User, active: bool) -> None:
    response = admin_browser.post(f"/manage/users/{person.pk}/active/", {"active": "1" if active else "0"})
    assert response.status_code == 302, response.content
    person.refresh_from_db()
    assert person.is_active is active


def test_deactivation_signs_the_person_out_for_good(
    admin: User,
    clinician: User,
    colleague: User,
    web_as: Callable[[User], HttpClient],
    api_as: Callable[[User], HttpClient],
) -> None:
    browser = web_as(clinician)
    token = api_as(clinician)
    colleagues = web_as(colleague)
    key = browser.cookies["sessionid"].value
    assert browser.get("/").status_code == 200
    administrator = web_as(admin)

    set_active(administrator, clinician, False)
    assert not Session.objects.filter(session_key=key).exists()
    assert browser.get("/")["Location"].startswith("/sign-in/")
    assert token.get("/api/v1/clients").status_code == 401

    set_active(administrator, clinician, True)
    assert browser.get("/")["Location"].startswith("/sign-in/")  # the old session does not come back
    assert token.get("/api/v1/clients").status_code == 401
    assert colleagues.get("/").status_code == 200  # nobody else was signed out
    again = HttpClient()
    assert again.post("/sign-in/", {"username": "rivera", "password": PASSWORD}).status_code == 302
    assert again.get("/").status_code == 200


def test_a_half_finished_sign_in_ends_too(admin: User, clinician: User, settings: Any) -> None:
    settings.MFA_REQUIRED_ROLES = ["clinician"]
    pending = HttpClient()
    assert pending.post("/sign-in/", {"username": "rivera", "password": PASSWORD})["Location"] == "/sign-in/enroll/"
    key = pending.cookies["sessionid"].value
    services.set_active(actor=admin, user=clinician, active=False)
    assert not Session.objects.filter(session_key=key).exists()
