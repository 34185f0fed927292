"""Psychotherapy notes over the JSON API (docs/api.md, "Psychotherapy notes"). HTTP only: every rule is in services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from confide.access import allows
from confide.api.auth import acting_user, vault_credential
from confide.api.schemas import ERRORS, IdRef, In, ObjectId, StrictStr, bounded, column
from confide.vault import services
from confide.vault.boundary import boundary_warnings
from confide.vault.models import NoteRecipient

router = Router(tags=["psychotherapy notes"])


class PsychotherapyNoteIn(In):
    body: Annotated[StrictStr, bounded(100_000, required=True)]  # stored encrypted: no column length to follow


class GrantIn(In):
    user_id: IdRef
    purpose: Annotated[StrictStr, column(NoteRecipient, "purpose")] = "supervised_training"


class BoundaryWarningOut(Schema):
    code: str
    message: str
    excerpt: str = ""


class PsychotherapyNoteCreated(Schema):
    id: str
    warnings: list[BoundaryWarningOut]


class GrantOut(Schema):
    user_id: int
    purpose: str
    granted_at: datetime


class PsychotherapyNoteSummaryOut(Schema):
    id: str
    author_id: int
    session_id: int
    client_id: int
    session_date: date
    version: int
    created_at: datetime
    is_author: bool


class PsychotherapyNoteOut(PsychotherapyNoteSummaryOut):
    body: str
    grants: list[GrantOut]
    warnings: list[BoundaryWarningOut]


@router.post(
    "/sessions/{session_id}/psychotherapy-notes",
    response={201: PsychotherapyNoteCreated} | ERRORS,
)
@allows("vault.note.write")
def create_psychotherapy_note(request: HttpRequest, session_id: ObjectId, payload: PsychotherapyNoteIn) -> Status[Any]:
    note_id, warnings = services.write_note(
        actor=acting_user(request), credential=vault_credential(request), session=session_id, body=payload.body
    )
    return Status(201, {"id": note_id, "warnings": warnings})


@router.get("/psychotherapy-notes", response={200: list[PsychotherapyNoteSummaryOut]} | ERRORS)
@allows("vault.note.list")
def list_psychotherapy_notes(request: HttpRequest) -> list[services.NoteSummary]:
    return services.list_notes(actor=acting_user(request), credential=vault_credential(request))


@router.get("/psychotherapy-notes/{note_id}", response={200: PsychotherapyNoteOut} | ERRORS)
@allows("vault.note.read")
def get_psychotherapy_note(request: HttpRequest, note_id: str) -> dict[str, object]:
    note = services.read_note(actor=acting_user(request), credential=vault_credential(request), note_id=note_id)
    return {
        "id": note.id,
        "author_id": note.author_id,
        "session_id": note.session_id,
        "client_id": note.client_id,
        "session_date": note.session_date,
        "version": note.version,
        "created_at": note.created_at,
        "is_author": note.is_author,
        "body": note.body,
        "grants": [{"user_id": g.grantee_id, "purpose": g.purpose, "granted_at": g.granted_at} for g in note.grants],
        "warnings": boundary_warnings(note.body) if note.is_author else [],
    }


@router.post("/psychotherapy-notes/{note_id}/grants", response={201: GrantOut} | ERRORS)
@allows("vault.grant")
def grant_psychotherapy_note(request: HttpRequest, note_id: str, payload: GrantIn) -> Status[Any]:
    granted = services.grant(
        actor=acting_user(request),
        credential=vault_credential(request),
        note_id=note_id,
        grantee_id=payload.user_id,
        purpose=payload.purpose,
    )
    return Status(201, {"user_id": granted.grantee_id, "purpose": granted.purpose, "granted_at": granted.granted_at})


@router.delete(
    "/psychotherapy-notes/{note_id}/grants/{user_id}",
    response={204: None} | ERRORS,
)
@allows("vault.grant")
def revoke_psychotherapy_note_grant(request: HttpRequest, note_id: str, user_id: ObjectId) -> Status[Any]:
    services.revoke(actor=acting_user(request), note_id=note_id, grantee_id=user_id)
    return Status(204, None)
