"""The people of a practice: who they are, their role, their supervisor, and how they sign in."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    CLINICIAN = "clinician", "Clinician"
    BILLER = "biller", "Biller"
    FRONT_DESK = "front_desk", "Front desk"


class User(AbstractUser):
    """A member of the practice. `supervisor` makes this clinician a supervisee whose notes need co-signature."""

    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices)
    credentials = models.CharField(max_length=60, blank=True, help_text="e.g. LCSW, PhD, LMFT")
    supervisor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="supervisees")

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name", "role"]

    class Meta:
        ordering: ClassVar = ["full_name"]

    def __str__(self) -> str:
        return self.username

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def display_name(self) -> str:
        return self.display_name_of(self.full_name, self.username, self.credentials)

    @staticmethod
    def display_name_of(full_name: str, username: str, credentials: str) -> str:
        """ "Maria Rivera, LCSW": for rows read as plain values (the chart's timeline) as well as for instances."""
        name = full_name or username
        return f"{name}, {credentials}" if credentials else name

    @property
    def needs_cosign(self) -> bool:
        return self.is_clinician and self.supervisor_id is not None


def hash_token(secret: str) -> str:
    # Tokens are 256-bit random: a fast hash suffices (no dictionary to attack), and lookups stay O(1).
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. The server keeps only its hash; the vault key wrapped under it lives in the vault."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Issued at the password step to a user who must still enroll MFA: unusable until the device is confirmed.
    pending_mfa = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"token {self.pk} of user {self.user_id}"


class ThrottleScope(models.TextChoices):
    PAIR = "pair", "username at one address"
    USERNAME = "username", "username from any address"
    ADDRESS = "address", "address, for any username"


class SignInThrottle(models.Model):
    """Failed sign-ins counted three ways (confide/people/throttle.py). A row only ever delays; it never locks for good.

    `key` is the lower-cased username, the address, or both joined by a space (usernames hold no spaces)."""

    scope = models.CharField(max_length=10, choices=ThrottleScope.choices)
    key = models.CharField(max_length=220)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["scope", "key"], name="throttle_scope_key")]

    def __str__(self) -> str:
        return f"throttle {self.scope} {self.key}"


class Invitation(models.Model):
    """A one-time link for a new member to set their own first password and enrol MFA.

    Only the hash of the link's token is kept (like ApiToken), so a copy of the database holds no working link. The
    person who invites never knows the password: that is what stops an administrator creating a clinician and
    signing in as it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    key_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation {self.pk} of user {self.user_id}"


class UserChange(models.Model):
    """An administrator's change to a member's name, role, credentials or supervisor, with old and new values (the
    user page's history). The audit entry of the same change (confide.user.updated) names the fields."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="changes")
    # [{"field": "role", "old": "Clinician", "new": "Biller"}, ...]: values as the user page shows them.
    fields = models.JSONField(default=list)
    changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"change {self.pk} of user {self.user_id}"

    @property
    def rows(self) -> list[dict[str, str]]:
        labels = {"full_name": "Full name", "role": "Role", "credentials": "Credentials", "supervisor": "Supervisor"}
        return [{"label": labels.get(row["field"], row["field"]), **row} for row in self.fields]
