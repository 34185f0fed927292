"""Clients, care team, break-the-glass and consents over the JSON API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from confide.access import allows
from confide.api.auth import acting_user, client_ip
from confide.api.schemas import ERRORS, IdRef, In, IsoDate, ObjectId, StrictBool, StrictStr, bounded, column
from confide.audit.services import record
from confide.clients import services
from confide.clients.models import Client, Consent
from confide.lib.errors import RuleViolation

router = Router(tags=["clients"])


class ClientIn(In):
    first_name: Annotated[StrictStr, column(Client, "first_name", required=True)]
    last_name: Annotated[StrictStr, column(Client, "last_name", required=True)]
    date_of_birth: IsoDate
    primary_clinician_id: IdRef
    part2: StrictBool = False
    preferred_name: Annotated[StrictStr, column(Client, "preferred_name")] = ""
    pronouns: Annotated[StrictStr, column(Client, "pronouns")] = ""
    phone: Annotated[StrictStr, column(Client, "phone")] = ""
    email: Annotated[StrictStr, column(Client, "email")] = ""


class ClientOut(Schema):
    id: int
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    pronouns: str
    primary_clinician_id: int
    part2: bool
    active: bool
    summary_schedule: str | None
    admitted_on: date
    discharged_on: date | None
    discharge_reason: str

    @staticmethod
    def resolve_summary_schedule(obj: Client) -> str | None:
        return obj.summary_schedule or None

    @staticmethod
    def resolve_active(obj: Client) -> bool:
        return obj.is_active


@router.post("/clients", response={201: ClientOut} | ERRORS)
@allows("client.register")
def create_client(request: HttpRequest, payload: ClientIn) -> Status[Any]:
    return Status(201, services.register_client(actor=acting_user(request), **payload.dict()))


@router.get("/clients", response={200: list[ClientOut]} | ERRORS)
@allows("client.list")
def list_clients(request: HttpRequest) -> list[Client]:
    user = acting_user(request)
    clients = list(Client.objects.visible_to(user)[:500])
    record("confide.client.listed", actor=user, detail={"count": len(clients)})
    return clients


@router.get("/clients/{client_id}", response={200: ClientOut} | ERRORS)
@allows("client.read")
def get_client(request: HttpRequest, client_id: ObjectId) -> Client:
    user = acting_user(request)
    return services.open_chart(user, client_id, ip=client_ip(request))


class ClientPatch(In):
    first_name: Annotated[StrictStr, column(Client, "first_name")] | None = None
    last_name: Annotated[StrictStr, column(Client, "last_name")] | None = None
    preferred_name: Annotated[StrictStr, column(Client, "preferred_name")] | None = None
    date_of_birth: IsoDate | None = None
    pronouns: Annotated[StrictStr, column(Client, "pronouns")] | None = None
    phone: Annotated[StrictStr, column(Client, "phone")] | None = None
    email: Annotated[StrictStr, column(Client, "email")] | None = None
    address: Annotated[StrictStr, bounded(1000)] | None = None
    summary_schedule: Literal["monthly", "quarterly"] | None = None
    discharged_on: IsoDate | None = None
    discharge_reason: Annotated[StrictStr, column(Client, "discharge_reason")] | None = None
    readmitted_on: IsoDate | None = None


@router.patch("/clients/{client_id}", response={200: ClientOut} | ERRORS)
@allows("client.update")
def update_client(request: HttpRequest, client_id: ObjectId, payload: ClientPatch) -> Client:
    """Only the fields sent change; `summary_schedule: null` turns the schedule off; `discharged_on` with
    `discharge_reason` discharges, `discharged_on: null` readmits (as of `readmitted_on`, default today)."""
    user = acting_user(request)
    client = services.visible_client(user, client_id)
    changes = payload.model_dump(exclude_unset=True)
    if changes.get("readmitted_on", 0) is None:
        del changes["readmitted_on"]  # null: today, as if left out
    for name, value in changes.items():
        if value is None and name not in ("summary_schedule", "discharged_on"):
            raise RuleViolation(f"{name} may be left out, not sent as null", "invalid_value")
    return services.update_client(actor=user, client=client, changes=changes)


class CareTeamIn(In):
    clinician_id: IdRef


class CareTeamOut(Schema):
    client_id: int
    clinician_id: int


@router.post("/clients/{client_id}/care-team", response={201: CareTeamOut} | ERRORS)
@allows("care_team.add")
def add_care_team(request: HttpRequest, client_id: ObjectId, payload: CareTeamIn) -> Status[Any]:
    user = acting_user(request)
    client = services.visible_client(user, client_id)
    member = services.add_to_care_team(actor=user, client=client, clinician_id=payload.clinician_id)
    return Status(201, {"client_id": member.client_id, "clinician_id": member.clinician_id})


class BreakGlassIn(In):
    # One of emergency, coverage, continuity_of_care, other; free text alone counts as "other" (20+ characters).
    reason: Annotated[StrictStr, bounded(2000, required=True)]
    explanation: Annotated[StrictStr, bounded(2000)] = ""


class BreakGlassOut(Schema):
    id: int
    client_id: int
    expires_at: datetime


@router.post("/clients/{client_id}/break-glass", response={201: BreakGlassOut} | ERRORS)
@allows("break_glass.open")
def break_glass(request: HttpRequest, client_id: ObjectId, payload: BreakGlassIn) -> Status[Any]:
    access = services.break_glass(
        actor=acting_user(request),
        client_id=client_id,
        reason=payload.reason,
        explanation=payload.explanation,
        ip=client_ip(request),
    )
    return Status(201, access)


class ConsentIn(In):
    kind: Annotated[StrictStr, column(Consent, "kind")]
    signed_on: IsoDate


class ConsentOut(Schema):
    id: int
    client_id: int
    kind: str
    signed_on: date
    revoked_at: datetime | None


@router.post("/clients/{client_id}/consents", response={201: ConsentOut} | ERRORS)
@allows("consent.record")
def create_consent(request: HttpRequest, client_id: ObjectId, payload: ConsentIn) -> Status[Any]:
    user = acting_user(request)
    client = services.visible_client(user, client_id)
    return Status(
        201, services.record_consent(actor=user, client=client, kind=payload.kind, signed_on=payload.signed_on)
    )


@router.post("/consents/{consent_id}/revoke", response={200: ConsentOut} | ERRORS)
@allows("consent.record")
def revoke_consent(request: HttpRequest, consent_id: ObjectId) -> Consent:
    return services.revoke_consent(actor=acting_user(request), consent_id=consent_id)
