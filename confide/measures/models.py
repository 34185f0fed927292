"""Standardized measures a client answers (PHQ-9, GAD-7, PCL-5), and the one-time links they answer them through.

The instruments themselves are data (confide/measures/instruments/*.toml, read by scoring.py); a row here keeps
the answers as given, the total and band they scored at the time, and any alert they raised. A risk alert (PHQ-9
item 9 above 0) stays open until a signed progress note acknowledges it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from confide.clients.models import Client
from confide.notes.models import ProgressNote
from confide.people.models import User


class MeasureRequest(models.Model):
    """A link the client opens without an account to answer one instrument: used once, then gone."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="measure_requests")
    instrument = models.CharField(max_length=10)
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the token; the token is never stored
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"measure request {self.pk}"


class Measure(models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="measures")
    instrument = models.CharField(max_length=10)
    answers = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField()
    severity = models.CharField(max_length=60)
    alerts = models.JSONField(default=list, blank=True)  # [{code, detail, risk}]
    administered_on = models.DateField()
    entered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    request = models.OneToOneField(
        MeasureRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="measure"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        ProgressNote, null=True, blank=True, on_delete=models.PROTECT, related_name="acknowledged_measures"
    )

    class Meta:
        ordering: ClassVar = ["administered_on", "pk"]
        indexes: ClassVar = [models.Index(fields=["client", "instrument", "administered_on"])]

    def __str__(self) -> str:
        return f"measure {self.pk}"

    @property
    def risk_alerts(self) -> list[dict[str, Any]]:
        return [a for a in self.alerts if a.get("risk")]

    @property
    def open_risk_alert(self) -> bool:
        return bool(self.risk_alerts) and self.acknowledged_by_id is None
