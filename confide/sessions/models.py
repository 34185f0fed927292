"""Therapy sessions: when they happened, what service, where, who came, and the codes that follow."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.db import models
from django.db.models import Exists, OuterRef, Q

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
