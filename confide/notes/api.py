"""Progress notes over the JSON API: the official record's lifecycle."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from confide.access import allows, record_read
from confide.amendments.api import AmendmentOut
from confide.api.auth import acting_user, client_ip
from confide.api.schemas import ERRORS, IdRef, In, ObjectId, StrictStr, bounded, column
from confide.clients.services import require_clinical_access, visible_client
from confide.notes import services
from confide.notes.models import Addendum, ProgressNote
from confide.people.models import User
from confide.sessions.services import visible_session

router = Router(tags=["progress notes"])


# The same bounds as the web editor (confide/web/forms.py): the JSON columns have no length of their own.
_Key = Annotated[StrictStr, bounded(40)]
Sections = Annotated[dict[_Key, Annotated[StrictStr, bounded(50_000)]], Field(max_length=20)]
Risk = Annotated[dict[_Key, Any], Field(max_length=10)]
MentalStatus = Annotated[dict[_Key, Annotated[StrictStr, bounded(2000)]], Field(max_length=20)]
Interventions = Annotated[list[Annotated[StrictStr, bounded(500)]], Field(max_length=50)]


class NoteIn(In):
    format: Annotated[StrictStr, column(ProgressNote, "format")]
    sections: Sections
    risk: Risk | None = None
    mental_status: MentalStatus | None = None
    objective_ids: Annotated[list[IdRef], Field(max_length=100)] | None = None
    interventions: Interventions | None = None


class NotePatch(In):
    sections: Sections | None = None
    risk: Risk | None = None
    mental_status: MentalStatus | None = None
    objective_ids: Annotated[list[IdRef], Field(max_length=100)] | None = None
    interventions: Interventions | None = None


class AddendumOut(Schema):
    id: int
    note_id: int
    author_id: int
    text: str
    created_at: datetime
    content_hash: str


class NoteOut(Schema):
    id: int
    session_id: int
    client_id: int
    author_id: int
    format: str
    sections: dict[str, str]
    risk: dict[str, Any]
    mental_status: dict[str, str]
    interventions: list[str]
    objective_ids: list[int]
    status: str
    content_hash: str
    signed_at: datetime | None
    signed_by_id: int | None
    cosigned_at: datetime | None
    cosigned_by_id: int | None
    cosign_attestation: str
    return_comment: str
    late_entry: bool
    drafted_with: dict[str, Any] | None
    addenda: list[AddendumOut]
    amendments: list[AmendmentOut]  # 164.526 requests on this note and what answered them; the note never changes

    @staticmethod
    def resolve_amendments(obj: ProgressNote) -> list[Any]:
        return list(obj.amendment_requests.all())

    @staticmethod
    def resolve_objective_ids(obj: ProgressNote) -> list[int]:
        return sorted(o.pk for o in obj.objectives.all())

    @staticmethod
    def resolve_addenda(obj: ProgressNote) -> list[Addendum]:
        return list(obj.addenda.all())


class CommentIn(In):
    comment: Annotated[StrictStr, bounded(5000, required=True)]


class AddendumIn(In):
    text: Annotated[StrictStr, bounded(20_000, required=True)]


def _note(request: HttpRequest, note_id: ObjectId) -> tuple[User, ProgressNote]:
    user = acting_user(request)  # billers and front desk never get here: the policy gives them no note verb
    return user, services.readable_note(user, note_id)


@router.post("/sessions/{session_id}/progress-notes", response={201: NoteOut} | ERRORS)
@allows("note.write")
def create_note(request: HttpRequest, session_id: ObjectId, payload: NoteIn) -> Status[Any]:
    user = acting_user(request)
    session = visible_session(user, session_id)
    return Status(201, services.start_note(actor=user, session=session, **payload.dict()))


@router.get("/progress-notes/{note_id}", response={200: NoteOut} | ERRORS)
@allows("note.read")
def get_note(request: HttpRequest, note_id: ObjectId) -> ProgressNote:
    user, note = _note(request, note_id)
    services.audit_read(actor=user, note=note, ip=client_ip(request))
    return note


@router.get("/clients/{client_id}/progress-notes", response={200: list[NoteOut]} | ERRORS)
@allows("note.list")
def list_notes(request: HttpRequest, client_id: ObjectId) -> list[ProgressNote]:
    user = acting_user(request)
    client = visible_client(user, client_id)
    require_clinical_access(user, client)
    notes = list(
        ProgressNote.objects.visible_to(user)
        .filter(client=client)
        .prefetch_related("objectives", "addenda", "amendment_requests__statements")
        .order_by("-created_at")[:200]
    )
    record_read(user, "note.list", client, ip=client_ip(request), detail={"note_ids": [n.pk for n in notes]})
    return notes


@router.patch("/progress-notes/{note_id}", response={200: NoteOut} | ERRORS)
@allows("note.write")
def patch_note(request: HttpRequest, note_id: ObjectId, payload: NotePatch) -> ProgressNote:
    user, note = _note(request, note_id)
    return services.edit_note(actor=user, note=note, **payload.dict(exclude_unset=True))


@router.post("/progress-notes/{note_id}/sign", response={200: NoteOut} | ERRORS)
@allows("note.sign")
def sign(request: HttpRequest, note_id: ObjectId) -> ProgressNote:
    user, note = _note(request, note_id)
    return services.sign_note(actor=user, note=note)


class CosignIn(In):
    # Optional: the statement the supervisor attests with the co-signature (the web queue's is COSIGN_ATTESTATION).
    attestation: Annotated[StrictStr, column(ProgressNote, "cosign_attestation")] = ""


@router.post("/progress-notes/{note_id}/cosign", response={200: NoteOut} | ERRORS)
@allows("note.cosign")
def cosign(request: HttpRequest, note_id: ObjectId, payload: CosignIn | None = None) -> ProgressNote:
    user, note = _note(request, note_id)
    return services.cosign_note(actor=user, note=note, attestation=payload.attestation if payload else "")


@router.post("/progress-notes/{note_id}/return", response={200: NoteOut} | ERRORS)
@allows("note.cosign")
def return_note(request: HttpRequest, note_id: ObjectId, payload: CommentIn) -> ProgressNote:
    user, note = _note(request, note_id)
    return services.return_note(actor=user, note=note, comment=payload.comment)


@router.post("/progress-notes/{note_id}/addenda", response={201: AddendumOut} | ERRORS)
@allows("note.addend")
def add_addendum(request: HttpRequest, note_id: ObjectId, payload: AddendumIn) -> Status[Any]:
    user, note = _note(request, note_id)
    return Status(201, services.add_addendum(actor=user, note=note, text=payload.text))
