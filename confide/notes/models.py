"""Progress notes, the official record: draft -> signed (locked, hashed) -> addenda only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models import Q

from confide.clients.models import Client
from confide.notes import audit_actions  # noqa: F401  (declares the editor's audit codes)
from confide.people.models import User
from confide.plans.models import Objective
from confide.sessions.models import TherapySession

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_COSIGN = "awaiting_cosign", "Awaiting co-signature"
    SIGNED = "signed", "Signed"


RISK_LEVELS = ("none", "low", "moderate", "high")
RISK_DOMAINS = ("suicidal_ideation", "homicidal_ideation", "self_harm")
MENTAL_STATUS_DOMAINS = (
    "appearance",
    "behavior",
    "attitude",
    "speech",
    "mood",
    "affect",
    "thought_process",
    "thought_content",
    "perception",
    "cognition",
    "insight",
    "judgment",
)


class ProgressNoteQuerySet(models.QuerySet["ProgressNote"]):
    def visible_to(self, user: User) -> ProgressNoteQuerySet:
        """Notes whose narrative `user` may read: clinicians on the caseload (or supervising it, or by break-glass).

        Billers and front desk never get narrative rows from here; billing views use `billing_view_for`.
        """
        from confide.access.decide import scope

        return scope(user, ProgressNote, "note.list", to_client="client")  # type: ignore[return-value]

    def unsigned(self) -> ProgressNoteQuerySet:
        return self.exclude(status=NoteStatus.SIGNED)

    def awaiting_cosign_by(self, supervisor: User) -> ProgressNoteQuerySet:
        return self.filter(status=NoteStatus.AWAITING_COSIGN, author__supervisor=supervisor)

    def by_author(self, user: User) -> ProgressNoteQuerySet:
        return self.filter(Q(author=user))


class ProgressNote(models.Model):
    session = models.ForeignKey(TherapySession, on_delete=models.PROTECT, related_name="progress_notes")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="progress_notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="progress_notes")
    format = models.CharField(max_length=10)
    sections = models.JSONField(default=dict)
    risk = models.JSONField(default=dict, blank=True)
    mental_status = models.JSONField(default=dict, blank=True)
    interventions = models.JSONField(default=list, blank=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="progress_notes")
    status = models.CharField(max_length=20, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    content_hash = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The statement the supervisor attested with the co-signature ("I have reviewed this note and agree ...").
    cosign_attestation = models.CharField(max_length=300, blank=True)
    return_comment = models.TextField(blank=True)
    late_entry = models.BooleanField(default=False)
    drafted_with = models.JSONField(null=True, blank=True, help_text="engine and version when drafted with help")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgressNoteQuerySet.as_manager()

    if TYPE_CHECKING:
        addenda: RelatedManager[Addendum]

    class Meta:
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [
            models.Index(fields=["client", "created_at"]),
            models.Index(fields=["author", "status"]),
        ]

    def __str__(self) -> str:
        return f"progress note {self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.status != NoteStatus.DRAFT

    def signed_content(self, objective_ids: list[int] | None = None) -> dict[str, Any]:
        """Everything the signature covers; hashed at signing so any later change is detectable."""
        if objective_ids is None:
            objective_ids = sorted(o.pk for o in self.objectives.all())
        return {
            "id": self.pk,
            "session_id": self.session_id,
            "client_id": self.client_id,
            "author_id": self.author_id,
            "format": self.format,
            "sections": self.sections,
            "risk": self.risk,
            "mental_status": self.mental_status,
            "interventions": self.interventions,
            "objective_ids": objective_ids,
        }


class Addendum(models.Model):
    note = models.ForeignKey(ProgressNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering: ClassVar = ["created_at"]

    def __str__(self) -> str:
        return f"addendum {self.pk}"


class ReviewKind(models.TextChoices):
    PROGRESS_NOTE = "progress_note", "Progress note"
    SUMMARY = "summary", "Periodic summary"


class CosignReview(models.Model):
    """A supervisor opened a signed record awaiting co-signature in the queue's review step.

    The batch co-signature reads these rows, never a form field, to know which records were reviewed: a row counts
    only for the content it was opened with (`content_hash`) and only if opened after the latest signing. For a
    summary, whose model has no attestation column, the row also keeps the attestation given with the co-signature.
    """

    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    object_id = models.PositiveBigIntegerField()
    content_hash = models.CharField(max_length=64)
    opened_at = models.DateTimeField()
    attestation = models.CharField(max_length=300, blank=True)
    cosigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["supervisor", "kind", "object_id"])]

    def __str__(self) -> str:
        return f"co-signature review {self.pk}"
