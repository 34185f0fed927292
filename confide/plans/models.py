"""Diagnoses (ICD-10-CM) and treatment plans with problems, measurable goals and objectives; versions kept."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.db import models

from confide.clients.models import Client
from confide.people.models import User

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Diagnosis(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="diagnoses")
    code = models.CharField(max_length=10, help_text="ICD-10-CM, dotted")
    description = models.CharField(max_length=300)
    is_primary = models.BooleanField(default=False)
    diagnosed_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering: ClassVar = ["-is_primary", "diagnosed_on"]

    def __str__(self) -> str:
        return self.code


class PlanStatus(models.TextChoices):
    CURRENT = "current", "Current"
    SUPERSEDED = "superseded", "Superseded"


class TreatmentPlan(models.Model):
    """One version of a client's plan. A revision is a new row; earlier versions stay, superseded."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="treatment_plans")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.CURRENT)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    review_on = models.DateField()
    client_signed_on = models.DateField(null=True, blank=True)

    if TYPE_CHECKING:
        problems: RelatedManager[Problem]

    class Meta:
        ordering: ClassVar = ["-version"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["client", "version"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"plan {self.client_id} v{self.version}"


class Problem(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="problems")
    description = models.TextField()

    if TYPE_CHECKING:
        goals: RelatedManager[Goal]

    def __str__(self) -> str:
        return f"problem {self.pk}"


class Goal(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField()
    measure = models.CharField(max_length=200, blank=True, help_text="how progress is measured, e.g. PHQ-9 < 10")

    if TYPE_CHECKING:
        objectives: RelatedManager[Objective]

    def __str__(self) -> str:
        return f"goal {self.pk}"


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    MET = "met", "Met"
    REVISED = "revised", "Revised"
    DISCONTINUED = "discontinued", "Discontinued"


class Objective(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")
    description = models.TextField()
    target_on = models.DateField()
    status = models.CharField(max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED)

    def __str__(self) -> str:
        return f"objective {self.pk}"
