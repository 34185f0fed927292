"""A client's request to amend a progress note (45 CFR 164.526), and the statements that answer a denial.

The note itself never changes: an accepted amendment is linked to it, a denial keeps the client's statement of
disagreement and the practice's rebuttal beside it, and every later release of the note carries them all.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from confide.clients.models import Client
from confide.notes.models import ProgressNote
from confide.people.models import User


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DENIED = "denied", "Denied"


class DenialBasis(models.TextChoices):
    """The only grounds 164.526(a)(2) allows for denying an amendment."""

    NOT_CREATED_HERE = "not_created_here", "Not created by this practice (164.526(a)(2)(i))"
    NOT_IN_RECORD_SET = "not_in_record_set", "Not part of the designated record set (164.526(a)(2)(ii))"
    NOT_OPEN_TO_INSPECTION = (
        "not_open_to_inspection",
        "Not available for the client's inspection under 164.524 (164.526(a)(2)(iii))",
    )
    ACCURATE_AND_COMPLETE = "accurate_and_complete", "Accurate and complete as written (164.526(a)(2)(iv))"


class AmendmentRequest(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="amendment_requests")
    progress_note = models.ForeignKey(ProgressNote, on_delete=models.PROTECT, related_name="amendment_requests")
    received_on = models.DateField()
    requested_change = models.TextField()
    due_on = models.DateField()
    extended_on = models.DateField(null=True, blank=True)
    extension_reason = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amendment_text = models.TextField(blank=True)
    denial_basis = models.CharField(max_length=30, choices=DenialBasis.choices, blank=True)
    denial_explanation = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["received_on", "pk"]
        indexes: ClassVar = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"amendment request {self.pk}"

    @property
    def author_id(self) -> int:
        """The note's author: the access policy's AUTHOR relation for deciding the request."""
        return int(self.progress_note.author_id)

    def statement(self, kind: str) -> AmendmentStatement | None:
        return next((s for s in self.statements.all() if s.kind == kind), None)


class StatementKind(models.TextChoices):
    DISAGREEMENT = "disagreement", "The client's statement of disagreement (164.526(d)(1)(ii))"
    REBUTTAL = "rebuttal", "The practice's rebuttal (164.526(d)(3))"


class AmendmentStatement(models.Model):
    request = models.ForeignKey(AmendmentRequest, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField(max_length=20, choices=StatementKind.choices)
    text = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["recorded_at", "pk"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["request", "kind"], name="one_statement_of_each_kind")]

    def __str__(self) -> str:
        return f"{self.kind} on amendment request {self.request_id}"
