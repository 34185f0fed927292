"""Every change to people and sign-in goes through here: one function, one transaction, its own audit entry."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.access import require
from confide.audit.services import record
from confide.lib.errors import NotFound, RuleViolation, Unauthorized
from confide.people import throttle
from confide.people.models import ApiToken, Role, User, UserChange, hash_token
from confide.people.web_sessions import end_web_sessions
from confide.vault import services as vault
from confide.vault.credential import VaultCredential

VAULT_COOKIE = "confide_vault"
VAULT_REF = "confide_vault_ref"


# --- People ----------------------------------------------------------------------------------------------------------


def create_user(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    full_name: str,
    role: str,
    credentials: str = "",
    supervisor_id: int | None = None,
    validate: bool = True,
) -> User:
    """Add a member of the practice. Only an admin may (or the command line, with actor None).

    `password=None` makes an account with no usable password: confide.people.invitations gives it a one-time link
    where its owner sets one. With REQUIRE_INVITATIONS an administrator may not set it (the command line still may:
    the first administrator comes from there)."""
    if actor is not None:  # None: the command line, which makes the first administrator
        require(actor, "user.manage")
    if password is not None and actor is not None and settings.REQUIRE_INVITATIONS:
        raise RuleViolation(
            "this practice adds people by invitation: leave the password out and send them the link",
            "invitation_required",
        )
    if role not in Role.values:
        raise RuleViolation(f"role must be one of {', '.join(Role.values)}", "invalid_role")
    if User.objects.filter(username=username).exists():
        raise RuleViolation("that username is taken", "username_taken")
    supervisor = _supervisor(supervisor_id, role)
    user = User(username=username, full_name=full_name, role=role, credentials=credentials, supervisor=supervisor)
    if password is None:
        user.set_unusable_password()
    else:
        if validate:
            check_new_password(password, user)
        user.set_password(password)
    with transaction.atomic():
        user.save()
        record("confide.user.created", actor=actor, object_type="user", object_id=user.pk, detail={"role": role})
    if password is not None and user.role == Role.CLINICIAN:
        # After the account's commit, never inside it: a rollback of the account must not leave a key pair behind
        # in the vault's own database. Sign-in provisions the keys too, should this step fail.
        vault.provision_keys(user=user, password=password)
    return user


def _supervisor(supervisor_id: int | None, role: str) -> User | None:
    if supervisor_id is None:
        return None
    supervisor = User.objects.filter(pk=supervisor_id, role=Role.CLINICIAN, is_active=True).first()
    if supervisor is None:
        raise RuleViolation("the supervisor must be an active clinician", "invalid_supervisor")
    if supervisor.supervisor_id is not None:
        raise RuleViolation("a supervisee cannot be a supervisor", "invalid_supervisor")
    if role != Role.CLINICIAN:
        raise RuleViolation("only clinicians have supervisors", "invalid_supervisor")
    return supervisor


def check_new_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise RuleViolation(" ".join(error.messages), "weak_password") from error


USER_FIELDS = ("full_name", "role", "credentials", "supervisor_id")


@transaction.atomic
def update_user(*, actor: User, user: User, ip: str = "", **changes: Any) -> User:
    """An administrator changes someone's name, role, credentials or supervisor. Never their own role: that would
    let an administrator make themselves a clinician."""
    require(actor, "user.manage")
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise RuleViolation(f"cannot change {', '.join(sorted(unknown))}", "invalid_field")
    role = changes.get("role", user.role)
    if role not in Role.values:
        raise RuleViolation(f"role must be one of {', '.join(Role.values)}", "invalid_role")
    if role != user.role and user.pk == actor.pk:
        raise RuleViolation("you cannot change your own role; ask another administrator", "cannot_change_own_role")
    if role != Role.CLINICIAN and User.objects.filter(supervisor=user).exists():
        raise RuleViolation("this clinician supervises others: reassign them first", "supervises_others")
    supervisor_id = changes.get("supervisor_id", user.supervisor_id if role == Role.CLINICIAN else None)
    if supervisor_id is not None:
        if supervisor_id == user.pk:
            raise RuleViolation("nobody supervises themselves", "invalid_supervisor")
        if User.objects.filter(supervisor=user).exists():
            raise RuleViolation("a supervisor cannot be a supervisee", "invalid_supervisor")
    before = _described(user)
    user.supervisor = _supervisor(supervisor_id, role)
    user.role = role
    for name in ("full_name", "credentials"):
        if name in changes:
            setattr(user, name, changes[name])
    after = _described(user)
    changed = [{"field": n, "old": before[n], "new": after[n]} for n in before if before[n] != after[n]]
    if not changed:
        return user
    user.save(update_fields=["full_name", "role", "credentials", "supervisor"])
    UserChange.objects.create(user=user, fields=changed, changed_by=actor)
    record(
        "confide.user.updated",
        actor=actor,
        object_type="user",
        object_id=user.pk,
        ip=ip,
        detail={"fields": [row["field"] for row in changed]},
    )
    return user


def _described(user: User) -> dict[str, str]:
    """A member's changeable fields as the user page's history shows them (the supervisor by name)."""
    supervisor = user.supervisor.display_name if user.supervisor_id and user.supervisor else ""
    return {
        "full_name": user.full_name,
        "role": Role(user.role).label if user.role in Role.values else user.role,
        "credentials": user.credentials,
        "supervisor": supervisor,
    }


def user_history(user: User) -> list[UserChange]:
    """An administrator's changes to this member, newest first, with old and new values."""
    return list(UserChange.objects.filter(user=user).select_related("changed_by")[:100])


# --- Changes that touch both databases ---------------------------------------------------------------------------
# The vault is a separate database: no transaction spans it and the main one. A vault change made inside an open
# main transaction commits on its own, and a later rollback of the main one would leave the two out of step (the
# vault key wrapped under a password the account does not have, and the audit entry gone). So these functions
# refuse to run inside a main transaction, and order their steps so that each failure leaves a state the person can
# still use, with the failure in the log.


def _outside_main_transaction() -> None:
    """Refuse to start inside an open main-database transaction (a test case's own transaction is allowed)."""
    with transaction.atomic(durable=True):  # Django raises RuntimeError when nested in a non-test atomic block
        pass


def _end_other_credentials(user: User, *, keep_session_key: str | None) -> dict[str, int]:
    """Every API token and every other web session of `user`, with the vault key sessions they hold."""
    tokens = list(ApiToken.objects.filter(user=user).values_list("pk", flat=True))
    for token_id in tokens:
        vault.close_key_session(session_ref=f"api:{token_id}")
    ApiToken.objects.filter(pk__in=tokens).delete()
    web = end_web_sessions(user_id=user.pk, keep=keep_session_key)
    return {"tokens": len(tokens), "web": web}


def _check_current_password(user: User, password: str, ip: str) -> None:
    """The current-password check of a password change: throttled and audited like sign-in."""
    if throttle.is_throttled(user.username, ip):
        record("confide.sign_in.throttled", actor=user, outcome="denied", ip=ip)
        raise Unauthorized("too many failed attempts; try again later", "throttled")
    if not user.check_password(password):
        with transaction.atomic():
            throttle.note_failure(user.username, ip)
            record("confide.user.password_check_failed", actor=user, object_type="user", object_id=user.pk, ip=ip)
        raise Unauthorized("the current password is wrong", "bad_credentials")


def change_password(
    *, user: User, old_password: str, new_password: str, ip: str = "", keep_session_key: str | None = None
) -> None:
    """A person changes their own password. Their API tokens and other web sessions end (the one that made the
    change, `keep_session_key`, stays signed in).

    Order: the vault key is re-wrapped first (its own commit), then the account changes in one main transaction.
    Should the second step fail, the vault is wrapped back under the old password, so the old password opens both;
    the failure is logged in its own transaction."""
    _outside_main_transaction()
    _check_current_password(user, old_password, ip)
    check_new_password(new_password, user)
    clinician = user.role == Role.CLINICIAN
    if clinician:
        vault.rewrap_for_new_password(user=user, old_password=old_password, new_password=new_password)
    try:
        _commit_password_change(user, new_password, ip=ip, keep_session_key=keep_session_key)
    except Exception:
        user.refresh_from_db(fields=["password"])
        if clinician and user.check_password(old_password):
            vault.rewrap_for_new_password(user=user, old_password=new_password, new_password=old_password)
        with transaction.atomic():
            record(
                "confide.user.password_change_failed",
                actor=user,
                object_type="user",
                object_id=user.pk,
                outcome="failed",
                ip=ip,
            )
        raise


def _commit_password_change(user: User, new_password: str, *, ip: str, keep_session_key: str | None) -> None:
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        ended = _end_other_credentials(user, keep_session_key=keep_session_key)
        record("confide.user.password_changed", actor=user, object_type="user", object_id=user.pk, ip=ip, detail=ended)


def reset_password(*, actor: User | None, user: User, new_password: str, ip: str = "") -> None:
    """An administrator's reset. The vault stays locked until the custodian's recovery ceremony.

    Order: the vault locks first (its own commit), then the account changes in one main transaction. Should the
    second step fail, the old password still signs in and the vault is locked, as after any reset: the recovery
    ceremony opens it with the password the person has. The failure is logged."""
    if actor is not None:  # None: the command line, which makes the first administrator
        require(actor, "user.manage")
    _outside_main_transaction()
    if user.role == Role.CLINICIAN:
        vault.lock_after_reset(user=user)
    try:
        with transaction.atomic():
            user.set_password(new_password)
            user.save(update_fields=["password"])
            ended = _end_other_credentials(user, keep_session_key=None)
            record(
                "confide.user.password_reset", actor=actor, object_type="user", object_id=user.pk, ip=ip, detail=ended
            )
    except Exception:
        with transaction.atomic():
            record(
                "confide.user.password_reset_failed",
                actor=actor,
                object_type="user",
                object_id=user.pk,
                outcome="failed",
                ip=ip,
            )
        raise


# --- Throttling (confide/people/throttle.py) -------------------------------------------------------------------

is_locked_out = throttle.is_throttled
clear_failures = throttle.clear_failures
_note_failure = throttle.note_failure

# Hashing a password for a username that does not exist costs what checking a real one does, so the answer's timing
# does not say which usernames exist. Made on first use, under the hasher in force.
_DUMMY: dict[str, str] = {}


def _dummy_check(password: str) -> None:
    hasher = settings.PASSWORD_HASHERS[0]
    if hasher not in _DUMMY:
        _DUMMY[hasher] = make_password(secrets.token_urlsafe(16))
    User(password=_DUMMY[hasher]).check_password(password)


# --- Sign-in ---------------------------------------------------------------------------------------------------------


def mfa_required(user: User) -> bool:
    if settings.DEMO_MODE:
        return False  # demo mode says so on every page
    return user.role in settings.MFA_REQUIRED_ROLES


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def verify_otp(user: User, otp: str) -> bool:
    device = confirmed_device(user)
    return bool(device and otp and device.verify_token(otp.strip()))


@dataclass(frozen=True)
class PasswordCheck:
    user: User
    needs_enrollment: bool
    needs_otp: bool


def check_password(*, username: str, password: str, ip: str) -> PasswordCheck:
    """First factor. Raises Unauthorized (audited) on failure or lock-out; never says which part was wrong."""
    if is_locked_out(username, ip):
        record("confide.sign_in.throttled", actor=None, username=username, outcome="denied", ip=ip)
        raise Unauthorized("too many failed attempts; try again later", "throttled")
    user = User.objects.filter(username=username).first()
    if user is None or not user.has_usable_password():
        _dummy_check(password)  # an unknown name, or an invitation not yet taken up, costs what a real check does
        user = None
    if user is None or not user.check_password(password) or not user.is_active:
        with transaction.atomic():
            _note_failure(username, ip)
            record("confide.sign_in.failed", actor=None, username=username, outcome="failed", ip=ip)
        raise Unauthorized("wrong username or password", "bad_credentials")
    required = mfa_required(user)
    device = confirmed_device(user) if required else None
    return PasswordCheck(user=user, needs_enrollment=required and device is None, needs_otp=required and bool(device))


def check_second_factor(check: PasswordCheck, otp: str | None, ip: str) -> None:
    if not check.needs_otp:
        return
    if not otp:
        raise Unauthorized("a one-time code is required", "otp_required")
    if not verify_otp(check.user, otp):
        with transaction.atomic():
            _note_failure(check.user.username, ip)
            record("confide.sign_in.otp_failed", actor=check.user, outcome="failed", ip=ip)
        raise Unauthorized("the one-time code is wrong", "otp_invalid")


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    user: User


def _vault_secret(token_secret: str) -> bytes:
    # The vault key is wrapped under a secret derived from the token; the server keeps only the token's hash.
    return hashlib.blake2b(token_secret.encode(), person=b"confide-vault", digest_size=32).digest()


@transaction.atomic
def issue_token(*, user: User, password: str, ip: str, pending_mfa: bool = False) -> IssuedToken:
    clear_failures(user.username, ip)
    secret = secrets.token_urlsafe(32)
    ttl = timedelta(minutes=ENROLLMENT_MINUTES) if pending_mfa else timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    expires_at = timezone.now() + ttl
    token = ApiToken.objects.create(
        user=user, key_hash=hash_token(secret), expires_at=expires_at, pending_mfa=pending_mfa
    )
    if user.role == Role.CLINICIAN:
        vault.open_key_session(
            user=user,
            password=password,
            session_ref=f"api:{token.pk}",
            client_secret=_vault_secret(secret),
            # A pending token becomes a full one on confirmation; the wrapped key lives as long as that could.
            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
        )
    if pending_mfa:
        record("confide.sign_in.mfa_enrollment_required", actor=user, ip=ip, outcome="denied")
    else:
        record("confide.sign_in.succeeded", actor=user, ip=ip, detail={"via": "api"})
    return IssuedToken(token=secret, expires_at=expires_at, user=user)


def token_user(secret: str) -> tuple[User, VaultCredential] | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(secret)).first()
    if token is None or token.pending_mfa or token.expires_at <= timezone.now() or not token.user.is_active:
        return None
    return token.user, VaultCredential(session_ref=f"api:{token.pk}", client_secret=_vault_secret(secret))


@transaction.atomic
def revoke_token(*, secret: str, ip: str = "") -> None:
    token = ApiToken.objects.filter(key_hash=hash_token(secret)).first()
    if token is None:
        return
    vault.close_key_session(session_ref=f"api:{token.pk}")
    record("confide.sign_out", actor=token.user, ip=ip, detail={"via": "api"})
    token.delete()


@transaction.atomic
def sign_in_web(request: HttpRequest, *, user: User, password: str, ip: str, otp_verified: bool) -> bytes | None:
    """Start a web session. Returns the vault secret for the caller to set as a cookie (clinicians only)."""
    clear_failures(user.username, ip)
    login(request, user)
    if otp_verified:
        device = confirmed_device(user)
        if device is not None:
            otp_login(request, device)
    record("confide.sign_in.succeeded", actor=user, ip=ip, detail={"via": "web"})
    opened = open_web_key_session(user=user, password=password)
    if opened is None:
        return None
    ref, secret = opened
    request.session[VAULT_REF] = ref
    return secret


def open_web_key_session(*, user: User, password: str) -> tuple[str, bytes] | None:
    """A clinician's vault key for a web session: wrapped under a fresh secret that only the browser's cookie holds.
    Returns (reference, secret), or None for roles with no vault."""
    if user.role != Role.CLINICIAN:
        return None
    secret = secrets.token_bytes(32)
    ref = f"web:{secrets.token_urlsafe(16)}"
    vault.open_key_session(
        user=user,
        password=password,
        session_ref=ref,
        client_secret=secret,
        expires_at=timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE),
    )
    return ref, secret


def sign_out(request: HttpRequest, *, reason: str = "user") -> None:
    user = request.user
    ref = request.session.get(VAULT_REF)
    with transaction.atomic():
        if ref:
            vault.close_key_session(session_ref=str(ref))
        if user.is_authenticated:
            record("confide.sign_out", actor=user, detail={"reason": reason})
    logout(request)


# --- MFA enrollment --------------------------------------------------------------------------------------------------
# API: the password step issues a token marked pending_mfa and returns its secret as the enrollment token; confirming
# a device activates that same token. The vault key was unwrapped at the password step, so nothing needs it again.

ENROLLMENT_MINUTES = 10


def _pending_token(enrollment_token: str) -> ApiToken:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(enrollment_token), pending_mfa=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None:
        raise Unauthorized("the enrollment token is unknown or expired", "enrollment_invalid")
    return token


def new_device(user: User) -> TOTPDevice:
    """Create (or replace) the user's unconfirmed TOTP device."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    record("confide.mfa.enrollment_started", actor=user, object_type="user", object_id=user.pk)
    return device


def confirm_new_device(user: User, otp: str) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise NotFound("start enrollment first", "enrollment_not_started")
    if not otp or not device.verify_token(otp.strip()):
        record("confide.mfa.confirm_failed", actor=user, outcome="failed")
        raise Unauthorized("the one-time code is wrong", "otp_invalid")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record("confide.mfa.enrolled", actor=user, object_type="user", object_id=user.pk)


@transaction.atomic
def enroll_device(*, enrollment_token: str) -> str:
    """Return the otpauth:// URI for a fresh device, for the authenticator app."""
    token = _pending_token(enrollment_token)
    return str(new_device(token.user).config_url)


@transaction.atomic
def confirm_device(*, enrollment_token: str, otp: str) -> IssuedToken:
    token = _pending_token(enrollment_token)
    confirm_new_device(token.user, otp)
    token.pending_mfa = False
    token.expires_at = timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    token.save(update_fields=["pending_mfa", "expires_at"])
    record("confide.sign_in.succeeded", actor=token.user, detail={"via": "api", "enrolled": True})
    return IssuedToken(token=enrollment_token, expires_at=token.expires_at, user=token.user)


def totp_now(device: TOTPDevice) -> str:
    """The current code for a device (the demo and tests use it; a person reads their authenticator app)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


# --- Deactivation ----------------------------------------------------------------------------------------------------


@transaction.atomic
def set_active(*, actor: User, user: User, active: bool, ip: str = "") -> User:
    """Deactivate someone who has left (or reactivate them). Deactivation also ends their API tokens, deletes their
    web sessions from the session store and closes every vault key session they hold, so nothing they hold keeps
    working and reactivation brings none of it back: they sign in afresh."""
    require(actor, "user.manage")
    if not active and user.pk == actor.pk:
        # Keeps at least one administrator able to sign in, and stops a slip of the mouse locking oneself out.
        raise RuleViolation("you cannot deactivate yourself; ask another administrator", "cannot_deactivate_self")
    if user.is_active == active:
        raise RuleViolation(f"{user.display_name} is already {'active' if active else 'inactive'}", "no_change")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if active:
        record("confide.user.reactivated", actor=actor, object_type="user", object_id=user.pk, ip=ip)
        return user
    ended = _end_other_credentials(user, keep_session_key=None)
    vault.close_key_sessions(user_id=user.pk)  # and any key session no token or web session points at any more
    record("confide.user.deactivated", actor=actor, object_type="user", object_id=user.pk, ip=ip, detail=ended)
    return user
