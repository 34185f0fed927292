"""Password changes touch two databases (the account in the main one, the wrapped vault key in the vault's). An
error after the vault has committed must leave a password the person knows opening both, with the log complete.
The fault is injected by making the account step's audit entry fail, after the vault step has committed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client as HttpClient

from confide.audit.models import AuditEntry
from confide.people import services
from confide.people.models import User
from confide.vault import services as vault
from confide.vault.recovery import RecoveryKeyFiles, read_private_key_file
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase 77"


class Injected(RuntimeError):
    pass


def fail_on(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    real = services.record  # type: ignore[attr-defined]

    def record(action: str, **kwargs: Any) -> Any:
        if action == code:
            raise Injected(f"injected failure writing {code}")
        return real(action, **kwargs)

    monkeypatch.setattr(services, "record", record)


def api_token(username: str, password: str, settings: Any) -> HttpClient:
    settings.MFA_REQUIRED_ROLES = []
    response = HttpClient().post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return HttpClient(headers={"authorization": f"Bearer {response.json()['token']}"})


@pytest.fixture
def private_note(clinician: User, therapy_session: Any, settings: Any) -> str:
    http = api_token("rivera", PASSWORD, settings)
    written = http.post(
        f"/api/v1/sessions/{therapy_session.pk}/psychotherapy-notes",
        {"body": "what I did not say in session"},
        content_type="application/json",
    )
    assert written.status_code == 201, written.content
    return str(written.json()["id"])


def reads_note(http: HttpClient, note_id: str) -> bool:
    response = http.get(f"/api/v1/psychotherapy-notes/{note_id}")
    return response.status_code == 200 and response.json()["body"] == "what I did not say in session"


def test_a_failed_change_after_the_vault_commit_leaves_the_old_password_opening_both(
    clinician: User, private_note: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_on(monkeypatch, "confide.user.password_changed")
    with pytest.raises(Injected):
        services.change_password(user=clinician, old_password=PASSWORD, new_password=NEW_PASSWORD)
    monkeypatch.undo()
    assert reads_note(api_token("rivera", PASSWORD, settings), private_note)
    failed = AuditEntry.objects.filter(action="confide.user.password_change_failed", object_id=str(clinician.pk))
    assert failed.count() == 1 and failed.get().outcome == "failed"
    assert AuditEntry.objects.filter(action="confide.vault.rewrapped").count() == 2  # there and back, both logged


def test_the_change_itself_still_works(clinician: User, private_note: str, settings: Any) -> None:
    services.change_password(user=clinician, old_password=PASSWORD, new_password=NEW_PASSWORD)
    assert reads_note(api_token("rivera", NEW_PASSWORD, settings), private_note)
    assert AuditEntry.objects.filter(action="confide.user.password_changed").count() == 1


def test_a_failed_reset_keeps_the_old_password_and_the_recovery_ceremony_opens_the_vault(
    admin: User,
    clinician: User,
    private_note: str,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    vault_recovery_key: RecoveryKeyFiles,
) -> None:
    fail_on(monkeypatch, "confide.user.password_reset")
    with pytest.raises(Injected):
        services.reset_password(actor=admin, user=clinician, new_password=NEW_PASSWORD)
    monkeypatch.undo()
    assert AuditEntry.objects.filter(action="confide.user.password_reset_failed", actor_id=admin.pk).count() == 1
    assert AuditEntry.objects.filter(action="confide.vault.locked").count() == 1
    # The reset did not happen: the old password signs in; the vault is locked, as after any reset...
    http = api_token("rivera", PASSWORD, settings)
    assert not reads_note(http, private_note)
    # ...and the custodian's ceremony opens it with the password the clinician has.
    clinician.refresh_from_db()
    assert vault_recovery_key.private is not None
    vault.recover(
        user=clinician, recovery_private_key=read_private_key_file(vault_recovery_key.private), password=PASSWORD
    )
    assert reads_note(api_token("rivera", PASSWORD, settings), private_note)


def test_both_refuse_to_run_inside_an_open_main_transaction(admin: User, clinician: User) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.change_password(user=clinician, old_password=PASSWORD, new_password=NEW_PASSWORD)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.reset_password(actor=admin, user=clinician, new_password=NEW_PASSWORD)
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)
