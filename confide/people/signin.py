"""Web sign-in in two steps, without ever keeping the password on the server.

The password step is the only moment the password exists, and the vault key must be unwrapped with it then. So
`begin_web_sign_in` opens the vault key session at the password step (wrapped under a fresh secret that goes to the
browser as a cookie, never stored here) and keeps only the pending user's id and the key session's reference in the
Django session. `finish_web_sign_in` logs the user in once the second factor is proven. An abandoned or failed
attempt closes the key session.

A user who owes no second factor signs in in one step with `confide.people.services.sign_in_web`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django_otp import login as otp_login

from confide.audit.services import record
from confide.people.models import User
from confide.people.services import VAULT_COOKIE, VAULT_REF, clear_failures, confirmed_device, open_web_key_session
from confide.vault import services as vault
from confide.vault.credential import encode_secret

PENDING_USER = "confide_pending_user"
PENDING_SINCE = "confide_pending_since"
PENDING_REF = "confide_pending_vault_ref"
# Ten minutes to type a code or enrol an authenticator app, the same window the API gives an enrollment token.
PENDING_SECONDS = 10 * 60


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    vault_ref: str | None


def begin_web_sign_in(request: HttpRequest, *, user: User, password: str, ip: str) -> bytes | None:
    """After the password step for a user who still owes a second factor. Returns the vault cookie secret."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_SINCE] = time.time()
    request.session.pop(PENDING_REF, None)
    record("confide.sign_in.second_factor_required", actor=user, ip=ip, outcome="denied")
    opened = open_web_key_session(user=user, password=password)
    if opened is None:
        return None
    ref, secret = opened
    request.session[PENDING_REF] = ref
    return secret


def pending_sign_in(request: HttpRequest) -> PendingSignIn | None:
    """The user between password and second factor, if the attempt is recent enough."""
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE)
    if user_id is None or since is None:
        return None
    if time.time() - float(since) > PENDING_SECONDS:
        abandon_web_sign_in(request)
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        abandon_web_sign_in(request)
        return None
    ref = request.session.get(PENDING_REF)
    return PendingSignIn(user=user, vault_ref=str(ref) if ref else None)


def abandon_web_sign_in(request: HttpRequest) -> None:
    ref = request.session.get(PENDING_REF)
    if ref:
        vault.close_key_session(session_ref=str(ref))
    for key in (PENDING_USER, PENDING_SINCE, PENDING_REF):
        request.session.pop(key, None)


@transaction.atomic
def finish_web_sign_in(request: HttpRequest, *, pending: PendingSignIn, ip: str) -> None:
    """The second factor is proven: start the Django session, marked OTP-verified."""
    user = pending.user
    clear_failures(user.username, ip)
    for key in (PENDING_USER, PENDING_SINCE, PENDING_REF):
        request.session.pop(key, None)
    login(request, user)  # cycles the session key; the vault reference is stored after it
    device = confirmed_device(user)
    if device is not None:
        otp_login(request, device)
    if pending.vault_ref:
        request.session[VAULT_REF] = pending.vault_ref
    record("confide.sign_in.succeeded", actor=user, ip=ip, detail={"via": "web", "second_factor": "totp"})


def set_vault_cookie(response: HttpResponse, secret: bytes | None) -> None:
    if secret is None:
        return
    response.set_cookie(
        VAULT_COOKIE,
        encode_secret(secret),
        max_age=settings.SESSION_COOKIE_AGE,
        httponly=True,
        samesite="Strict",
        secure=bool(not settings.DEBUG and settings.SESSION_COOKIE_SECURE),
    )


def delete_vault_cookie(response: HttpResponse) -> None:
    response.delete_cookie(VAULT_COOKIE, samesite="Strict")
