"""Amendment requests over the JSON API (164.526): log, extend, accept or deny, the client's disagreement, the
practice's rebuttal. The rules are in confide/amendments/services.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from confide.access import allows
from confide.amendments import services
from confide.amendments.models import AmendmentRequest, AmendmentStatement, DenialBasis
from confide.api.auth import acting_user
from confide.api.schemas import ERRORS, IdRef, In, IsoDate, ObjectId, StrictStr, bounded
from confide.clients.services import visible_client

router = Router(tags=["amendments"])

Text = Annotated[StrictStr, bounded(services.MAX_TEXT, required=True)]


class AmendmentOut(Schema):
    id: int
    client_id: int
    progress_note_id: int
    received_on: date
    requested_change: str
    due_on: date
    extended_on: date | None
    extension_reason: str
    status: str
    decided_on: date | None
    decided_by_id: int | None
    amendment_text: str
    denial_basis: str
    denial_explanation: str
    disagreement: str | None
    rebuttal: str | None
    recorded_by_id: int
    recorded_at: datetime

    @staticmethod
    def resolve_disagreement(obj: AmendmentRequest) -> str | None:
        return services.statements_of(obj).get("disagreement")

    @staticmethod
    def resolve_rebuttal(obj: AmendmentRequest) -> str | None:
        return services.statements_of(obj).get("rebuttal")


class StatementOut(Schema):
    id: int
    request_id: int
    kind: str
    text: str
    recorded_by_id: int
    recorded_at: datetime


class AmendmentRequestIn(In):
    received_on: IsoDate
    progress_note_id: IdRef
    requested_change: Text


class AmendmentExtendIn(In):
    reason: Annotated[StrictStr, bounded(1000, required=True)]


class AmendmentAcceptIn(In):
    amendment_text: Text


class AmendmentDenyIn(In):
    basis: Literal[tuple(DenialBasis.values)]  # type: ignore[valid-type]
    explanation: Text


class AmendmentStatementIn(In):
    text: Text


@router.post("/clients/{client_id}/amendment-requests", response={201: AmendmentOut} | ERRORS)
@allows("amendment.request")
def create_request(request: HttpRequest, client_id: ObjectId, payload: AmendmentRequestIn) -> Status[Any]:
    user = acting_user(request)
    req = services.request_amendment(
        actor=user,
        client=visible_client(user, client_id),
        progress_note_id=payload.progress_note_id,
        received_on=payload.received_on,
        requested_change=payload.requested_change,
    )
    return Status(201, req)


@router.get("/clients/{client_id}/amendment-requests", response={200: list[AmendmentOut]} | ERRORS)
@allows("amendment.list")
def list_requests(request: HttpRequest, client_id: ObjectId) -> list[AmendmentRequest]:
    user = acting_user(request)
    return services.list_requests(actor=user, client=visible_client(user, client_id))


@router.post("/amendment-requests/{request_id}/extend", response={200: AmendmentOut} | ERRORS)
@allows("amendment.decide")
def extend(request: HttpRequest, request_id: ObjectId, payload: AmendmentExtendIn) -> AmendmentRequest:
    return services.extend(actor=acting_user(request), request_id=request_id, reason=payload.reason)


@router.post("/amendment-requests/{request_id}/accept", response={200: AmendmentOut} | ERRORS)
@allows("amendment.decide")
def accept(request: HttpRequest, request_id: ObjectId, payload: AmendmentAcceptIn) -> AmendmentRequest:
    return services.accept(actor=acting_user(request), request_id=request_id, amendment_text=payload.amendment_text)


@router.post("/amendment-requests/{request_id}/deny", response={200: AmendmentOut} | ERRORS)
@allows("amendment.decide")
def deny(request: HttpRequest, request_id: ObjectId, payload: AmendmentDenyIn) -> AmendmentRequest:
    return services.deny(
        actor=acting_user(request), request_id=request_id, basis=payload.basis, explanation=payload.explanation
    )


@router.post("/amendment-requests/{request_id}/disagreement", response={201: StatementOut} | ERRORS)
@allows("amendment.request")
def disagreement(
    request: HttpRequest, request_id: ObjectId, payload: AmendmentStatementIn
) -> Status[AmendmentStatement]:
    return Status(201, services.add_disagreement(actor=acting_user(request), request_id=request_id, text=payload.text))


@router.post("/amendment-requests/{request_id}/rebuttal", response={201: StatementOut} | ERRORS)
@allows("amendment.decide")
def rebuttal(request: HttpRequest, request_id: ObjectId, payload: AmendmentStatementIn) -> Status[AmendmentStatement]:
    return Status(201, services.add_rebuttal(actor=acting_user(request), request_id=request_id, text=payload.text))
