"""Therapy sessions: when they happened, what service, where, who came, and the codes that follow."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import ClassVar

from django.db import models
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions.cpt import NOT_HELD


class Service(models.TextChoices):
    INTAKE = "intake", "Intake / diagnostic evaluation"
    INDIVIDUAL = "individual", "Individual psychotherapy"
    FAMILY_WITH_CLIENT = "family_with_client", "Family psychotherapy with client"
    FAMILY_WITHOUT_CLIENT = "family_without_client", "Family psychotherapy without client"
    GROUP = "group", "Group psychotherapy"
    CRISIS = "crisis", "Crisis psychotherapy"


class Setting(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    TELEHEALTH = "telehealth", "Telehealth"


class Status(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    KEPT = "kept", "Kept"
    NO_SHOW = "no_show", "No-show"
    CANCELLED = "cancelled", "Cancelled"


class SessionQuerySet(models.QuerySet["TherapySession"]):
    def visible_to(self, user: User) -> SessionQuerySet:
        """Sessions whose client `user` may see the sessions of (the policy's `session.list`)."""
        from confide.access.decide import scope

        return scope(user, TherapySession, "session.list", to_client="client")  # type: ignore[return-value]

    def on_day(self, day: object) -> SessionQuerySet:
        return self.filter(starts_at__date=day)

    def with_signed_note(self) -> SessionQuerySet:
        from confide.notes.models import NoteStatus, ProgressNote

        signed = ProgressNote.objects.filter(session=OuterRef("pk"), status=NoteStatus.SIGNED)
        return self.annotate(has_signed_note=Exists(signed))

    def billable(self) -> SessionQuerySet:
        return self.with_signed_note().filter(Q(status=Status.KEPT) & Q(has_signed_note=True))

    def booked(self) -> SessionQuerySet:
        """Sessions that hold their time: everything but a cancellation."""
        return self.exclude(status=Status.CANCELLED)

    def between(self, start: datetime, end: datetime) -> SessionQuerySet:
        """Sessions that overlap the half-open span [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def not_discharged(self, now: datetime) -> SessionQuerySet:
        """Leave out the future sessions of clients already discharged (Client.discharged_on on or before today): a
        calendar does not show them. Their past sessions stay: they are the record."""
        today = now.date()
        return self.exclude(client__discharged_on__lte=today, starts_at__gte=now)

    def with_overlap_flag(self) -> SessionQuerySet:
        """Annotate `double_booked`: another booked session overlaps this one for the same clinician or the same
        client. A cancelled session holds no time, so it is never flagged and never flags another."""
        clash = (
            TherapySession.objects.exclude(status=Status.CANCELLED)
            .exclude(pk=OuterRef("pk"))
            .filter(Q(clinician=OuterRef("clinician")) | Q(client=OuterRef("client")))
            .filter(starts_at__lt=OuterRef("ends_at"), ends_at__gt=OuterRef("starts_at"))
        )
        flag = Case(
            When(status=Status.CANCELLED, then=Value(False)), default=Exists(clash), output_field=BooleanField()
        )
        return self.annotate(double_booked=flag)


class Interval(models.IntegerChoices):
    WEEKLY = 1, "Every week"
    FORTNIGHTLY = 2, "Every other week"


class SessionSeries(models.Model):
    """A recurring booking: the rule it was made from. Its occurrences are ordinary sessions (`series` points here),
    made when the series is scheduled, so moving or skipping one occurrence touches no other (confide/sessions/
    recurrence.py)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="session_series")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="session_series")
    interval_weeks = models.PositiveSmallIntegerField(choices=Interval.choices, default=Interval.WEEKLY)
    first_day = models.DateField()
    count = models.PositiveSmallIntegerField(null=True, blank=True, help_text="how many occurrences, or null")
    until = models.DateField(null=True, blank=True, help_text="the last day an occurrence may fall on, or null")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session series {self.pk}"

    @property
    def describe(self) -> str:
        every = "every week" if self.interval_weeks == Interval.WEEKLY else "every other week"
        if self.count:
            return f"{every}, {self.count} times"
        return f"{every} until {self.until:%Y-%m-%d}" if self.until else every


class TherapySession(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sessions")
    clinician = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    service = models.CharField(max_length=30, choices=Service.choices)
    setting = models.CharField(max_length=20, choices=Setting.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.KEPT)
    participants = models.JSONField(default=list, blank=True, help_text="who attended besides the clinician")
    cpt_codes = models.JSONField(default=list, blank=True)
    cpt_flag = models.CharField(max_length=200, blank=True)
    # Where a telehealth session is held (the video room's address); shown to the session's own team only.
    telehealth_link = models.URLField(max_length=500, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    series = models.ForeignKey(
        SessionSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    # Booked over another session of the same clinician or client after the scheduler confirmed it.
    overlap_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-starts_at"]
        indexes: ClassVar = [
            models.Index(fields=["client", "starts_at"]),
            models.Index(fields=["clinician", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"session {self.pk}"

    @property
    def duration_minutes(self) -> int:
        return self.minutes_between(self.starts_at, self.ends_at)

    @staticmethod
    def minutes_between(starts_at: datetime, ends_at: datetime) -> int:
        return int((ends_at - starts_at).total_seconds() // 60)

    @property
    def cancelled_or_missed(self) -> bool:
        """A no-show or a cancellation: no service was rendered, so the session carries no codes (cpt.NOT_HELD)."""
        return self.status in NOT_HELD

    @property
    def is_billable(self) -> bool:
        """Kept and documented by a signed progress note: `billable()`'s rule, for one row already loaded.

        Rows from `with_signed_note()` answer from the annotation; any other row asks the database once.
        """
        if self.status != Status.KEPT:
            return False
        signed = getattr(self, "has_signed_note", None)
        if signed is None:
            from confide.notes.models import NoteStatus

            signed = self.progress_notes.filter(status=NoteStatus.SIGNED).exists()
        return self.billable_when(self.status, bool(signed))

    @staticmethod
    def billable_when(status: str, has_signed_note: bool) -> bool:
        """A session is billable once it was kept and its progress note is signed."""
        return status == Status.KEPT and has_signed_note

    @property
    def place_of_service(self) -> str:
        # Telehealth in the client's home is POS 10; elsewhere 02. Confide records the home case by default.
        return "10" if self.setting == Setting.TELEHEALTH else "11"


class CalendarFeed(models.Model):
    """A clinician's `.ics` feed address. Calendar apps cannot sign in, so the address carries an unguessable token.

    The token is an HMAC of a random nonce under a key derived from SECRET_KEY for this purpose alone, so it opens
    nothing but this feed, a copy of the database alone cannot rebuild it, and the clinician can see it again;
    lookups go by its SHA-256. Rotating draws a new nonce: the old address stops working at once."""

    clinician = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    nonce = models.CharField(max_length=64)
    token_sha256 = models.CharField(max_length=64, unique=True)
    rotated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar feed {self.pk}"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
