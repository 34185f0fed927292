"""Drafting for a session: checks consent and authorship, runs the offline engine, audits — and keeps nothing.

The transcript is never stored: it arrives, the draft goes back, and both are gone (keeping it until the note is signed
would be allowed; not keeping it at all is the stricter choice). The audit entry carries ids and counts only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from confide.audit.services import record
from confide.clients.services import has_transcription_consent
from confide.drafting import ENGINE_NAME, ENGINE_VERSION, ParseError, draft
from confide.drafting.limits import DraftTimedOut, Limits, TranscriptTooLong
from confide.lib.errors import Forbidden, RuleViolation
from confide.notes.formats import formats
from confide.notes.models import NoteStatus, ProgressNote
from confide.notes.services import edit_note, start_note
from confide.people.models import User
from confide.sessions.models import TherapySession

TRANSCRIPT_FORMATS = ("vtt", "srt", "text", "points", "auto")


@transaction.atomic
def draft_for_session(
    *, actor: User, session: TherapySession, transcript: str, transcript_format: str, note_format: str
) -> dict[str, Any]:
    if session.clinician_id != actor.pk:
        raise Forbidden("only the session's clinician drafts its note")
    if note_format not in formats():
        raise RuleViolation(f"note_format must be one of {', '.join(formats())}", "invalid_format")
    if transcript_format not in TRANSCRIPT_FORMATS:
        raise RuleViolation(f"transcript_format must be one of {', '.join(TRANSCRIPT_FORMATS)}", "invalid_format")
    if transcript_format != "points" and not has_transcription_consent(session.client):
        raise RuleViolation(
            "the client has no recorded consent to session transcription; record it first", "consent_missing"
        )
    limits = Limits(max_words=settings.DRAFT_MAX_WORDS, max_seconds=settings.DRAFT_MAX_SECONDS)
    try:
        result = draft(
            transcript,
            transcript_format,  # type: ignore[arg-type]
            note_format,
            clinician_name=session.clinician.full_name,
            client_name=session.client.name,
            limits=limits,
        )
    except ParseError as error:
        raise RuleViolation(f"the transcript cannot be read: {error}", "transcript_malformed") from error
    except (TranscriptTooLong, DraftTimedOut) as error:
        # 422 with its own code, never a worker killed at the server's timeout (docs/api.md, "Drafting").
        raise RuleViolation(str(error), error.code) from error
    body = result.to_dict()
    record(
        "confide.draft.created",
        actor=actor,
        client_id=session.client_id,
        object_type="session",
        object_id=session.pk,
        detail={
            "engine": ENGINE_NAME,
            "engine_version": ENGINE_VERSION,
            "note_format": note_format,
            "utterances": len(body.get("utterances", [])),
            "risk_flags": len(body.get("risk_flags", [])),
        },
    )
    return body


def _merged(existing: str, drafted: str) -> str:
    """A section the clinician already wrote keeps their words first; the accepted draft follows."""
    existing, drafted = existing.strip(), drafted.strip()
    if existing and drafted:
        return f"{existing}\n\n{drafted}"
    return existing or drafted


@transaction.atomic
def accept_draft(
    *,
    actor: User,
    session: TherapySession,
    note_format: str,
    sections: dict[str, str],
    drafted_with: dict[str, str],
    risk: dict[str, Any] | None = None,
    mental_status: dict[str, str] | None = None,
    interventions: list[str] | None = None,
) -> ProgressNote:
    """Use a (clinician-edited) draft: start the session's progress note from it, or fill the author's open draft.
    `risk`, `mental_status` and `interventions` are the proposals the clinician confirmed; on an open draft they
    are added to what it holds (a confirmed risk domain replaces that domain). The note records that it was drafted
    with assistance; it is never signed here."""
    open_draft = (
        ProgressNote.objects.filter(session=session, author=actor, status=NoteStatus.DRAFT)
        .order_by("-created_at")
        .first()
    )
    if open_draft is None:
        return start_note(
            actor=actor,
            session=session,
            format=note_format,
            sections=sections,
            drafted_with=drafted_with,
            risk=risk or None,
            mental_status=mental_status or None,
            interventions=interventions or None,
        )
    if open_draft.format != note_format:
        raise RuleViolation(
            f"your open draft for this session is a {open_draft.format} note; draft again in {open_draft.format}",
            "format_mismatch",
        )
    merged = {name: _merged(open_draft.sections.get(name, ""), text) for name, text in sections.items()}
    return edit_note(
        actor=actor,
        note=open_draft,
        sections=merged,
        drafted_with=drafted_with,
        risk={**open_draft.risk, **risk} if risk else None,
        mental_status={**open_draft.mental_status, **mental_status} if mental_status else None,
        interventions=list(dict.fromkeys([*open_draft.interventions, *interventions])) if interventions else None,
    )
