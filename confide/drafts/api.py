"""POST /sessions/{id}/drafts (docs/api.md, "Drafting")."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from confide.access import allows
from confide.api.auth import acting_user
from confide.api.schemas import ERRORS, In, ObjectId, StrictStr, bounded
from confide.drafts.services import draft_for_session
from confide.sessions.services import visible_session

router = Router(tags=["drafting"])


class DraftIn(In):
    # A 50-minute session is about 7,000 words (~40 KB); 1 MB leaves room for long sessions and stays bounded.
    transcript: StrictStr = Field(min_length=1, max_length=1_000_000)
    transcript_format: Annotated[StrictStr, bounded(10)] = "vtt"
    note_format: Annotated[StrictStr, bounded(10)] = "SOAP"


class EvidencedSentence(Schema):
    text: str
    evidence: list[str]


class DraftedNote(Schema):
    format: str
    sections: dict[str, list[EvidencedSentence]]


class DraftOut(Schema):
    progress_note: DraftedNote
    private_draft: list[EvidencedSentence]
    risk_flags: list[dict[str, Any]]
    utterances: list[dict[str, Any]]
    engine: str | None = None
    engine_version: str | None = None
    # Proposed structured fields (risk levels, interventions, measure scores said aloud, mental status), each with
    # its evidence; the clinician confirms them, the draft never applies them.
    proposed: dict[str, Any] = {}


@router.post("/sessions/{session_id}/drafts", response={201: DraftOut} | ERRORS)
@allows("note.draft")
def create_draft(request: HttpRequest, session_id: ObjectId, payload: DraftIn) -> Status[Any]:
    user = acting_user(request)
    session = visible_session(user, session_id)
    return Status(201, draft_for_session(actor=user, session=session, **payload.dict()))
