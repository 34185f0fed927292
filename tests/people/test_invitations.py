"""New accounts by invitation: the invited person sets their own password and enrols MFA through a one-time link; the
administrator never knows the password. The link works once, expires, and only its hash is stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.audit.models import AuditEntry
from confide.people.models import Invitation, User, hash_token
from confide.people.services import totp_now

CHOSEN = "my own secret passphrase 31"
NEW_CLINICIAN = {"username": "okoye", "full_name": "Ada Okoye", "role": "clinician", "credentials": "LCSW"}


def invite(api: HttpClient, **extra: Any) -> Any:
    return api.post("/api/v1/users", {**NEW_CLINICIAN, **extra}, content_type="application/json")


def token_of(url: str) -> str:
    found = re.search(r"/invitation/([^/]+)/$", url)
    assert found, url
    return found.group(1)


def accept(http: HttpClient, url: str, password: str = CHOSEN) -> Any:
    return http.post(url, {"password": password, "again": password})


def test_the_api_answers_a_one_time_invitation_url(admin: User, api_as: Callable[[User], HttpClient]) -> None:
    response = invite(api_as(admin))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "okoye" and body["role"] == "clinician" and body["id"]
    url = body["invitation_url"]
    assert url.startswith("http://testserver/invitation/")
    person = User.objects.get(username="okoye")
    assert not person.has_usable_password()
    stored = Invitation.objects.get(user=person)
    assert stored.key_hash == hash_token(token_of(url)) and token_of(url) not in stored.key_hash


def test_the_invited_person_sets_a_password_and_enrols_mfa(
    admin: User, api_as: Callable[[User], HttpClient], settings: Any
) -> None:
    url = invite(api_as(admin)).json()["invitation_url"]
    settings.MFA_REQUIRED_ROLES = ["clinician", "admin"]
    browser = HttpClient()
    page = browser.get(url)
    assert page.status_code == 200 and "okoye" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert accept(browser, url, "short").status_code == 422  # the password rules apply
    done = accept(browser, url)
    assert done.status_code == 302 and done["Location"] == "/sign-in/enroll/"
    device = TOTPDevice.objects.get(user__username="okoye", confirmed=False)
    signed_in = browser.post("/sign-in/enroll/", {"code": totp_now(device)})
    assert signed_in.status_code == 302
    assert browser.get("/").status_code == 200
    person = User.objects.get(username="okoye")
    assert person.check_password(CHOSEN)
    assert AuditEntry.objects.filter(action="confide.user.invitation_accepted", actor_id=person.pk).exists()


def test_the_link_works_once(admin: User, api_as: Callable[[User], HttpClient], settings: Any) -> None:
    settings.MFA_REQUIRED_ROLES = []
    url = invite(api_as(admin)).json()["invitation_url"]
    assert accept(HttpClient(), url).status_code == 302
    again = HttpClient()
    assert again.get(url).status_code == 404
    assert accept(again, url, "someone else's passphrase 9").status_code == 404
    assert User.objects.get(username="okoye").check_password(CHOSEN)
    assert AuditEntry.objects.filter(action="confide.user.invitation_refused").count() == 2


def test_the_link_expires(admin: User, api_as: Callable[[User], HttpClient]) -> None:
    url = invite(api_as(admin)).json()["invitation_url"]
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert accept(HttpClient(), url).status_code == 404
    assert not User.objects.get(username="okoye").has_usable_password()


def test_an_unknown_link_says_only_that_it_does_not_work(db: None) -> None:
    response = HttpClient().get("/invitation/not-a-real-token/")
    assert response.status_code == 404 and "does not work" in response.content.decode()


def test_an_invited_person_cannot_sign_in_before_accepting(admin: User, api_as: Callable[[User], HttpClient]) -> None:
    invite(api_as(admin))
    for password in ("", "!", "anything at all"):
        response = HttpClient().post(
            "/api/v1/auth/token", {"username": "okoye", "password": password or "x"}, content_type="application/json"
        )
        assert response.status_code == 401


def test_production_can_require_invitations(admin: User, api_as: Callable[[User], HttpClient], settings: Any) -> None:
    settings.REQUIRE_INVITATIONS = True
    api = api_as(admin)
    refused = invite(api, password="an admin-chosen passphrase 5")
    assert refused.status_code == 422 and refused.json()["code"] == "invitation_required"
    assert not User.objects.filter(username="okoye").exists()
    assert invite(api).status_code == 201


def test_an_admin_may_still_set_a_password_where_invitations_are_not_required(
    admin: User, api_as: Callable[[User], HttpClient], settings: Any
) -> None:
    settings.REQUIRE_INVITATIONS = False
    response = invite(api_as(admin), password="an admin-chosen passphrase 5")
    assert response.status_code == 201 and response.json().get("invitation_url") is None


def test_the_web_admin_invites_too(admin: User, web_as: Callable[[User], HttpClient], settings: Any) -> None:
    browser = web_as(admin)
    form = browser.get("/manage/users/invite/")
    assert form.status_code == 200 and 'name="password"' not in form.content.decode()
    shown = browser.post("/manage/users/invite/", {**NEW_CLINICIAN, "supervisor": ""})
    assert shown.status_code == 200, shown.content
    assert "no-store" in shown["Cache-Control"]
    url = re.search(r'data-testid="invitation-url">([^<]+)<', shown.content.decode())
    assert url is not None
    settings.MFA_REQUIRED_ROLES = []
    assert accept(HttpClient(), url.group(1).strip()).status_code == 302


def test_only_an_admin_invites(clinician: User, api_as: Callable[[User], HttpClient]) -> None:
    assert invite(api_as(clinician)).status_code == 403
    assert not User.objects.filter(username="okoye").exists()


@pytest.mark.parametrize(
    "change",
    [{"username": "x" * 151}, {"full_name": "y" * 201}, {"credentials": "z" * 61}],
)
def test_over_long_fields_are_a_400(admin: User, api_as: Callable[[User], HttpClient], change: dict[str, str]) -> None:
    assert invite(api_as(admin), **change).status_code == 400
