"""Sign-in through the web pages: one generic failure message, MFA enrolment and codes, the vault cookie, sign-out."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.people.models import User
from confide.people.services import VAULT_COOKIE, totp_now
from tests.conftest import PASSWORD


def post_password(http: HttpClient, username: str, password: str = PASSWORD) -> Any:
    return http.post("/sign-in/", {"username": username, "password": password})


def test_wrong_password_and_lockout_show_the_same_generic_message(clinician: User, settings: Any) -> None:
    settings.LOCKOUT_THRESHOLD = 2
    http = HttpClient()
    wrong = post_password(http, clinician.username, "wrong password")
    assert wrong.status_code == 401
    post_password(http, clinician.username, "wrong password")
    locked = post_password(http, clinician.username)  # the right password, but locked out now
    assert locked.status_code == 401
    message = "Those details did not work"
    assert message in wrong.content.decode() and message in locked.content.decode()
    assert "locked" not in locked.content.decode().lower()


def test_unknown_user_gets_the_same_message(db: None) -> None:
    response = post_password(HttpClient(), "nobody", "whatever it is")
    assert response.status_code == 401
    assert "Those details did not work" in response.content.decode()


def test_password_alone_does_not_sign_in_a_user_who_needs_mfa(clinician: User) -> None:
    http = HttpClient()
    response = post_password(http, clinician.username)
    assert response["Location"] == "/sign-in/enroll/"
    assert http.get("/")["Location"].startswith("/sign-in/")


def test_clinician_enrols_then_signs_in_with_codes(clinician: User) -> None:
    http = HttpClient()
    post_password(http, clinician.username)
    page = http.get("/sign-in/enroll/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    assert "otpauth://totp/" in page.content.decode()
    assert http.post("/sign-in/enroll/", {"code": "12345x"}).status_code == 200  # malformed: the form says so
    done = http.post("/sign-in/enroll/", {"code": totp_now(device)})
    assert done.status_code == 302 and done["Location"] == "/"
    assert http.get("/").status_code == 200
    cookie = done.cookies[VAULT_COOKIE] if VAULT_COOKIE in done.cookies else http.cookies[VAULT_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"


def test_enrolment_page_cannot_replace_a_confirmed_device(clinician: User) -> None:
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    http = HttpClient()
    assert post_password(http, clinician.username)["Location"] == "/sign-in/code/"
    assert http.get("/sign-in/enroll/")["Location"] == "/sign-in/code/"
    assert (
        http.post("/sign-in/code/", {"code": "000000" if totp_now(device) != "000000" else "111111"}).status_code == 401
    )
    assert http.get("/")["Location"].startswith("/sign-in/")


def test_code_page_without_a_password_step_starts_again(db: None) -> None:
    response = HttpClient().post("/sign-in/code/", {"code": "123456"})
    assert response["Location"] == "/sign-in/"


def test_sign_out_is_a_post_and_clears_the_vault_cookie(web_as: Any, clinician: User) -> None:
    http = web_as(clinician)
    assert http.get("/sign-out/").status_code == 405
    response = http.post("/sign-out/")
    assert response["Location"] == "/sign-in/"
    assert response.cookies[VAULT_COOKIE].value == ""
    assert http.get("/")["Location"].startswith("/sign-in/")


def test_idle_session_is_signed_out(web_as: Any, clinician: User, settings: Any) -> None:
    from confide.people.middleware import LAST_ACTIVITY

    http = web_as(clinician)
    session = http.session
    session[LAST_ACTIVITY] = 0.0
    session.save()
    assert http.get("/")["Location"].startswith("/sign-in/")


def test_background_polling_needs_a_signed_in_user(db: None) -> None:
    response = HttpClient().get("/today/refresh/", headers={"HX-Request": "true", "X-Confide-Background": "1"})
    assert response.status_code == 204 and response["HX-Redirect"] == "/sign-in/"
