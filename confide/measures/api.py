"""Measures over the JSON API: record a client's answers, list them with the change since baseline, make a one-time
link for the client to answer. The rules are confide/measures/services.py's."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field, StrictInt

from confide.access import allows
from confide.api.auth import acting_user
from confide.api.schemas import ERRORS, In, IsoDate, ObjectId, StrictStr, bounded
from confide.clients.services import visible_client
from confide.measures import scoring, services
from confide.measures.models import Measure

router = Router(tags=["measures"])


class MeasureIn(In):
    instrument: Annotated[StrictStr, bounded(10, required=True)]
    answers: Annotated[list[StrictInt], Field(max_length=100)]
    administered_on: IsoDate | None = None


class AlertOut(Schema):
    code: str
    detail: str
    risk: bool


class ChangeOut(Schema):
    baseline: int
    current: int
    delta: int
    reliable: bool
    direction: str
    response: bool
    remission: bool
    sentence: str


class MeasureOut(Schema):
    id: int
    client_id: int
    instrument: str
    administered_on: date
    cpt: str
    # Scored content: null for a reader who sees only that a measure was given (billers).
    answers: list[int] | None
    score: int | None
    severity: str | None
    alerts: list[AlertOut] | None
    change_from_baseline: ChangeOut | None
    entered_by_id: int | None
    by_client: bool
    acknowledged_by_note_id: int | None


def measure_out(m: Measure, change: scoring.Change | None, *, full: bool = True) -> dict[str, Any]:
    return {
        "id": m.pk,
        "client_id": m.client_id,
        "instrument": m.instrument,
        "administered_on": m.administered_on,
        "cpt": scoring.instrument(m.instrument).cpt,
        "answers": list(m.answers) if full else None,
        "score": m.score if full else None,
        "severity": m.severity if full else None,
        "alerts": list(m.alerts) if full else None,
        "change_from_baseline": _change(change) if full else None,
        "entered_by_id": m.entered_by_id if full else None,
        "by_client": m.request_id is not None,
        "acknowledged_by_note_id": m.acknowledged_by_id if full else None,
    }


def _change(change: scoring.Change | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "baseline": change.baseline,
        "current": change.current,
        "delta": change.delta,
        "reliable": change.reliable,
        "direction": change.direction,
        "response": change.response,
        "remission": change.remission,
        "sentence": change.sentence,
    }


@router.post("/clients/{client_id}/measures", response={201: MeasureOut} | ERRORS)
@allows("measure.record")
def record_measure(request: HttpRequest, client_id: ObjectId, payload: MeasureIn) -> Status[Any]:
    from django.utils import timezone

    user = acting_user(request)
    client = visible_client(user, client_id)
    measure = services.record_measure(
        actor=user,
        client=client,
        instrument=payload.instrument,
        answers=payload.answers,
        administered_on=payload.administered_on or timezone.localdate(),
    )
    earlier = list(Measure.objects.filter(client=client, instrument=measure.instrument))
    change = dict(services.with_change(earlier)).get(measure)
    return Status(201, measure_out(measure, change))


@router.get("/clients/{client_id}/measures", response={200: list[MeasureOut]} | ERRORS)
@allows("measure.list")
def list_measures(request: HttpRequest, client_id: ObjectId) -> list[dict[str, Any]]:
    user = acting_user(request)
    views = services.list_measures(actor=user, client=visible_client(user, client_id))
    return [measure_out(v.measure, v.change, full=v.full) for v in views]


class MeasureRequestIn(In):
    instrument: Annotated[StrictStr, bounded(10, required=True)]


class MeasureRequestOut(Schema):
    id: int
    instrument: str
    url: str
    expires_at: datetime


@router.post("/clients/{client_id}/measure-requests", response={201: MeasureRequestOut} | ERRORS)
@allows("measure.request")
def create_request(request: HttpRequest, client_id: ObjectId, payload: MeasureRequestIn) -> Status[Any]:
    user = acting_user(request)
    req, token = services.create_request(
        actor=user, client=visible_client(user, client_id), instrument=payload.instrument
    )
    url = request.build_absolute_uri(reverse("web:measure_link", kwargs={"token": token}))
    return Status(201, {"id": req.pk, "instrument": req.instrument, "url": url, "expires_at": req.expires_at})
