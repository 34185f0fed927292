"""Ending a user's web sessions in the session store, with the vault key sessions they hold.

Deactivation and a password change must end the sign-ins a person already has, not only refuse new ones: a session
left in the store would come back to life on reactivation. Django's database session store keeps each session's
data encoded, so finding a user's sessions means decoding the live ones. That is a few microseconds each, and
this runs only when an administrator deactivates someone or a person changes their password.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from confide.vault import services as vault

# The keys confide.people.services and confide.people.signin keep in a session (kept here as text to avoid a cycle).
VAULT_REFS = ("confide_vault_ref", "confide_pending_vault_ref")
PENDING_USER = "confide_pending_user"


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _belongs_to(data: dict[str, Any], user_id: int) -> bool:
    return str(data.get(SESSION_KEY, "")) == str(user_id) or str(data.get(PENDING_USER, "")) == str(user_id)


def end_web_sessions(*, user_id: int, keep: str | None = None) -> int:
    """Delete every live web session of `user_id` except the one keyed `keep`; close their vault key sessions.
    Returns how many sessions ended."""
    store = _store()
    model = store.get_model_class()
    ended: list[str] = []
    live = model.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep or "")
    for row in live.iterator():
        data = store().decode(row.session_data)
        if not _belongs_to(data, user_id):
            continue
        for name in VAULT_REFS:
            if data.get(name):
                vault.close_key_session(session_ref=str(data[name]))
        ended.append(row.session_key)
    model.objects.filter(session_key__in=ended).delete()
    return len(ended)
