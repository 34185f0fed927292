"""Diagnoses and treatment plans over the JSON API (clinicians write; billers read diagnoses)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from confide.access import allows, record_read
from confide.api.auth import acting_user
from confide.api.schemas import ERRORS, In, IsoDate, ObjectId, StrictBool, StrictStr, bounded, column
from confide.clients.services import require_clinical_access, visible_client
from confide.lib.errors import NotFound
from confide.plans import services
from confide.plans.models import Diagnosis, Goal, Objective, Problem, TreatmentPlan

router = Router(tags=["diagnoses and plans"])


class DiagnosisIn(In):
    code: Annotated[StrictStr, column(Diagnosis, "code", required=True)]
    diagnosed_on: IsoDate
    is_primary: StrictBool = False


class DiagnosisOut(Schema):
    id: int
    client_id: int
    code: str
    description: str
    is_primary: bool
    diagnosed_on: date
    resolved_on: date | None


@router.post("/clients/{client_id}/diagnoses", response={201: DiagnosisOut} | ERRORS)
@allows("diagnosis.add")
def add_diagnosis(request: HttpRequest, client_id: ObjectId, payload: DiagnosisIn) -> Status[Any]:
    user = acting_user(request)
    client = visible_client(user, client_id)
    require_clinical_access(user, client)
    return Status(201, services.add_diagnosis(actor=user, client=client, **payload.dict()))


@router.get("/clients/{client_id}/diagnoses", response={200: list[DiagnosisOut]} | ERRORS)
@allows("diagnosis.list")
def list_diagnoses(request: HttpRequest, client_id: ObjectId) -> list[Diagnosis]:
    user = acting_user(request)  # the role gate (@allows) has refused everyone but clinicians and billers
    client = visible_client(user, client_id)
    record_read(user, "diagnosis.list", client)
    return list(client.diagnoses.all())


class ObjectiveIn(In):
    description: Annotated[StrictStr, bounded(2000, required=True)]  # the web plan form's bound
    target_on: IsoDate
    status: Annotated[StrictStr, column(Objective, "status")] = "not_started"


class GoalIn(In):
    description: Annotated[StrictStr, bounded(2000, required=True)]
    measure: Annotated[StrictStr, column(Goal, "measure")] = ""
    objectives: Annotated[list[ObjectiveIn], Field(max_length=50)] = []


class ProblemIn(In):
    description: Annotated[StrictStr, bounded(2000, required=True)]
    goals: Annotated[list[GoalIn], Field(max_length=20)] = []


class PlanIn(In):
    review_on: IsoDate
    client_signed_on: IsoDate | None = None
    problems: Annotated[list[ProblemIn], Field(max_length=20)]


class ObjectiveOut(Schema):
    id: int
    description: str
    target_on: date
    status: str


class GoalOut(Schema):
    id: int
    description: str
    measure: str
    objectives: list[ObjectiveOut]

    @staticmethod
    def resolve_objectives(obj: Goal) -> list[Objective]:
        return list(obj.objectives.all())


class ProblemOut(Schema):
    id: int
    description: str
    goals: list[GoalOut]

    @staticmethod
    def resolve_goals(obj: Problem) -> list[Goal]:
        return list(obj.goals.all())


class PlanOut(Schema):
    id: int
    client_id: int
    version: int
    status: str
    review_on: date
    client_signed_on: date | None
    problems: list[ProblemOut]

    @staticmethod
    def resolve_problems(obj: TreatmentPlan) -> list[object]:
        return list(obj.problems.all())


@router.post("/clients/{client_id}/treatment-plans", response={201: PlanOut} | ERRORS)
@allows("plan.revise")
def revise_plan(request: HttpRequest, client_id: ObjectId, payload: PlanIn) -> Status[Any]:
    user = acting_user(request)
    client = visible_client(user, client_id)
    require_clinical_access(user, client)
    data = payload.dict()
    return Status(201, services.revise_plan(actor=user, client=client, **data))


@router.get("/clients/{client_id}/treatment-plan", response={200: PlanOut} | ERRORS)
@allows("plan.read")
def current_plan(request: HttpRequest, client_id: ObjectId) -> TreatmentPlan:
    user = acting_user(request)
    client = visible_client(user, client_id)
    require_clinical_access(user, client)
    plan = services.current_plan(client)
    if plan is None:
        raise NotFound("this client has no treatment plan yet")
    record_read(user, "plan.read", plan)
    return plan


__all__ = ["StrictStr", "router"]
