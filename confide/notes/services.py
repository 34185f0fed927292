"""The progress note's lifecycle: draft -> signed (locked, hashed) -> addenda only; supervisees need co-signature."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from confide.access import record_read, require, role_may
from confide.audit.services import record
from confide.clients.caseload import can_open
from confide.clients.models import Client
from confide.lib.errors import Conflict, NotFound, RuleViolation
from confide.notes.formats import formats, get_format
from confide.notes.models import (
    MENTAL_STATUS_DOMAINS,
    RISK_DOMAINS,
    RISK_LEVELS,
    Addendum,
    CosignReview,
    NoteStatus,
    ProgressNote,
    ReviewKind,
)
from confide.people.models import User
from confide.plans.models import Objective
from confide.sessions.models import TherapySession

RISK_FLAGS = ("plan", "intent", "means")


def content_hash(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def clean_sections(note_format: str, sections: dict[str, str]) -> dict[str, str]:
    if note_format not in formats():
        raise RuleViolation(f"format must be one of {', '.join(formats())}", "invalid_format")
    allowed = get_format(note_format).section_names
    unknown = sorted(set(sections) - set(allowed))
    if unknown:
        raise RuleViolation(
            f"{note_format} has no section {', '.join(unknown)}; its sections are {', '.join(allowed)}",
            "unknown_section",
        )
    return {name: sections.get(name, "") for name in allowed}


def clean_risk(risk: dict[str, Any]) -> dict[str, Any]:
    """Risk as recorded: each domain a level with plan/intent/means, plus protective factors."""
    unknown = sorted(set(risk) - {*RISK_DOMAINS, "protective_factors", "actions", "acknowledged_alerts"})
    if unknown:
        raise RuleViolation(f"unknown risk field(s): {', '.join(unknown)}", "invalid_risk")
    cleaned: dict[str, Any] = {}
    for domain in RISK_DOMAINS:
        if domain not in risk:
            continue
        entry = risk[domain]
        if not isinstance(entry, dict) or entry.get("level") not in RISK_LEVELS:
            raise RuleViolation(f"{domain}.level must be one of {', '.join(RISK_LEVELS)}", "invalid_risk")
        extra = sorted(set(entry) - {"level", *RISK_FLAGS})
        if extra:
            raise RuleViolation(f"unknown {domain} field(s): {', '.join(extra)}", "invalid_risk")
        flags = {flag: entry.get(flag, False) for flag in RISK_FLAGS}
        if not all(isinstance(v, bool) for v in flags.values()):
            raise RuleViolation(f"{domain} plan, intent and means are true or false", "invalid_risk")
        cleaned[domain] = {"level": entry["level"], **flags}
    for text_field in ("protective_factors", "actions"):
        if text_field in risk:
            if not isinstance(risk[text_field], str):
                raise RuleViolation(f"{text_field} is text", "invalid_risk")
            cleaned[text_field] = risk[text_field]
    if "acknowledged_alerts" in risk:
        # The measures whose risk alert this assessment answers (PHQ-9 item 9): signing closes them.
        ids = risk["acknowledged_alerts"]
        if not isinstance(ids, list) or len(ids) > 50 or not all(type(i) is int and i > 0 for i in ids):
            raise RuleViolation("acknowledged_alerts is a list of measure ids", "invalid_risk")
        cleaned["acknowledged_alerts"] = sorted(set(ids))
    return cleaned


def clean_mental_status(mental_status: dict[str, Any]) -> dict[str, str]:
    unknown = sorted(set(mental_status) - set(MENTAL_STATUS_DOMAINS))
    if unknown:
        raise RuleViolation(f"unknown mental status domain(s): {', '.join(unknown)}", "invalid_mental_status")
    if not all(isinstance(v, str) for v in mental_status.values()):
        raise RuleViolation("mental status entries are text", "invalid_mental_status")
    return {k: v for k, v in mental_status.items() if v.strip()}


def _objectives(client: Client, objective_ids: list[int]) -> list[Objective]:
    found = list(Objective.objects.filter(pk__in=objective_ids, goal__problem__plan__client=client))
    if len(found) != len(set(objective_ids)):
        raise RuleViolation("an objective is not on this client's treatment plan", "invalid_objective")
    return found


def _audit(action: str, actor: User, note: ProgressNote, **detail: Any) -> None:
    record(
        f"confide.progress_note.{action}",
        actor=actor,
        client_id=note.client_id,
        object_type="progress_note",
        object_id=note.pk,
        detail=detail,
    )


@transaction.atomic
def start_note(
    *,
    actor: User,
    session: TherapySession,
    format: str,
    sections: dict[str, str],
    risk: dict[str, Any] | None = None,
    mental_status: dict[str, Any] | None = None,
    interventions: list[str] | None = None,
    objective_ids: list[int] | None = None,
    drafted_with: dict[str, str] | None = None,
) -> ProgressNote:
    """A new draft for a session. Only the session's clinician writes its progress notes."""
    require(actor, "note.write", session)
    note = ProgressNote.objects.create(
        session=session,
        client_id=session.client_id,
        author=actor,
        format=format if format in formats() else "",
        sections=clean_sections(format, sections),
        risk=clean_risk(risk or {}),
        mental_status=clean_mental_status(mental_status or {}),
        interventions=[str(i) for i in interventions or []],
        drafted_with=drafted_with,
    )
    if objective_ids:
        note.objectives.set(_objectives(session.client, objective_ids))
    _audit("created", actor, note, format=format, drafted=bool(drafted_with))
    return note


def _editable(actor: User, note: ProgressNote) -> None:
    require(actor, "note.write", note)
    if note.status != NoteStatus.DRAFT:
        raise Conflict("a signed note is locked; add an addendum instead", "note_signed")


@transaction.atomic
def edit_note(
    *,
    actor: User,
    note: ProgressNote,
    sections: dict[str, str] | None = None,
    risk: dict[str, Any] | None = None,
    mental_status: dict[str, Any] | None = None,
    interventions: list[str] | None = None,
    objective_ids: list[int] | None = None,
    drafted_with: dict[str, str] | None = None,
    format: str | None = None,
) -> ProgressNote:
    """Change a draft. A new `format` replaces the sections with `sections` (the caller carries the text over)."""
    note = ProgressNote.objects.select_for_update().get(pk=note.pk)
    _editable(actor, note)
    if drafted_with is not None:
        note.drafted_with = drafted_with
    if format is not None and format != note.format:
        note.sections = clean_sections(format, sections or {})
        note.format = format
    elif sections is not None:
        merged = {**note.sections, **sections}
        note.sections = clean_sections(note.format, merged)
    if risk is not None:
        note.risk = clean_risk(risk)
    if mental_status is not None:
        note.mental_status = clean_mental_status(mental_status)
    if interventions is not None:
        note.interventions = [str(i) for i in interventions]
    note.save()
    if objective_ids is not None:
        note.objectives.set(_objectives(note.client, objective_ids))
    _audit("edited", actor, note)
    return note


@transaction.atomic
def sign_note(*, actor: User, note: ProgressNote, at: datetime | None = None) -> ProgressNote:
    """Lock the note and hash what was signed. A supervisee's note waits for the supervisor's co-signature.

    `at` is for importing historical records (and the demo); interactive signing always uses the current time.
    """
    note = ProgressNote.objects.select_for_update(of=("self",)).select_related("session", "author").get(pk=note.pk)
    require(actor, "note.sign", note)
    if note.status != NoteStatus.DRAFT:
        raise Conflict("this note is already signed", "note_signed")
    missing = get_format(note.format).missing_required(note.sections)
    if missing:
        raise RuleViolation(f"complete the required section(s): {', '.join(missing)}", "missing_sections")
    if "suicidal_ideation" not in note.risk:
        raise RuleViolation("record the suicide risk assessment before signing", "risk_required")
    from confide.measures.services import acknowledge

    acknowledge(note, list(note.risk.get("acknowledged_alerts", [])))
    now = at or timezone.now()
    note.content_hash = content_hash(note.signed_content())
    note.signed_at = now
    note.signed_by = actor
    note.late_entry = now - note.session.ends_at > timedelta(hours=settings.NOTE_LATE_ENTRY_HOURS)
    note.status = NoteStatus.AWAITING_COSIGN if actor.needs_cosign else NoteStatus.SIGNED
    note.return_comment = ""
    note.save()
    _audit("signed", actor, note, status=note.status, late_entry=note.late_entry, content_hash=note.content_hash)
    return note


# The statement a supervisor ticks to co-sign in the web queue; recorded with the co-signature and shown on the note.
COSIGN_ATTESTATION = "I have reviewed this note and agree with its content."
ATTESTATION_MAX = 300  # ProgressNote.cosign_attestation's column


def clean_attestation(attestation: str) -> str:
    text = attestation.strip()
    if len(text) > ATTESTATION_MAX:
        raise RuleViolation(f"the attestation is at most {ATTESTATION_MAX} characters", "invalid_attestation")
    if "\x00" in text:
        raise RuleViolation("the attestation contains a NUL character", "invalid_attestation")
    return text


@transaction.atomic
def cosign_note(*, actor: User, note: ProgressNote, at: datetime | None = None, attestation: str = "") -> ProgressNote:
    """The supervisor's co-signature on a supervisee's signed note, with the attestation they gave (if any)."""
    note = ProgressNote.objects.select_for_update(of=("self",)).select_related("author").get(pk=note.pk)
    require(actor, "note.cosign", note)
    attestation = clean_attestation(attestation)
    if note.status != NoteStatus.AWAITING_COSIGN:
        raise Conflict("this note is not awaiting co-signature", "not_awaiting_cosign")
    if content_hash(note.signed_content()) != note.content_hash:
        raise Conflict("the note changed after it was signed", "content_changed")
    note.status = NoteStatus.SIGNED
    note.cosigned_by = actor
    note.cosigned_at = at or timezone.now()
    note.cosign_attestation = attestation
    note.save()
    _audit("cosigned", actor, note)
    return note


@transaction.atomic
def return_note(*, actor: User, note: ProgressNote, comment: str) -> ProgressNote:
    """Back to its author as a draft, with the supervisor's comment (required: the author must know what to change)."""
    note = ProgressNote.objects.select_for_update(of=("self",)).select_related("author").get(pk=note.pk)
    require(actor, "note.cosign", note)
    if note.status != NoteStatus.AWAITING_COSIGN:
        raise Conflict("this note is not awaiting co-signature", "not_awaiting_cosign")
    if not comment.strip():
        raise RuleViolation("say what needs to change", "comment_required")
    note.status = NoteStatus.DRAFT
    note.return_comment = comment.strip()
    note.content_hash = ""
    note.signed_at = None
    note.signed_by = None
    note.save()
    _audit("returned", actor, note)
    return note


def open_for_review(*, actor: User, note: ProgressNote, ip: str = "") -> ProgressNote:
    """The queue's review step: the supervisor reads the note in full (an audited read), and, while it awaits their
    co-signature, the opening is recorded server-side so that a batch co-signature can tell it was reviewed."""
    require(actor, "note.cosign", note, ip=ip)
    require(actor, "note.read", note, ip=ip)
    if note.status == NoteStatus.AWAITING_COSIGN:
        CosignReview.objects.create(
            supervisor=actor,
            kind=ReviewKind.PROGRESS_NOTE,
            object_id=note.pk,
            content_hash=note.content_hash,
            opened_at=timezone.now(),
        )
    return note


def was_reviewed(actor: User, kind: str, object_id: int, hash_now: str, signed_at: datetime | None) -> bool:
    """Whether `actor` opened this record in the review step since it was last signed, with this very content."""
    if signed_at is None:
        return False
    return CosignReview.objects.filter(
        supervisor=actor, kind=kind, object_id=object_id, content_hash=hash_now, opened_at__gte=signed_at
    ).exists()


@transaction.atomic
def add_addendum(*, actor: User, note: ProgressNote, text: str) -> Addendum:
    """A signed note never changes; corrections and late information are addenda, each hashed."""
    require(actor, "note.addend", note)
    if note.status == NoteStatus.DRAFT:
        raise Conflict("edit the draft instead; addenda are for signed notes", "note_not_signed")
    if not text.strip():
        raise RuleViolation("an addendum needs text", "text_required")
    now = timezone.now()
    addendum = Addendum.objects.create(
        note=note,
        author=actor,
        text=text.strip(),
        content_hash=content_hash({"note": note.pk, "author": actor.pk, "text": text.strip(), "at": now.isoformat()}),
    )
    _audit("addendum_added", actor, note, addendum_id=addendum.pk)
    return addendum


def readable_note(user: User, note_id: int) -> ProgressNote:
    """A note whose narrative `user` may read (audited by the caller's read), else NotFound."""
    # A plain lookup by key plus one caseload check: cheaper to build and run than joining the note to the caseload
    # scope and its related rows, and this is the hottest read in the product (goal: p95 < 100 ms).
    if not role_may(user, "note.read"):
        raise NotFound("no such progress note")
    note = ProgressNote.objects.filter(pk=note_id).first()
    if note is None or not can_open(user, note.client_id):
        raise NotFound("no such progress note")
    return note


def audit_read(*, actor: User, note: ProgressNote, ip: str = "") -> None:
    record_read(actor, "note.read", note, ip=ip)
