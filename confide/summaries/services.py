"""Periodic progress summaries: what is due, drafting one from the official record of its span, editing the draft,
signing it like a progress note. The drafting itself is confide/summaries/draft.py's (plain functions); this module
reads the record for it and applies the access policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from confide.access import require
from confide.audit.services import record
from confide.clients.models import Client
from confide.lib.errors import Conflict, NotFound, RuleViolation
from confide.lib.text import text_problem
from confide.measures.models import Measure
from confide.notes.models import NoteStatus, ProgressNote
from confide.notes.services import content_hash
from confide.people.models import User
from confide.plans.models import Diagnosis, TreatmentPlan
from confide.sessions.models import TherapySession
from confide.summaries import draft
from confide.summaries.models import Summary, SummaryAddendum

MAX_SPAN_DAYS = 366


def _local_day(at: Any) -> date:
    return timezone.localtime(at).date()


def read_record(client: Client, start: date, end: date) -> draft.Record:
    """The official record of the span, as the drafter takes it (a fixed number of queries; no psychotherapy note
    is reachable from here)."""
    sessions = TherapySession.objects.filter(
        client=client, starts_at__date__gte=start, starts_at__date__lte=end
    ).order_by("starts_at", "pk")
    notes = (
        ProgressNote.objects.filter(client=client, status=NoteStatus.SIGNED, session__in=sessions)
        .select_related("session")
        .prefetch_related("objectives")
        .order_by("session__starts_at", "pk")
    )
    plans = list(
        TreatmentPlan.objects.filter(client=client, created_at__date__lte=end)
        .prefetch_related("problems__goals__objectives")
        .order_by("version")
    )
    in_effect = [p for p in plans if _local_day(p.created_at) >= start]
    earlier = [p for p in plans if _local_day(p.created_at) < start]
    plans = earlier[-1:] + in_effect
    measures = list(Measure.objects.filter(client=client, administered_on__lte=end).order_by("administered_on", "pk"))
    rows = [
        draft.MeasureRow(m.pk, m.instrument, m.administered_on, m.score, m.severity, bool(m.risk_alerts))
        for m in measures
    ]
    baseline: dict[str, draft.MeasureRow] = {}
    for row in rows:
        baseline.setdefault(row.instrument, row)
    return draft.Record(
        start=start,
        end=end,
        sessions=tuple(
            draft.SessionRow(s.pk, _local_day(s.starts_at), s.status, tuple(s.cpt_codes or ())) for s in sessions
        ),
        notes=tuple(
            draft.NoteRow(
                n.pk,
                _local_day(n.session.starts_at),
                dict(n.risk or {}),
                tuple(n.interventions or ()),
                str((n.sections or {}).get("plan", "")),
                tuple(o.pk for o in n.objectives.all()),
            )
            for n in notes
        ),
        measures=tuple(r for r in rows if start <= r.day <= end),
        plans=tuple(
            draft.PlanRow(
                p.pk,
                p.version,
                _local_day(p.created_at),
                tuple(pr.description for pr in p.problems.all()),
                tuple(
                    draft.ObjectiveRow(o.pk, o.description, o.status, g.description)
                    for pr in p.problems.all()
                    for g in pr.goals.all()
                    for o in g.objectives.all()
                ),
            )
            for p in plans
        ),
        diagnoses=tuple(
            draft.DiagnosisRow(d.pk, d.code, d.description, d.diagnosed_on, d.resolved_on, d.is_primary)
            for d in Diagnosis.objects.filter(client=client, diagnosed_on__lte=end).order_by("diagnosed_on", "pk")
        ),
        baseline=baseline,
    )


# --- What is due ---------------------------------------------------------------------------------------------------


def period_before(schedule: str, today: date) -> tuple[date, date]:
    """The last whole calendar month or quarter before `today`."""
    if schedule == "monthly":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = quarter_start - timedelta(days=1)
    return date(end.year, (end.month - 1) // 3 * 3 + 1, 1), end


@dataclass(frozen=True)
class Due:
    client_id: int
    client_name: str
    period_start: date
    period_end: date
    due_on: date
    overdue: bool
    summary_id: int | None  # a draft already started


def due_for(user: User, today: date) -> list[Due]:
    """Summaries due for the clients `user` is the clinician of record of, from each client's schedule: the last
    whole period, until a signed (or co-signature-awaiting) summary covers it."""
    require(user, "summary.due")
    out = []
    clients = Client.objects.filter(primary_clinician=user).exclude(summary_schedule="")
    for client in clients.order_by("last_name", "first_name", "pk"):
        start, end = period_before(client.summary_schedule, today)
        if client.admitted_on > end or (client.discharged_on and client.discharged_on < start):
            continue
        covering = Summary.objects.filter(client=client, period_start__lte=start, period_end__gte=end)
        if covering.exclude(status=NoteStatus.DRAFT).exists():
            continue
        started = covering.filter(status=NoteStatus.DRAFT).values_list("pk", flat=True).first()
        due_on = end + timedelta(days=int(settings.SUMMARY_DUE_DAYS))
        out.append(Due(client.pk, client.name, start, end, due_on, due_on < today, started))
    return sorted(out, key=lambda d: (d.due_on, d.client_name))


# --- Drafting, editing, signing -------------------------------------------------------------------------------------


def _audit(code: str, actor: User, summary: Summary, **detail: Any) -> None:
    record(
        f"confide.summary.{code}",
        actor=actor,
        client_id=summary.client_id,
        object_type="summary",
        object_id=summary.pk,
        detail=detail or None,
    )


def create_summary(*, actor: User, client: Client, period_start: date, period_end: date) -> Summary:
    """Draft a summary of the span from the official record; the actor becomes its author."""
    require(actor, "summary.write", client)
    today = timezone.localdate()
    if period_end < period_start:
        raise RuleViolation("the period ends before it starts", "bad_span")
    if period_end > today:
        raise RuleViolation("a summary covers a period that has ended (or ends today)", "bad_span")
    if (period_end - period_start).days > MAX_SPAN_DAYS:
        raise RuleViolation(f"a summary covers at most {MAX_SPAN_DAYS} days", "bad_span")
    drafted = draft.draft(read_record(client, period_start, period_end))
    due_on = None
    if client.summary_schedule and (period_start, period_end) == period_before(client.summary_schedule, today):
        due_on = period_end + timedelta(days=int(settings.SUMMARY_DUE_DAYS))
    with transaction.atomic():
        summary = Summary.objects.create(
            client=client,
            author=actor,
            period_start=period_start,
            period_end=period_end,
            due_on=due_on,
            drafted=drafted,
            sections=draft.as_text(drafted),
        )
        _audit("drafted", actor, summary)
    return summary


def visible_summary(actor: User, summary_id: int, verb: str = "summary.read") -> Summary:
    summary = Summary.objects.select_related("client", "author").filter(pk=summary_id).first()
    if summary is None:
        raise NotFound("no such summary")
    require(actor, verb, summary)
    return summary


def list_summaries(*, actor: User, client: Client) -> list[Summary]:
    require(actor, "summary.read", client)
    return list(Summary.objects.filter(client=client))


@transaction.atomic
def edit_summary(*, actor: User, summary_id: int, sections: dict[str, str]) -> Summary:
    summary = visible_summary(actor, summary_id, "summary.edit")
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if summary.is_locked:
        raise Conflict("a signed summary is locked", "summary_signed")
    names = {s.name for s in draft.template().sections}
    unknown = sorted(set(sections) - names)
    if unknown:
        raise RuleViolation(f"a summary has no section {', '.join(unknown)}", "unknown_section")
    for name, text in sections.items():
        if problem := text_problem(text):
            raise RuleViolation(f"{name}: {problem}", "invalid_text")
    summary.sections = {**summary.sections, **sections}
    summary.save(update_fields=["sections", "updated_at"])
    _audit("edited", actor, summary)
    return summary


@transaction.atomic
def sign_summary(*, actor: User, summary_id: int) -> Summary:
    """Lock and hash the summary; a supervisee's waits for the supervisor's co-signature; late past its due date."""
    summary = visible_summary(actor, summary_id, "summary.sign")
    summary = Summary.objects.select_for_update(of=("self",)).select_related("author").get(pk=summary.pk)
    if summary.is_locked:
        raise Conflict("this summary is already signed", "summary_signed")
    if not any(text.strip() for text in summary.sections.values()):
        raise RuleViolation("the summary is empty", "missing_sections")
    now = timezone.now()
    summary.content_hash = content_hash(summary.signed_content())
    summary.signed_at, summary.signed_by = now, actor
    summary.late_entry = summary.due_on is not None and timezone.localdate() > summary.due_on
    summary.status = NoteStatus.AWAITING_COSIGN if actor.needs_cosign else NoteStatus.SIGNED
    summary.return_comment = ""  # answered by signing again, as a note's is
    summary.save()
    _audit("signed", actor, summary, status=summary.status, late_entry=summary.late_entry)
    return summary


@transaction.atomic
def cosign_summary(*, actor: User, summary_id: int, attestation: str = "") -> Summary:
    """The supervisor's co-signature on a supervisee's signed summary; the content must be as it was signed.

    `attestation` is what the API's caller attests (optional there, as for a note). The summary has no column for
    it, so it is kept on a `CosignReview` row, where the web's review step keeps its own (confide/notes/
    supervision.py writes that one after calling this, so the web passes none here)."""
    from confide.notes.models import CosignReview, ReviewKind
    from confide.notes.services import clean_attestation

    summary = visible_summary(actor, summary_id, "summary.cosign")
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    attestation = clean_attestation(attestation)
    if summary.status != NoteStatus.AWAITING_COSIGN:
        raise Conflict("this summary is not awaiting co-signature", "not_awaiting_cosign")
    if content_hash(summary.signed_content()) != summary.content_hash:
        raise Conflict("the summary changed after it was signed", "content_changed")
    now = timezone.now()
    summary.status = NoteStatus.SIGNED
    summary.cosigned_by, summary.cosigned_at = actor, now
    summary.save(update_fields=["status", "cosigned_by", "cosigned_at", "updated_at"])
    if attestation:
        CosignReview.objects.create(
            supervisor=actor,
            kind=ReviewKind.SUMMARY,
            object_id=summary.pk,
            content_hash=summary.content_hash,
            opened_at=now,
            attestation=attestation,
            cosigned_at=now,
        )
    _audit("cosigned", actor, summary)
    return summary


RETURN_COMMENT_MAX = 5000  # the web form's bound and the API's (a note's return comment has the same)


@transaction.atomic
def return_summary(*, actor: User, summary_id: int, comment: str) -> Summary:
    """Back to its author as a draft, with the supervisor's comment: the same rules as returning a progress note
    (confide.notes.services.return_note): only the author's supervisor, only while it awaits co-signature, and the
    comment is required (the author must know what to change). The audit entry names the summary, never the words."""
    summary = visible_summary(actor, summary_id, "summary.cosign")
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if summary.status != NoteStatus.AWAITING_COSIGN:
        raise Conflict("this summary is not awaiting co-signature", "not_awaiting_cosign")
    comment = comment.strip()
    if not comment:
        raise RuleViolation("say what needs to change", "comment_required")
    if len(comment) > RETURN_COMMENT_MAX:
        raise RuleViolation(f"a comment is at most {RETURN_COMMENT_MAX} characters", "invalid_text")
    if problem := text_problem(comment):
        raise RuleViolation(problem, "invalid_text")
    summary.status = NoteStatus.DRAFT
    summary.return_comment = comment
    summary.content_hash = ""
    summary.signed_at = None
    summary.signed_by = None
    summary.save(update_fields=["status", "return_comment", "content_hash", "signed_at", "signed_by", "updated_at"])
    _audit("returned", actor, summary)
    return summary


@transaction.atomic
def add_addendum(*, actor: User, summary_id: int, text: str) -> SummaryAddendum:
    summary = visible_summary(actor, summary_id, "summary.addend")
    if not summary.is_locked:
        raise Conflict("edit the draft instead; addenda are for signed summaries", "summary_not_signed")
    text = text.strip()
    if not text:
        raise RuleViolation("an addendum needs text", "text_required")
    if problem := text_problem(text):
        raise RuleViolation(problem, "invalid_text")
    now = timezone.now()
    addendum = SummaryAddendum.objects.create(
        summary=summary,
        author=actor,
        text=text,
        content_hash=content_hash({"summary": summary.pk, "author": actor.pk, "text": text, "at": now.isoformat()}),
    )
    _audit("addendum_added", actor, summary, addendum_id=addendum.pk)
    return addendum


def sections_out(summary: Summary) -> dict[str, list[dict[str, Any]]]:
    """Each section as sentences with their evidence: as drafted, or, once edited, the edited text with every piece
    of evidence the drafted section rested on."""
    out: dict[str, list[dict[str, Any]]] = {}
    drafted = draft.as_text(summary.drafted)
    for s in draft.template().sections:
        sentences = summary.drafted.get(s.name, [])
        text = summary.sections.get(s.name, "")
        if text == drafted.get(s.name, ""):
            out[s.name] = sentences
        else:
            seen: dict[tuple[str, int], dict[str, Any]] = {}
            for sentence in sentences:
                for ev in sentence["evidence"]:
                    seen.setdefault((ev["kind"], ev["id"]), ev)
            out[s.name] = [{"text": text, "evidence": list(seen.values())}] if text.strip() else []
    return out
