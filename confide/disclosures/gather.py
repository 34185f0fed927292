"""From the record to the rules and back: the items a request reaches, and the package of what the rules released.

`candidates` lists what a request could reach (ids and dates only, nothing is read for the rules); `build_package`
loads the full content of the released items in a fixed number of queries, whatever the chart's size, and turns it
into `content.Package` for the renderers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from confide.clients.models import Client
from confide.disclosures import content as c
from confide.disclosures import rules
from confide.disclosures.models import Authorization
from confide.notes.formats import formats
from confide.notes.models import MENTAL_STATUS_DOMAINS, RISK_DOMAINS, Addendum, NoteStatus, ProgressNote
from confide.people.models import User
from confide.plans.models import Diagnosis, PlanStatus, TreatmentPlan
from confide.sessions.models import Service, Setting, Status, TherapySession

Span = tuple[date | None, date | None]

BASIS_LABELS: dict[str, str] = {
    "authorization": "The client's written authorization (45 CFR 164.508)",
    "treatment": "Treatment by another provider (45 CFR 164.506(c)(2))",
    "payment": "Payment (45 CFR 164.506(c)), minimum necessary (164.502(b))",
    "right_of_access": "The client's right of access to their records (45 CFR 164.524)",
    "court_order": "Order of a court or administrative tribunal (45 CFR 164.512(e)(1)(i))",
    "subpoena_with_assurances": "Subpoena with satisfactory assurances (45 CFR 164.512(e)(1)(ii))",
    "required_by_law": "Required by law (45 CFR 164.512(a))",
    "serious_threat": "To avert a serious and imminent threat to health or safety (45 CFR 164.512(j)(1)(i))",
    "health_oversight": "Health oversight (45 CFR 164.512(d))",
    "coroner": "Coroner or medical examiner (45 CFR 164.512(g)(1))",
    "legal_defense": "Defense of a legal action brought by the client (45 CFR 164.508(a)(2)(i)(C))",
    "hhs_compliance": "Compliance review by the Secretary of HHS (45 CFR 164.502(a)(2)(ii))",
}


def person(user: User) -> c.Person:
    return c.Person(int(user.pk), user.full_name or user.username, user.credentials)


def authorization_facts(auth: Authorization) -> rules.AuthorizationFacts:
    return rules.AuthorizationFacts(
        id=int(auth.pk),
        kind=rules.AuthorizationKind(auth.kind),
        information=frozenset(rules.Category(i) for i in auth.information),
        recipient=auth.recipient,
        signed_on=auth.signed_on,
        expires_on=auth.expires_on,
        expiry_event=auth.expiry_event,
        expired_on=auth.expired_on,
        revoked_on=auth.revoked_on,
    )


def _in_span[Q: QuerySet[TherapySession] | QuerySet[ProgressNote]](qs: Q, field: str, span: Span) -> Q:
    start, end = span
    if start:
        qs = qs.filter(**{f"{field}__gte": start})  # type: ignore[assignment]
    if end:
        qs = qs.filter(**{f"{field}__lte": end})  # type: ignore[assignment]
    return qs


def candidates(client: Client, include: frozenset[rules.Category], span: Span) -> list[rules.Item]:
    """Every official-record item the included categories reach in the span (psychotherapy notes are added by the
    caller from the vault, for their author only)."""
    Cat, Kind = rules.Category, rules.ItemKind
    items: list[rules.Item] = []
    if Cat.PROGRESS_NOTES in include:
        notes = _in_span(ProgressNote.objects.filter(client=client), "session__starts_at__date", span)
        for pk, status, starts in notes.values_list("pk", "status", "session__starts_at").order_by(
            "session__starts_at"
        ):
            items.append(rules.Item(Kind.PROGRESS_NOTE, str(pk), starts.date(), final=status == NoteStatus.SIGNED))
    if Cat.SESSIONS in include:
        sessions = _in_span(TherapySession.objects.filter(client=client), "starts_at__date", span)
        for pk, starts in (
            sessions.exclude(status=Status.SCHEDULED).values_list("pk", "starts_at").order_by("starts_at")
        ):
            items.append(rules.Item(Kind.SESSION, str(pk), starts.date()))
    if Cat.DIAGNOSES in include:
        for pk, day in Diagnosis.objects.filter(client=client).values_list("pk", "diagnosed_on"):
            items.append(rules.Item(Kind.DIAGNOSIS, str(pk), day))
    if Cat.TREATMENT_PLAN in include:
        plan = TreatmentPlan.objects.filter(client=client, status=PlanStatus.CURRENT).first()
        if plan is not None:
            items.append(rules.Item(Kind.TREATMENT_PLAN, str(plan.pk), plan.created_at.date()))
    if Cat.MEASURES in include:
        from confide.measures.models import Measure

        for pk, day in Measure.objects.filter(client=client).values_list("pk", "administered_on"):
            items.append(rules.Item(Kind.MEASURE, str(pk), day))
    if Cat.SUMMARIES in include:
        from confide.summaries.models import Summary

        for pk, end, status in Summary.objects.filter(client=client).values_list("pk", "period_end", "status"):
            items.append(rules.Item(Kind.SUMMARY, str(pk), end, final=status == NoteStatus.SIGNED))
    return items


def _risk_lines(note: ProgressNote) -> tuple[tuple[tuple[str, str], ...], str]:
    lines = []
    for domain in RISK_DOMAINS:
        entry = note.risk.get(domain)
        if not isinstance(entry, dict) or not entry.get("level"):
            continue
        flags = ", ".join(("" if entry.get(f) else "no ") + f for f in ("plan", "intent", "means"))
        lines.append((domain.replace("_", " ").capitalize(), f"{entry['level']}; {flags}"))
    protective = note.risk.get("protective_factors", "")
    return tuple(lines), protective if isinstance(protective, str) else ""


def _note_part(note: ProgressNote, amendments: list[c.AmendmentPart]) -> c.NotePart:
    fmt = formats().get(note.format)
    titles = {s.name: s.title for s in fmt.sections} if fmt else {}
    order = list(titles) + [k for k in note.sections if k not in titles]
    sections = tuple(
        (titles.get(k, k.replace("_", " ").capitalize()), note.sections[k]) for k in order if note.sections.get(k)
    )
    risk, protective = _risk_lines(note)
    mental = tuple(
        (d.replace("_", " ").capitalize(), str(note.mental_status[d]))
        for d in MENTAL_STATUS_DOMAINS
        if note.mental_status.get(d)
    )
    signatures: list[c.Signature] = []
    if note.signed_at and note.signed_by:
        signatures.append(c.Signature("signed", person(note.signed_by), note.signed_at))
    if note.cosigned_at and note.cosigned_by:
        signatures.append(c.Signature("cosigned", person(note.cosigned_by), note.cosigned_at))
    drafted = ""
    if note.drafted_with:
        engine = note.drafted_with.get("engine", "the drafting engine")
        version = note.drafted_with.get("engine_version") or note.drafted_with.get("version") or ""
        drafted = f"Drafted with assistance ({engine} {version})".replace(" )", ")")
    return c.NotePart(
        id=int(note.pk),
        session_id=note.session_id,
        session_date=note.session.starts_at.date(),
        format_code=note.format,
        format_title=fmt.title if fmt else note.format,
        sections=sections,
        risk=risk,
        protective_factors=protective,
        mental_status=mental,
        interventions=tuple(str(i) for i in note.interventions),
        author=person(note.author),
        signatures=tuple(signatures),
        content_hash=note.content_hash,
        late_entry=note.late_entry,
        drafted_with=drafted,
        addenda=tuple(
            c.AddendumPart(int(a.pk), person(a.author), a.created_at, a.text, a.content_hash)
            for a in note.addenda.all()
        ),
        amendments=tuple(amendments),
    )


def _session_part(s: TherapySession) -> c.SessionPart:
    return c.SessionPart(
        id=int(s.pk),
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        service=Service(s.service).label if s.service in Service.values else s.service,
        setting=Setting(s.setting).label if s.setting in Setting.values else s.setting,
        status=Status(s.status).label if s.status in Status.values else s.status,
        cpt_codes=tuple(str(code) for code in s.cpt_codes),
        clinician=person(s.clinician),
    )


def _plan_part(plan: TreatmentPlan) -> c.PlanPart:
    return c.PlanPart(
        id=int(plan.pk),
        version=plan.version,
        created_at=plan.created_at,
        review_on=plan.review_on,
        client_signed_on=plan.client_signed_on,
        problems=tuple(
            c.ProblemPart(
                p.description,
                tuple(
                    c.GoalPart(
                        g.description,
                        g.measure,
                        tuple(
                            c.ObjectivePart(o.description, o.target_on, o.get_status_display())
                            for o in g.objectives.all()
                        ),
                    )
                    for g in p.goals.all()
                ),
            )
            for p in plan.problems.all()
        ),
    )


def client_part(client: Client) -> c.ClientPart:
    return c.ClientPart(
        id=int(client.pk),
        first_name=client.first_name,
        last_name=client.last_name,
        date_of_birth=client.date_of_birth,
        part2=client.part2,
        pronouns=client.pronouns,
        address=client.address,
        phone=client.phone,
        email=client.email,
    )


def authorization_part(auth: Authorization) -> c.AuthorizationPart:
    return c.AuthorizationPart(
        id=int(auth.pk or 0),
        kind=auth.kind,
        recipient=auth.recipient,
        purpose=auth.purpose,
        information=tuple(auth.information),
        signed_on=auth.signed_on,
        signed_by=auth.signed_by,
        expires_on=auth.expires_on,
        expiry_event=auth.expiry_event,
        document_sha256=auth.document_sha256,
    )


@dataclass(frozen=True)
class Header:
    """Everything about a release but its records."""

    disclosure_id: int
    prepared_by: User
    prepared_at: datetime
    recipient_name: str
    recipient_address: str
    basis: str
    purpose: str
    span: Span
    authorization: Authorization | None


def _measure_parts(ids: list[int]) -> tuple[c.MeasurePart, ...]:
    from confide.measures import scoring
    from confide.measures.models import Measure

    rows = Measure.objects.filter(pk__in=ids).order_by("administered_on", "pk")
    return tuple(
        c.MeasurePart(
            int(m.pk),
            m.instrument,
            scoring.instrument(m.instrument).loinc_total,
            m.administered_on,
            m.score,
            m.severity,
            tuple(int(a) for a in m.answers),
        )
        for m in rows
    )


def _summary_parts(ids: list[int]) -> tuple[c.SummaryPart, ...]:
    from confide.summaries.draft import template
    from confide.summaries.models import Summary

    titles = [(s.name, s.title) for s in template().sections]
    rows = Summary.objects.filter(pk__in=ids).select_related("author", "signed_by", "cosigned_by")
    out = []
    for s in rows.order_by("period_start", "pk"):
        signatures = [c.Signature("signed", person(s.signed_by), s.signed_at)] if s.signed_by and s.signed_at else []
        if s.cosigned_by and s.cosigned_at:
            signatures.append(c.Signature("cosigned", person(s.cosigned_by), s.cosigned_at))
        sections = tuple((title, s.sections.get(name, "")) for name, title in titles if s.sections.get(name, ""))
        out.append(
            c.SummaryPart(
                int(s.pk), s.period_start, s.period_end, sections, person(s.author), tuple(signatures), s.content_hash
            )
        )
    return tuple(out)


def build_package(
    header: Header,
    client: Client,
    decision: rules.Decision,
    private_notes: Iterable[c.PrivateNotePart] = (),
) -> c.Package:
    """Load the released items' content and assemble the package (a fixed number of queries)."""
    from confide.amendments.services import amendments_for_notes

    ids: dict[rules.ItemKind, list[int]] = {}
    for item in decision.released:
        if item.kind is not rules.ItemKind.PSYCHOTHERAPY_NOTE:
            ids.setdefault(item.kind, []).append(int(item.id))
    Kind = rules.ItemKind
    note_ids = ids.get(Kind.PROGRESS_NOTE, [])
    notes = list(
        ProgressNote.objects.filter(pk__in=note_ids)
        .select_related("session", "author", "signed_by", "cosigned_by")
        .prefetch_related(
            Prefetch("addenda", queryset=Addendum.objects.select_related("author").order_by("created_at"))
        )
        .order_by("session__starts_at", "pk")
    )
    amendments = amendments_for_notes(note_ids) if note_ids else {}
    sessions = (
        TherapySession.objects.filter(pk__in=ids.get(Kind.SESSION, []))
        .select_related("clinician")
        .order_by("starts_at")
    )
    diagnoses = Diagnosis.objects.filter(pk__in=ids.get(Kind.DIAGNOSIS, [])).order_by("diagnosed_on", "pk")
    plan = (
        TreatmentPlan.objects.filter(pk__in=ids.get(Kind.TREATMENT_PLAN, []))
        .prefetch_related("problems__goals__objectives")
        .first()
    )
    return c.Package(
        disclosure_id=header.disclosure_id,
        practice_name=settings.PRACTICE_NAME,
        prepared_by=person(header.prepared_by),
        prepared_at=header.prepared_at,
        recipient_name=header.recipient_name,
        recipient_address=header.recipient_address,
        basis=header.basis,
        basis_label=BASIS_LABELS.get(header.basis, header.basis),
        purpose=header.purpose,
        client=client_part(client),
        span_from=header.span[0],
        span_to=header.span[1],
        authorization=authorization_part(header.authorization) if header.authorization else None,
        progress_notes=tuple(_note_part(n, amendments.get(int(n.pk), [])) for n in notes),
        psychotherapy_notes=tuple(private_notes),
        sessions=tuple(_session_part(s) for s in sessions),
        diagnoses=tuple(
            c.DiagnosisPart(int(d.pk), d.code, d.description, d.diagnosed_on, d.is_primary, d.resolved_on)
            for d in diagnoses
        ),
        plan=_plan_part(plan) if plan else None,
        measures=_measure_parts(ids.get(Kind.MEASURE, [])),
        summaries=_summary_parts(ids.get(Kind.SUMMARY, [])),
        withheld=tuple(c.WithheldPart(w.kind.value, w.id, w.rule, w.reason, w.cite) for w in decision.withheld),
        notices=decision.notices,
        permitted_by=dict(decision.permitted_by),
    )
