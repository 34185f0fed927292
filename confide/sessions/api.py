"""Sessions over the JSON API: dates, times, service and codes (what billers and the front desk also see)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from confide.access import allows, record_read, role_may
from confide.api.auth import acting_user
from confide.api.schemas import ERRORS, IdRef, In, IsoDateTime, ObjectId, StrictBool, StrictStr, bounded, column
from confide.clients.services import visible_client
from confide.sessions import services
from confide.sessions.models import TherapySession

router = Router(tags=["sessions"])


class SessionIn(In):
    clinician_id: IdRef
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    service: Annotated[StrictStr, column(TherapySession, "service")]
    setting: Annotated[StrictStr, column(TherapySession, "setting")]
    status: Annotated[StrictStr, column(TherapySession, "status")] = "kept"
    # A JSON column: the web form's bounds (ten names, from 500 characters in all).
    participants: Annotated[list[Annotated[StrictStr, bounded(200)]], Field(max_length=10)] = []
    # The video room: an https:// address of at most 500 characters (services._check_link: 422 invalid_link).
    telehealth_link: Annotated[StrictStr, column(TherapySession, "telehealth_link")] = ""
    # Omitted: a record of what happened, not checked for overlaps. false: a double booking is refused (409
    # overlap); true: booked anyway and marked confirmed (docs/calendar.md).
    confirm_overlap: StrictBool | None = None


class SessionOut(Schema):
    id: int
    client_id: int
    clinician_id: int
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    service: str
    setting: str
    status: str
    participants: list[str]
    cpt_codes: list[str]
    cpt_flag: str
    place_of_service: str
    telehealth_link: str
    cancel_reason: str
    series_id: int | None
    overlap_confirmed: bool

    @staticmethod
    def resolve_telehealth_link(obj: TherapySession, context: dict[str, Any]) -> str:
        # The video room is for those who run the session (clinicians, the front desk), not billing.
        request = context.get("request")
        user = acting_user(request) if request is not None else None
        return obj.telehealth_link if role_may(user, "session.attendance") else ""


@router.post("/clients/{client_id}/sessions", response={201: SessionOut} | ERRORS)
@allows("session.schedule")
def create_session(request: HttpRequest, client_id: ObjectId, payload: SessionIn) -> Status[Any]:
    user = acting_user(request)
    client = visible_client(user, client_id)
    return Status(201, services.schedule_session(actor=user, client=client, **payload.dict()))


@router.get("/clients/{client_id}/sessions", response={200: list[SessionOut]} | ERRORS)
@allows("session.list")
def list_sessions(request: HttpRequest, client_id: ObjectId) -> list[TherapySession]:
    user = acting_user(request)
    client = visible_client(user, client_id)
    sessions = list(TherapySession.objects.visible_to(user).filter(client=client)[:1000])
    record_read(user, "session.list", client, detail={"count": len(sessions)})
    return sessions


@router.get("/sessions/{session_id}", response={200: SessionOut} | ERRORS)
@allows("session.read")
def get_session(request: HttpRequest, session_id: ObjectId) -> TherapySession:
    user = acting_user(request)
    session = services.visible_session(user, session_id)
    record_read(user, "session.read", session)
    return session
