"""Diagnoses and treatment-plan versions: one door each, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from confide.access import require
from confide.audit.services import record
from confide.clients.models import Client
from confide.lib.errors import RuleViolation
from confide.people.models import User
from confide.plans import icd10
from confide.plans.models import Diagnosis, Goal, Objective, ObjectiveStatus, PlanStatus, Problem, TreatmentPlan


@transaction.atomic
def add_diagnosis(*, actor: User, client: Client, code: str, diagnosed_on: date, is_primary: bool = False) -> Diagnosis:
    require(actor, "diagnosis.add", client)
    if not icd10.is_billable(code):
        raise RuleViolation(f"{code!r} is not a billable ICD-10-CM code", "invalid_icd10")
    if is_primary:
        client.diagnoses.filter(is_primary=True).update(is_primary=False)
    diagnosis = Diagnosis.objects.create(
        client=client,
        code=icd10.dotted(code),
        description=icd10.describe(code),
        is_primary=is_primary,
        diagnosed_on=diagnosed_on,
        recorded_by=actor,
    )
    record(
        "confide.diagnosis.added",
        actor=actor,
        client_id=client.pk,
        object_type="diagnosis",
        object_id=diagnosis.pk,
        detail={"code": diagnosis.code},
    )
    return diagnosis


@transaction.atomic
def revise_plan(
    *,
    actor: User,
    client: Client,
    review_on: date,
    problems: list[dict[str, Any]],
    client_signed_on: date | None = None,
) -> TreatmentPlan:
    """Write a new version of the plan. `problems`: [{description, goals: [{description, measure?,
    objectives: [{description, target_on, status?}]}]}]. Earlier versions stay, marked superseded."""
    require(actor, "plan.revise", client)
    if not problems:
        raise RuleViolation("a plan needs at least one problem", "plan_empty")
    latest = client.treatment_plans.order_by("-version").first()
    client.treatment_plans.filter(status=PlanStatus.CURRENT).update(status=PlanStatus.SUPERSEDED)
    plan = TreatmentPlan.objects.create(
        client=client,
        version=(latest.version + 1) if latest else 1,
        created_by=actor,
        review_on=review_on,
        client_signed_on=client_signed_on,
    )
    for problem_spec in problems:
        problem = Problem.objects.create(plan=plan, description=str(problem_spec["description"]))
        for goal_spec in problem_spec.get("goals", []):
            goal = Goal.objects.create(
                problem=problem, description=str(goal_spec["description"]), measure=str(goal_spec.get("measure", ""))
            )
            for objective_spec in goal_spec.get("objectives", []):
                status = objective_spec.get("status", ObjectiveStatus.NOT_STARTED)
                if status not in ObjectiveStatus.values:
                    raise RuleViolation(f"objective status {status!r} is unknown", "invalid_status")
                Objective.objects.create(
                    goal=goal,
                    description=str(objective_spec["description"]),
                    target_on=objective_spec["target_on"],
                    status=status,
                )
    record(
        "confide.treatment_plan.revised",
        actor=actor,
        client_id=client.pk,
        object_type="treatment_plan",
        object_id=plan.pk,
        detail={"version": plan.version},
    )
    return plan


def current_plan(client: Client) -> TreatmentPlan | None:
    return (
        TreatmentPlan.objects.filter(client=client, status=PlanStatus.CURRENT)
        .prefetch_related("problems__goals__objectives")
        .first()
    )
