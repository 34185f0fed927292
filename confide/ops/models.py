"""What remains of a client's official record after its destruction under the retention policy (docs/operations.md).

A tombstone says that a chart existed and was destroyed, when, by whom and under which policy, with a count per
category of what was destroyed: no name, no date of birth, no clinical content.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from confide.ops import audit_actions  # noqa: F401  (declares the ops audit codes)


class Tombstone(models.Model):
    client_id = models.BigIntegerField(unique=True, help_text="the destroyed chart's id (no foreign key)")
    counts = models.JSONField(default=dict, help_text="rows destroyed per category: progress_notes, sessions, ...")
    policy = models.JSONField(default=dict, help_text="the retention settings and the rule that made it due")
    last_service = models.DateField()
    due_on = models.DateField()
    destroyed_at = models.DateTimeField()
    destroyed_by = models.CharField(max_length=150, help_text="the Confide account or the operator's system account")

    class Meta:
        ordering: ClassVar = ["destroyed_at", "client_id"]

    def __str__(self) -> str:
        return f"tombstone of client {self.client_id}"
