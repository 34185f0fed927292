"""New accounts by invitation: the new member sets their own first password, then enrols MFA, through a one-time link.

An administrator who sets a new clinician's password can sign in as that clinician, enrol the authenticator
themselves, add the account to a care team and read charts. An invitation takes that away: the account is created
with no usable password and the link's owner chooses one. The link works once, expires after INVITATION_HOURS, and
only the hash of its token is stored (a copy of the database holds no working link). Inviting someone again
replaces their earlier link.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from confide.access import require
from confide.audit.services import record
from confide.lib.errors import NotFound, RuleViolation
from confide.people.models import Invitation, User, hash_token
from confide.people.services import check_new_password, create_user


@dataclass(frozen=True)
class Invited:
    user: User
    token: str  # goes into the link, once; never stored
    expires_at: datetime


def invite_user(
    *,
    actor: User,
    username: str,
    full_name: str,
    role: str,
    credentials: str = "",
    supervisor_id: int | None = None,
) -> Invited:
    """Create the account without a password and issue its link."""
    with transaction.atomic():
        user = create_user(
            actor=actor,
            username=username,
            password=None,
            full_name=full_name,
            role=role,
            credentials=credentials,
            supervisor_id=supervisor_id,
        )
        return issue_invitation(actor=actor, user=user)


@transaction.atomic
def issue_invitation(*, actor: User, user: User) -> Invited:
    """A fresh link for someone who has not set a password yet (the earlier link, if any, stops working)."""
    require(actor, "user.manage")
    if user.has_usable_password():
        raise RuleViolation("this person has set a password already", "already_accepted")
    secret = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(hours=settings.INVITATION_HOURS)
    Invitation.objects.filter(user=user, used_at__isnull=True).delete()
    Invitation.objects.create(user=user, key_hash=hash_token(secret), invited_by=actor, expires_at=expires_at)
    record(
        "confide.user.invited",
        actor=actor,
        object_type="user",
        object_id=user.pk,
        detail={"role": user.role, "expires_at": expires_at.isoformat()},
    )
    return Invited(user=user, token=secret, expires_at=expires_at)


def open_invitation(token: str) -> Invitation | None:
    """The live invitation for a link's token: unused, unexpired, for an active account still without a password."""
    invitation = (
        Invitation.objects.select_related("user")
        .filter(key_hash=hash_token(token), used_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if invitation is None or invitation.user.has_usable_password():
        return None
    return invitation


def refuse(ip: str, why: str) -> NotFound:
    """Log a dead or unknown link (its own transaction, so the caller's rollback keeps it) and say only that."""
    with transaction.atomic():
        record("confide.user.invitation_refused", actor=None, outcome="denied", ip=ip, detail={"why": why})
    return NotFound(
        "this invitation link is not valid any more; ask your administrator for a new one", "invitation_invalid"
    )


def accept_invitation(*, token: str, password: str, ip: str = "") -> User:
    """Set the first password. The link is spent here, whatever happens next (MFA enrollment follows at sign-in)."""
    invitation = open_invitation(token)
    if invitation is None:
        raise refuse(ip, "unknown, used or expired")
    user = invitation.user
    check_new_password(password, user)
    with transaction.atomic():
        # One statement decides who spends the link: of two racing submissions, one wins and the other is refused.
        spent = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now())
        if spent == 1:
            user.set_password(password)
            user.save(update_fields=["password"])
            record("confide.user.invitation_accepted", actor=user, object_type="user", object_id=user.pk, ip=ip)
    if spent != 1:
        raise refuse(ip, "used")
    # The vault key pair is made at the sign-in that follows (it needs the password, which exists only now).
    return user
