"""A password change ends the credentials issued before it (API tokens, other web sessions) and keeps the one that
made it; the current-password check is throttled like sign-in and audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client as HttpClient

from confide.audit.models import AuditEntry
from confide.people.models import ApiToken, User
from confide.people.services import change_password
from confide.vault.models import KeySession
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase 77"


def change_on_the_web(http: HttpClient, current: str = PASSWORD) -> Any:
    return http.post(
        "/account/password/",
        {"current_password": current, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
    )


def test_a_token_issued_before_the_change_no_longer_reads_psychotherapy_notes(
    clinician: User, api_as: Callable[[User], HttpClient], web_as: Callable[[User], HttpClient]
) -> None:
    old_token = api_as(clinician)
    assert old_token.get("/api/v1/psychotherapy-notes").status_code == 200
    browser = web_as(clinician)
    assert change_on_the_web(browser).status_code == 302
    assert old_token.get("/api/v1/psychotherapy-notes").status_code == 401
    assert not ApiToken.objects.filter(user=clinician).exists()


def test_other_web_sessions_end_and_leave_the_store(
    clinician: User, web_as: Callable[[User], HttpClient], colleague: User
) -> None:
    laptop = web_as(clinician)
    phone = web_as(clinician)
    colleagues = web_as(colleague)
    phone_key = phone.cookies["sessionid"].value
    assert change_on_the_web(laptop).status_code == 302
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert phone.get("/")["Location"].startswith("/sign-in/")
    assert laptop.get("/").status_code == 200  # the browser that made the change stays signed in
    assert colleagues.get("/").status_code == 200  # nobody else is signed out


def test_the_service_keeps_the_session_it_is_told_to_keep(
    clinician: User, web_as: Callable[[User], HttpClient]
) -> None:
    laptop = web_as(clinician)
    phone = web_as(clinician)
    keep = laptop.cookies["sessionid"].value
    refs = {str(s.get_decoded().get("confide_vault_ref")) for s in Session.objects.all()}
    assert len(refs) == 2
    change_password(user=clinician, old_password=PASSWORD, new_password=NEW_PASSWORD, keep_session_key=keep)
    assert Session.objects.filter(session_key=keep).exists()
    assert not Session.objects.filter(session_key=phone.cookies["sessionid"].value).exists()
    kept_ref = str(Session.objects.get(session_key=keep).get_decoded()["confide_vault_ref"])
    # The vault stays open where the change was made, and is closed where the ended session had it open.
    assert list(KeySession.objects.filter(user_id=clinician.pk).values_list("session_ref", flat=True)) == [kept_ref]


def test_a_wrong_current_password_is_audited_and_throttled(
    clinician: User, web_as: Callable[[User], HttpClient], settings: Any
) -> None:
    browser = web_as(clinician)
    settings.LOCKOUT_THRESHOLD = 3
    for _ in range(3):
        assert change_on_the_web(browser, current="not my password").status_code == 422
    assert AuditEntry.objects.filter(action="confide.user.password_check_failed", actor_id=clinician.pk).count() == 3
    # Now even the right current password waits: guessing through this form is as slow as through sign-in.
    assert change_on_the_web(browser).status_code == 422
    assert AuditEntry.objects.filter(action="confide.sign_in.throttled", actor_id=clinician.pk).exists()
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)
