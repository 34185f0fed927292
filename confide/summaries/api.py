"""Periodic progress summaries over the JSON API: what is due, draft one, read, edit while draft, sign."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from confide.access import allows
from confide.api.auth import acting_user
from confide.api.schemas import ERRORS, In, IsoDate, ObjectId, StrictStr, bounded, column
from confide.clients.services import visible_client
from confide.notes.models import CosignReview
from confide.summaries import services
from confide.summaries.models import Summary

router = Router(tags=["summaries"])


class Evidence(Schema):
    kind: str  # progress_note | measure | session | plan | diagnosis
    id: int


class SentenceOut(Schema):
    text: str
    evidence: list[Evidence]


class AddendumOut(Schema):
    id: int
    summary_id: int
    author_id: int
    text: str
    created_at: datetime
    content_hash: str


class AddendumIn(In):
    text: Annotated[StrictStr, bounded(20_000, required=True)]


class SummaryOut(Schema):
    id: int
    client_id: int
    author_id: int
    period_start: date
    period_end: date
    due_on: date | None
    status: str
    sections: dict[str, list[SentenceOut]]
    text: dict[str, str]
    content_hash: str
    signed_at: datetime | None
    signed_by_id: int | None
    cosigned_at: datetime | None
    cosigned_by_id: int | None
    late_entry: bool
    created_at: datetime
    addenda: list[AddendumOut]
    return_comment: str  # the supervisor's comment when they returned it to draft; "" once signed again
    cosign_attestation: str  # what the supervisor attested with the co-signature, or ""

    @staticmethod
    def resolve_cosign_attestation(obj: Summary) -> str:
        from confide.notes.supervision import summary_attestation

        return summary_attestation(obj.pk) if obj.cosigned_at else ""

    @staticmethod
    def resolve_addenda(obj: Summary) -> list[Any]:
        return list(obj.addenda.all())

    @staticmethod
    def resolve_sections(obj: Summary) -> dict[str, list[dict[str, Any]]]:
        return services.sections_out(obj)

    @staticmethod
    def resolve_text(obj: Summary) -> dict[str, str]:
        return dict(obj.sections)


class SummaryIn(In):
    period_start: IsoDate
    period_end: IsoDate


class SummaryPatch(In):
    sections: Annotated[
        dict[Annotated[StrictStr, bounded(40)], Annotated[StrictStr, bounded(50_000)]], Field(max_length=20)
    ]


class SummaryCosignIn(In):
    # Optional, as for a note: the statement the supervisor attests (the web's review step sends COSIGN_ATTESTATION).
    attestation: Annotated[StrictStr, column(CosignReview, "attestation")] = ""


class SummaryReturnIn(In):
    comment: Annotated[StrictStr, bounded(services.RETURN_COMMENT_MAX, required=True)]


class DueOut(Schema):
    client_id: int
    client_name: str
    period_start: date
    period_end: date
    due_on: date
    overdue: bool
    summary_id: int | None


@router.get("/summaries/due", response={200: list[DueOut]} | ERRORS)
@allows("summary.due")
def due(request: HttpRequest) -> list[services.Due]:
    return services.due_for(acting_user(request), timezone.localdate())


@router.post("/clients/{client_id}/summaries", response={201: SummaryOut} | ERRORS)
@allows("summary.write")
def create_summary(request: HttpRequest, client_id: ObjectId, payload: SummaryIn) -> Status[Any]:
    user = acting_user(request)
    made = services.create_summary(
        actor=user,
        client=visible_client(user, client_id),
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, made)


@router.get("/clients/{client_id}/summaries", response={200: list[SummaryOut]} | ERRORS)
@allows("summary.read")
def list_summaries(request: HttpRequest, client_id: ObjectId) -> list[Summary]:
    user = acting_user(request)
    return services.list_summaries(actor=user, client=visible_client(user, client_id))


@router.get("/summaries/{summary_id}", response={200: SummaryOut} | ERRORS)
@allows("summary.read")
def get_summary(request: HttpRequest, summary_id: ObjectId) -> Summary:
    return services.visible_summary(acting_user(request), summary_id)


@router.patch("/summaries/{summary_id}", response={200: SummaryOut} | ERRORS)
@allows("summary.edit")
def edit_summary(request: HttpRequest, summary_id: ObjectId, payload: SummaryPatch) -> Summary:
    return services.edit_summary(actor=acting_user(request), summary_id=summary_id, sections=payload.sections)


@router.post("/summaries/{summary_id}/sign", response={200: SummaryOut} | ERRORS)
@allows("summary.sign")
def sign_summary(request: HttpRequest, summary_id: ObjectId) -> Summary:
    return services.sign_summary(actor=acting_user(request), summary_id=summary_id)


@router.post("/summaries/{summary_id}/cosign", response={200: SummaryOut} | ERRORS)
@allows("summary.cosign")
def cosign_summary(request: HttpRequest, summary_id: ObjectId, payload: SummaryCosignIn | None = None) -> Summary:
    attestation = payload.attestation if payload else ""
    return services.cosign_summary(actor=acting_user(request), summary_id=summary_id, attestation=attestation)


@router.post("/summaries/{summary_id}/return", response={200: SummaryOut} | ERRORS)
@allows("summary.cosign")
def return_summary(request: HttpRequest, summary_id: ObjectId, payload: SummaryReturnIn) -> Summary:
    return services.return_summary(actor=acting_user(request), summary_id=summary_id, comment=payload.comment)


@router.post("/summaries/{summary_id}/addenda", response={201: AddendumOut} | ERRORS)
@allows("summary.addend")
def add_addendum(request: HttpRequest, summary_id: ObjectId, payload: AddendumIn) -> Status[Any]:
    return Status(201, services.add_addendum(actor=acting_user(request), summary_id=summary_id, text=payload.text))
