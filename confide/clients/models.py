"""Clients, their care team, their outside contacts, consents, and break-the-glass access."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

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
    # Why the client left (set with discharged_on, cleared on readmission; earlier episodes keep theirs in Episode).
    discharge_reason = models.CharField(max_length=500, blank=True)
    # Periodic progress summaries: "monthly", "quarterly" or "" (none); see confide/summaries.
    summary_schedule = models.CharField(
        max_length=10, blank=True, choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")]
    )
    # The names folded for the front desk's search (confide/lib/names.py): "obrien" finds O'Brien, "jose" José, on
    # SQLite and PostgreSQL alike. Derived, never typed: save() keeps it in step with the names.
    search_name = models.CharField(max_length=400, blank=True, editable=False)
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

    SEARCHED_NAMES = ("first_name", "last_name", "preferred_name")

    def save(self, *args: Any, **kwargs: Any) -> None:
        from confide.lib.names import search_key

        # Folding can lengthen a name ("ß" is "ss"): cut to the column, as a search word is at most 100 characters.
        self.search_name = search_key(" ".join(getattr(self, f) or "" for f in self.SEARCHED_NAMES))[:400]
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) & set(self.SEARCHED_NAMES):
            kwargs["update_fields"] = {*fields, "search_name"}
        super().save(*args, **kwargs)

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


class Episode(models.Model):
    """An earlier episode of care, closed by a discharge and kept when the client is readmitted (the current one lives
    on Client: admitted_on, discharged_on, discharge_reason)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="episodes")
    admitted_on = models.DateField()
    discharged_on = models.DateField()
    discharge_reason = models.CharField(max_length=500, blank=True)
    readmitted_on = models.DateField()
    readmitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["-admitted_on", "-pk"]

    def __str__(self) -> str:
        return f"episode {self.pk} of client {self.client_id}"


class ChangeKind(models.TextChoices):
    EDITED = "edited", "Details corrected"
    DISCHARGED = "discharged", "Discharged"
    READMITTED = "readmitted", "Readmitted"


# How the change history names the fields it records.
FIELD_LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
    "pronouns": "Pronouns",
    "phone": "Phone",
    "email": "Email",
    "address": "Address",
    "summary_schedule": "Progress summaries",
    "admitted_on": "Admitted on",
    "discharged_on": "Discharged on",
    "discharge_reason": "Reason for discharge",
}


class ClientChange(models.Model):
    """One correction of a client's record, with the old and new value of each field it changed.

    The values live here, beside the chart, for the chart's readers; the audit entry of the same change names only
    the fields (confide.client.updated), because the audit log's administrators may not learn demographics."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=ChangeKind.choices, default=ChangeKind.EDITED)
    # [{"field": "phone", "old": "555-0100", "new": "555-0199"}, ...]: text as shown, dates as YYYY-MM-DD.
    fields = models.JSONField(default=list)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"change {self.pk} of client {self.client_id}"

    @property
    def rows(self) -> list[dict[str, str]]:
        """The fields changed, each with its label, old and new value, for the history page."""
        return [{"label": FIELD_LABELS.get(row["field"], row["field"]), **row} for row in self.fields]
