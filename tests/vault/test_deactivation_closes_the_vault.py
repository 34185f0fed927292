"""Deactivating a clinician closes every vault key session they hold, from the web and from the API."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from confide.people.models import User
from confide.people.services import set_active
from confide.vault import services as vault
from confide.vault.models import KeySession
from tests.conftest import PASSWORD


def test_deactivation_destroys_web_and_api_key_sessions(admin: User, clinician: User, colleague: User) -> None:
    for ref in ("web:laptop", "web:phone", "api:7"):
        vault.open_key_session(
            user=clinician,
            password=PASSWORD,
            session_ref=ref,
            client_secret=secrets.token_bytes(32),
            expires_at=timezone.now() + timedelta(hours=1),
        )
    vault.open_key_session(
        user=colleague,
        password=PASSWORD,
        session_ref="web:colleague",
        client_secret=secrets.token_bytes(32),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    set_active(actor=admin, user=clinician, active=False)
    assert not KeySession.objects.filter(user_id=clinician.pk).exists()
    assert KeySession.objects.filter(user_id=colleague.pk).count() == 1  # nobody else is signed out
