"""Periodic progress summaries: a client's course over a span, drafted from the official record, then reviewed,
edited and signed like a progress note (content hash, co-signature for a supervisee, late mark past its due date).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from confide.clients.models import Client
from confide.notes.models import NoteStatus
from confide.people.models import User
from confide.summaries import audit_actions  # noqa: F401  (declares the summaries' further audit codes)


class Summary(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="summaries")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="summaries")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    # name -> text, as the clinician edits and signs it
    sections = models.JSONField(default=dict)
    # name -> [{text, evidence: [{kind, id}]}], as drafted: the words each sentence rests on
    drafted = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    content_hash = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    late_entry = models.BooleanField(default=False)
    # The supervisor's comment when they returned it to its author as a draft; cleared when it is signed again.
    return_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["period_start", "pk"]
        indexes: ClassVar = [models.Index(fields=["client", "period_start", "period_end"])]

    def __str__(self) -> str:
        return f"summary {self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.status != NoteStatus.DRAFT

    def signed_content(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "client_id": self.client_id,
            "author_id": self.author_id,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "sections": self.sections,
        }


class SummaryAddendum(models.Model):
    """A signed summary never changes; corrections and late information are addenda, each hashed."""

    summary = models.ForeignKey(Summary, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"summary addendum {self.pk}"
