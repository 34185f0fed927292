"""The append-only audit log. Each entry's MAC covers its fields and the previous entry's MAC (a keyed chain).

Entries are only ever added, through `confide.audit.services.record`. The ORM refuses to update or delete them
(below), and on PostgreSQL so does the database itself (migration 0002's triggers).
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove an audit entry."""


class Outcome(models.TextChoices):
    OK = "ok", "OK"
    DENIED = "denied", "Denied"
    FAILED = "failed", "Failed"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")

    def for_client(self, client_id: int) -> AuditQuerySet:
        return self.filter(client_id=client_id)

    def under(self, prefix: str) -> AuditQuerySet:
        """Actions under a dotted prefix: "confide.progress_note" matches confide.progress_note.signed, not
        confide.progress_notes.x."""
        prefix = prefix.rstrip(".")
        return self.filter(models.Q(action=prefix) | models.Q(action__startswith=f"{prefix}."))


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    action = models.CharField(max_length=80, help_text="dotted code, e.g. confide.progress_note.signed")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    client_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    # Ids, codes and reasons only: never note text (docs/architecture.md).
    detail = models.JSONField(default=dict, blank=True)
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["seq"]
        indexes: ClassVar = [
            models.Index(fields=["client_id", "at"]),
            models.Index(fields=["action"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"audit #{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit entries cannot be deleted")
