"""The vault's only door. (Being built: see issue 3.) These hooks are what sign-in needs from it."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def provision_keys(*, user: Any, password: str) -> None:
    """Give a clinician a key pair: private half wrapped under the password and sealed to the recovery key."""


def open_key_session(*, user: Any, password: str, session_ref: str, client_secret: bytes, expires_at: datetime) -> None:
    """Unwrap the private key with the password and re-wrap it under `client_secret` for this session."""


def close_key_session(*, session_ref: str) -> None:
    """Destroy the session's wrapped key."""


def rewrap_for_new_password(*, user: Any, old_password: str, new_password: str) -> None:
    """Password change: re-wrap the private key under the new password."""


def lock_after_reset(*, user: Any) -> None:
    """Admin reset: the password-wrapped key no longer opens; recovery re-wraps it."""
