"""Every page renders for the roles it is for, under the strict Content-Security-Policy: no inline script or style."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import session_for

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def assert_strict_page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html)
    return html


def test_sign_in_page_has_a_strict_policy_and_no_inline_code(client: Any) -> None:
    assert_strict_page(client.get("/sign-in/"))


def test_clinician_pages_have_no_inline_code(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    for path in ("/", "/clients/", "/clients/?q=mor", f"/clients/{client_of_record.pk}/", f"/sessions/{session.pk}/"):
        assert_strict_page(http.get(path))


@pytest.mark.parametrize("role_fixture", ["admin", "biller", "front_desk"])
def test_other_roles_home_pages_have_no_inline_code(web_as: Any, request: Any, role_fixture: str) -> None:
    user = request.getfixturevalue(role_fixture)
    http = web_as(user)
    response = http.get("/", follow=True)
    assert_strict_page(response)


def test_admin_pages_have_no_inline_code(web_as: Any, admin: User) -> None:
    http = web_as(admin)
    for path in (
        "/manage/users/",
        "/manage/users/new/",
        "/manage/settings/",
        f"/manage/users/{admin.pk}/reset-password/",
    ):
        assert_strict_page(http.get(path))


def test_every_page_shows_the_demo_banner_in_demo_mode(
    web_as: Any, settings: Any, clinician: User, client_of_record: Client
) -> None:
    http = web_as(clinician)
    settings.DEMO_MODE = True
    for path in ("/", "/clients/", f"/clients/{client_of_record.pk}/"):
        assert "Demo mode — MFA is relaxed; not for real client data" in http.get(path).content.decode()
    assert "Demo mode — MFA is relaxed" in HttpClient().get("/sign-in/").content.decode()
    assert "Demo mode" in http.get("/no-such-page/").content.decode()


def test_no_demo_banner_outside_demo_mode(web_as: Any, clinician: User) -> None:
    assert "Demo mode" not in web_as(clinician).get("/").content.decode()


def test_absurd_ids_are_not_found_not_a_server_error(web_as: Any, clinician: User) -> None:
    http = web_as(clinician)
    for path in ("/clients/99999999999999999999999/", "/sessions/99999999999999999/", "/notes/-1/sign/"):
        assert http.get(path).status_code == 404, path
