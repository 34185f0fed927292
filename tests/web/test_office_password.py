"""Everyone changes their own password; the current one is checked, and the new one must be strong."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.people.models import User
from tests.conftest import PASSWORD

NEW = "a brand new passphrase 31"


@pytest.mark.parametrize("role_fixture", ["clinician", "biller", "front_desk", "admin"])
def test_password_change_works(web_as: Any, request: Any, role_fixture: str) -> None:
    user: User = request.getfixturevalue(role_fixture)
    http = web_as(user)
    assert "/account/password/" in http.get("/", follow=True).content.decode()
    response = http.post(
        "/account/password/", {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert http.get("/", follow=True).status_code == 200  # still signed in on this browser
    fresh = HttpClient()
    assert fresh.post("/sign-in/", {"username": user.username, "password": NEW}).status_code == 302


def test_wrong_current_password_shows_an_error(web_as: Any, biller: User) -> None:
    response = web_as(biller).post(
        "/account/password/", {"current_password": "not it at all", "new_password": NEW, "confirm_password": NEW}
    )
    assert response.status_code == 422 and "That is not your current password." in response.content.decode()
    biller.refresh_from_db()
    assert biller.check_password(PASSWORD)


def test_a_weak_or_mistyped_new_password_is_refused(web_as: Any, biller: User) -> None:
    http = web_as(biller)
    weak = http.post(
        "/account/password/", {"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"}
    )
    differ = http.post(
        "/account/password/", {"current_password": PASSWORD, "new_password": NEW, "confirm_password": NEW + "x"}
    )
    assert weak.status_code == 422 and differ.status_code == 422
    assert "The two new passwords differ." in differ.content.decode()
    biller.refresh_from_db()
    assert biller.check_password(PASSWORD)


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = HttpClient().get("/account/password/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
