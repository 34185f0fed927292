"""Amendment requests (45 CFR 164.526): log a request, extend its deadline once, accept or deny it, and keep the
client's statement of disagreement and the practice's rebuttal beside the note.

The note never changes. An accepted request links its amendment to the note; a denied one keeps the ground of the
denial (one of the four 164.526(a)(2) allows), the client's disagreement and the practice's rebuttal. Every later
release of the note carries all of it (`amendments_for_notes`, read by confide/disclosures/gather.py).

Who may do what is the access policy's (confide/access/policy.py): the office or the treating team log a request and
the client's statement; the note's author or the clinician of record extend, decide and rebut.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from confide.access import require
from confide.amendments.models import (
    AmendmentRequest,
    AmendmentStatement,
    AmendmentStatus,
    DenialBasis,
    StatementKind,
)
from confide.audit.services import record
from confide.clients.models import Client
from confide.disclosures import content as c
from confide.lib.errors import Conflict, NotFound, RuleViolation
from confide.notes.models import ProgressNote
from confide.people.models import User

MAX_TEXT = 20_000


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(f"{what} is required", "text_required")
    if len(value) > MAX_TEXT:
        raise RuleViolation(f"{what} may be at most {MAX_TEXT:,} characters", "text_too_long")
    return value


def _audit(code: str, actor: User, req: AmendmentRequest, **detail: object) -> None:
    record(
        code,
        actor=actor,
        client_id=req.client_id,
        object_type="amendment_request",
        object_id=req.pk,
        detail=detail or None,
    )


def request_amendment(
    *, actor: User, client: Client, progress_note_id: int, received_on: date, requested_change: str
) -> AmendmentRequest:
    """Log the client's written request to amend a signed progress note; it is due in 60 days (164.526(b)(2))."""
    require(actor, "amendment.request", client)
    note = ProgressNote.objects.filter(pk=progress_note_id, client=client).first()
    if note is None:
        raise NotFound("no such progress note in this chart")
    if not note.is_locked:
        raise RuleViolation(
            "only a signed note can be amended; a draft is still the author's to change", "note_not_signed"
        )
    if received_on > timezone.localdate():
        raise RuleViolation("the request cannot be received in the future", "bad_date")
    change = _text(requested_change, "the requested change")
    with transaction.atomic():
        req = AmendmentRequest.objects.create(
            client=client,
            progress_note=note,
            received_on=received_on,
            requested_change=change,
            due_on=received_on + timedelta(days=int(settings.AMENDMENT_DAYS)),
            recorded_by=actor,
        )
        _audit("confide.amendment.requested", actor, req, progress_note_id=note.pk, due_on=req.due_on.isoformat())
    return req


def visible_request(actor: User, request_id: int, verb: str) -> AmendmentRequest:
    """The request, when `actor` may `verb` it: 404 outside the chart's reach, 403 in reach without the verb."""
    req = (
        AmendmentRequest.objects.select_related("progress_note", "client")
        .prefetch_related("statements")
        .filter(pk=request_id)
        .first()
    )
    if req is None:
        raise NotFound("no such amendment request")
    require(actor, verb, req)
    return req


def _pending(req: AmendmentRequest) -> None:
    if req.status != AmendmentStatus.PENDING:
        raise Conflict(f"this request was {req.status} on {req.decided_on}", "already_decided")


def extend(*, actor: User, request_id: int, reason: str) -> AmendmentRequest:
    """Extend the deadline by 30 days, once, before it passes, telling the client why (164.526(b)(2)(ii))."""
    req = visible_request(actor, request_id, "amendment.decide")
    _pending(req)
    if req.extended_on:
        raise Conflict("an amendment request may be extended once (164.526(b)(2)(ii))", "already_extended")
    why = _text(reason, "the reason for the delay (the client is told it in writing)")
    today = timezone.localdate()
    if today > req.due_on:
        raise RuleViolation("the extension must be made before the deadline passes", "deadline_passed")
    with transaction.atomic():
        req.extended_on = today
        req.extension_reason = why[:1000]
        req.due_on = req.due_on + timedelta(days=int(settings.AMENDMENT_EXTENSION_DAYS))
        req.save(update_fields=["extended_on", "extension_reason", "due_on"])
        _audit("confide.amendment.extended", actor, req, due_on=req.due_on.isoformat())
    return req


def accept(*, actor: User, request_id: int, amendment_text: str) -> AmendmentRequest:
    """Accept: the amendment is linked to the note, which itself never changes (164.526(c))."""
    req = visible_request(actor, request_id, "amendment.decide")
    _pending(req)
    text = _text(amendment_text, "the amendment's text")
    with transaction.atomic():
        req.status = AmendmentStatus.ACCEPTED
        req.amendment_text = text
        req.decided_on = timezone.localdate()
        req.decided_by = actor
        req.save(update_fields=["status", "amendment_text", "decided_on", "decided_by"])
        _audit("confide.amendment.accepted", actor, req, progress_note_id=req.progress_note_id)
    return req


def deny(*, actor: User, request_id: int, basis: str, explanation: str) -> AmendmentRequest:
    """Deny on one of the grounds 164.526(a)(2) allows, with the explanation the written denial gives (164.526(d))."""
    req = visible_request(actor, request_id, "amendment.decide")
    _pending(req)
    if basis not in DenialBasis.values:
        raise RuleViolation(f"the basis must be one of {', '.join(DenialBasis.values)}", "invalid_basis")
    why = _text(explanation, "the explanation of the denial")
    with transaction.atomic():
        req.status = AmendmentStatus.DENIED
        req.denial_basis = basis
        req.denial_explanation = why
        req.decided_on = timezone.localdate()
        req.decided_by = actor
        req.save(update_fields=["status", "denial_basis", "denial_explanation", "decided_on", "decided_by"])
        _audit("confide.amendment.denied", actor, req, progress_note_id=req.progress_note_id, basis=basis)
    return req


def _statement(actor: User, req: AmendmentRequest, kind: str, text: str) -> AmendmentStatement:
    with transaction.atomic():
        statement = AmendmentStatement.objects.create(request=req, kind=kind, text=text, recorded_by=actor)
        code = "disagreement_added" if kind == StatementKind.DISAGREEMENT else "rebuttal_added"
        _audit(f"confide.amendment.{code}", actor, req)
    return statement


def add_disagreement(*, actor: User, request_id: int, text: str) -> AmendmentStatement:
    """The client's statement of disagreement with a denial (164.526(d)(1)(ii)): once, after the denial."""
    req = visible_request(actor, request_id, "amendment.request")
    if req.status != AmendmentStatus.DENIED:
        raise Conflict("a statement of disagreement answers a denial; this request is not denied", "not_denied")
    if req.statement(StatementKind.DISAGREEMENT):
        raise Conflict("the client's statement of disagreement is already recorded", "already_recorded")
    return _statement(actor, req, StatementKind.DISAGREEMENT, _text(text, "the statement of disagreement"))


def add_rebuttal(*, actor: User, request_id: int, text: str) -> AmendmentStatement:
    """The practice's rebuttal of the client's disagreement (164.526(d)(3)): once, after the disagreement."""
    req = visible_request(actor, request_id, "amendment.decide")
    if not req.statement(StatementKind.DISAGREEMENT):
        raise Conflict("a rebuttal answers the client's statement of disagreement; there is none", "no_disagreement")
    if req.statement(StatementKind.REBUTTAL):
        raise Conflict("the practice's rebuttal is already recorded", "already_recorded")
    return _statement(actor, req, StatementKind.REBUTTAL, _text(text, "the rebuttal"))


def list_requests(*, actor: User, client: Client) -> list[AmendmentRequest]:
    """A chart's amendment requests, oldest first. The front desk logs them but reads no clinical text: for them the
    requested change, the amendment and the statements are left out."""
    require(actor, "amendment.list", client, audit=False)
    found = list(
        AmendmentRequest.objects.filter(client=client)
        .select_related("progress_note__session")
        .prefetch_related("statements")
    )
    if not actor.is_clinician:
        for req in found:
            req.requested_change = req.amendment_text = req.denial_explanation = ""
            req.hide_statements = True  # type: ignore[attr-defined]
    record("confide.amendment.listed", actor=actor, client_id=client.pk, detail={"count": len(found)})
    return found


def statements_of(req: AmendmentRequest) -> dict[str, str]:
    """{kind: text} of the request's statements; the text is blank where the reader may not see it."""
    hidden = getattr(req, "hide_statements", False)
    return {s.kind: "" if hidden else s.text for s in req.statements.all()}


def amendment_part(req: AmendmentRequest) -> c.AmendmentPart:
    said = {s.kind: s.text for s in req.statements.all()}
    return c.AmendmentPart(
        id=int(req.pk),
        received_on=req.received_on,
        requested_change=req.requested_change,
        status=str(req.status),
        decided_on=req.decided_on,
        amendment_text=req.amendment_text,
        denial_basis=DenialBasis(req.denial_basis).label if req.denial_basis else "",
        denial_explanation=req.denial_explanation,
        disagreement=said.get(StatementKind.DISAGREEMENT, ""),
        rebuttal=said.get(StatementKind.REBUTTAL, ""),
    )


def amendments_for_notes(note_ids: list[int]) -> dict[int, list[c.AmendmentPart]]:
    """Every amendment request on these notes, with what answers it: they travel with the notes (164.526(d)(4))."""
    out: dict[int, list[c.AmendmentPart]] = defaultdict(list)
    rows = AmendmentRequest.objects.filter(progress_note_id__in=note_ids).prefetch_related(
        Prefetch("statements", queryset=AmendmentStatement.objects.order_by("pk"))
    )
    for req in rows:
        out[int(req.progress_note_id)].append(amendment_part(req))
    return dict(out)


@dataclass(frozen=True)
class Deadline:
    kind: str
    client_id: int
    client_name: str
    received_on: date
    due_on: date
    overdue: bool
    link_id: int


def due_for(user: User, today: date) -> list[Deadline]:
    """Pending amendment requests on the notes `user` wrote or the clients they are clinician of record of."""
    from django.db.models import Q

    rows = (
        AmendmentRequest.objects.filter(status=AmendmentStatus.PENDING)
        .filter(Q(client__primary_clinician=user) | Q(progress_note__author=user))
        .select_related("client")
        .order_by("due_on", "pk")
    )
    return [
        Deadline("amendment request", r.client_id, r.client.name, r.received_on, r.due_on, r.due_on < today, r.pk)
        for r in rows
    ]
