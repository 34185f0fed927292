"""Clients, their care team, their outside contacts, consents, and break-the-glass access."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from confide.people.models import Role, User

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class ClientQuerySet(models.QuerySet["Client"]):
    def visible_to(self, user: User) -> ClientQuerySet:
        """The clients whose chart `user` may open at all (what they may see in it is the policy's other verbs)."""
        from confide.access.decide import scope

        return scope(user, Client, "client.read")  # type: ignore[return-value]

    def caseload_of(self, user: User) -> ClientQuerySet:
        """The clinician's own caseload: primary clinician or care-team member."""
        return self.filter(Q(primary_clinician=user) | Q(care_team__clinician=user)).distinct()

    def active(self) -> ClientQuerySet:
        return self.filter(discharged_on__isnull=True)


def caseload_q(user: User) -> Q:
    """Clients a clinician may open: every relation the access policy grants `chart.open` through."""
    from confide.access.policy import rule
    from confide.access.relations import CLIENT_RELATIONS, relation_q

    granted = rule("chart.open").relations_for(Role.CLINICIAN)
    condition = Q(pk__in=[])
    for rel in CLIENT_RELATIONS:
        if rel in granted:
            condition |= relation_q(rel, user)
    return condition


class Client(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    pronouns = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    primary_clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="primary_clients")
    # 42 CFR Part 2: records from a substance-use-disorder program carry a redisclosure notice on export.
    part2 = models.BooleanField(default=False)
    # A legal hold overrides destruction under the retention policy (docs/vault.md, "Retention").
    legal_hold = models.BooleanField(default=False)
    admitted_on = models.DateField(default=date.today)
    discharged_on = models.DateField(null=True, blank=True)
    # Periodic progress summaries: "monthly", "quarterly" or "" (none); see confide/summaries.
    summary_schedule = models.CharField(
        max_length=10, blank=True, choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientQuerySet.as_manager()

    if TYPE_CHECKING:
        care_team: RelatedManager[CareTeamMember]
        contacts: RelatedManager[ExternalContact]

    class Meta:
        ordering: ClassVar = ["last_name", "first_name"]
        indexes: ClassVar = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"client {self.pk}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_active(self) -> bool:
        return self.discharged_on is None

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class CareTeamMember(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="care_team")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="care_team_memberships")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["client", "clinician"], name="care_team_unique")]

    def __str__(self) -> str:
        return f"care team {self.client_id}/{self.clinician_id}"


class ContactKind(models.TextChoices):
    PRIMARY_CARE = "primary_care", "Primary care"
    PSYCHIATRIST = "psychiatrist", "Psychiatrist"
    PAYER = "payer", "Payer"
    EMERGENCY = "emergency", "Emergency contact"
    OTHER = "other", "Other"


class ExternalContact(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    name = models.CharField(max_length=200)
    organization = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    member_id = models.CharField(max_length=60, blank=True, help_text="payer member id")

    def __str__(self) -> str:
        return f"{self.kind} contact of client {self.client_id}"


class BreakGlassAccess(models.Model):
    """A clinician opened a chart outside the caseload, with a reason, for a limited time. Never opens the vault."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="break_glass")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass")
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"break-glass {self.pk}"


class ConsentKind(models.TextChoices):
    SESSION_TRANSCRIPTION = "session_transcription", "Session recording and transcription"


class Consent(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=40, choices=ConsentKind.choices)
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"consent {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
