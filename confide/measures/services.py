"""Measures: record a client's answers (by the clinician, or by the client through a one-time link), list them with
the change since baseline, and keep risk alerts open until a signed note acknowledges them.

Scoring is confide/measures/scoring.py's (the instruments are data); who may do what is the access policy's:
clinicians who reach the chart read measures, billers see only that one was given (its 96127 code and date), the
front desk sees nothing of them but may hand the client a link.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from confide.access import can, require
from confide.audit.services import record
from confide.clients.models import Client
from confide.lib.errors import Gone, NotFound, RuleViolation
from confide.measures import scoring
from confide.measures.models import Measure, MeasureRequest
from confide.people.models import User


def _scored(instrument: str, answers: list[Any]) -> scoring.Scored:
    try:
        return scoring.score(instrument, answers)
    except scoring.UnknownInstrument:
        raise RuleViolation(
            f"instrument must be one of {', '.join(sorted(scoring.instruments()))}", "invalid_instrument"
        ) from None
    except scoring.InvalidAnswers as error:
        raise RuleViolation(str(error), "invalid_answers") from None


def _save(
    client: Client,
    scored: scoring.Scored,
    answers: list[int],
    administered_on: date,
    *,
    entered_by: User | None,
    request: MeasureRequest | None = None,
) -> Measure:
    return Measure.objects.create(
        client=client,
        instrument=scored.instrument.code,
        answers=list(answers),
        score=scored.score,
        severity=scored.severity,
        alerts=[{"code": a.code, "detail": a.detail, "risk": a.risk} for a in scored.alerts],
        administered_on=administered_on,
        entered_by=entered_by,
        request=request,
    )


def _audit(code: str, actor: User | None, measure: Measure) -> None:
    record(
        code,
        actor=actor,
        client_id=measure.client_id,
        object_type="measure",
        object_id=measure.pk,
        detail={"instrument": measure.instrument, "alerts": [a["code"] for a in measure.alerts]},
    )


def record_measure(
    *, actor: User, client: Client, instrument: str, answers: list[Any], administered_on: date
) -> Measure:
    """The clinician records the client's answers; the total, band and alerts are worked out here, never typed."""
    require(actor, "measure.record", client)
    if administered_on > timezone.localdate():
        raise RuleViolation("a measure cannot be given in the future", "bad_date")
    scored = _scored(instrument, answers)
    with transaction.atomic():
        measure = _save(client, scored, answers, administered_on, entered_by=actor)
        _audit("confide.measure.recorded", actor, measure)
    return measure


@dataclass(frozen=True)
class MeasureView:
    """A measure as its reader may see it: billers get the instrument, the day and the code, nothing scored."""

    measure: Measure
    full: bool
    change: scoring.Change | None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.measure, name)

    @property
    def cpt(self) -> str:
        return scoring.instrument(self.measure.instrument).cpt


def with_change(measures: list[Measure]) -> list[tuple[Measure, scoring.Change | None]]:
    """Each measure with its change from the first of the same instrument (the baseline); None for the baseline."""
    baseline: dict[str, Measure] = {}
    out: list[tuple[Measure, scoring.Change | None]] = []
    for m in sorted(measures, key=lambda m: (m.administered_on, m.pk)):
        first = baseline.setdefault(m.instrument, m)
        out.append((m, None if first is m else scoring.change(m.instrument, first.score, m.score)))
    return out


def list_measures(*, actor: User, client: Client) -> list[MeasureView]:
    """A chart's measures, oldest first. Clinicians who reach the chart see scores and answers (audited as a read
    of clinical content); billers only which instrument was given when."""
    full = can(actor, "measure.read", client)
    require(actor, "measure.read" if full else "measure.list", client)
    rows = list(Measure.objects.filter(client=client))
    return [MeasureView(m, full, change if full else None) for m, change in with_change(rows)]


def open_risk_alerts(client_id: int) -> list[Measure]:
    """Measures whose risk alert no signed note has acknowledged yet, oldest first."""
    rows = Measure.objects.filter(client_id=client_id, acknowledged_by__isnull=True).exclude(alerts=[])
    return [m for m in rows if m.open_risk_alert]


def acknowledge(note: Any, acknowledged: list[int]) -> None:
    """At signing: every open risk alert of the client must be in the note's risk assessment's
    `acknowledged_alerts`; they are then closed by this note. Called inside sign_note's transaction."""
    open_ones = open_risk_alerts(int(note.client_id))
    missing = [m for m in open_ones if m.pk not in set(acknowledged)]
    if missing:
        first = missing[0]
        raise RuleViolation(
            f"the {first.instrument} of {first.administered_on:%B %-d, %Y} raised a risk alert "
            f"({first.risk_alerts[0]['detail']}); acknowledge it in the risk assessment before signing",
            "risk_alert_unacknowledged",
        )
    if open_ones:
        Measure.objects.filter(pk__in=[m.pk for m in open_ones]).update(acknowledged_by=note)


# --- One-time links the client answers through -------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_request(*, actor: User, client: Client, instrument: str) -> tuple[MeasureRequest, str]:
    """A link for the client to answer `instrument` once, within MEASURE_LINK_HOURS. Returns the request and the
    token; only the token's hash is stored, so the link cannot be read back from the database."""
    require(actor, "measure.request", client)
    if instrument not in scoring.instruments():
        raise RuleViolation(
            f"instrument must be one of {', '.join(sorted(scoring.instruments()))}", "invalid_instrument"
        )
    token = secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(hours=int(settings.MEASURE_LINK_HOURS))
    with transaction.atomic():
        req = MeasureRequest.objects.create(
            client=client, instrument=instrument, token_hash=_hash(token), created_by=actor, expires_at=expires
        )
        record(
            "confide.measure.link_made",
            actor=actor,
            client_id=client.pk,
            object_type="measure_request",
            object_id=req.pk,
            detail={"instrument": instrument},
        )
    return req, token


def open_request(token: str, *, now: datetime | None = None) -> MeasureRequest:
    """The request behind a link: 404 for no such link, 410 once it was used or has expired."""
    if not token or len(token) > 100:
        raise NotFound("no such link")
    req = MeasureRequest.objects.select_related("client").filter(token_hash=_hash(token)).first()
    if req is None:
        raise NotFound("no such link")
    if req.used_at is not None:
        raise Gone("this link was used already; ask the practice for a new one", "link_used")
    if (now or timezone.now()) >= req.expires_at:
        raise Gone("this link has expired; ask the practice for a new one", "link_expired")
    return req


def answer_request(token: str, answers: list[Any], *, ip: str = "") -> Measure:
    """The client's answers through the link: scored, saved, the link spent, all in one transaction."""
    with transaction.atomic():
        req = open_request(token)
        req = MeasureRequest.objects.select_for_update().get(pk=req.pk)
        if req.used_at is not None:  # the same link sent twice at once
            raise Gone("this link was used already; ask the practice for a new one", "link_used")
        scored = _scored(req.instrument, answers)
        measure = _save(req.client, scored, answers, timezone.localdate(), entered_by=None, request=req)
        req.used_at = timezone.now()
        req.save(update_fields=["used_at"])
        record(
            "confide.measure.answered_by_client",
            actor=None,
            client_id=req.client_id,
            object_type="measure",
            object_id=measure.pk,
            ip=ip,
            detail={"instrument": measure.instrument, "alerts": [a["code"] for a in measure.alerts]},
        )
    return measure


def alerts_for(user: User) -> list[Measure]:
    """Open risk alerts on the charts `user` is the clinician of record of, for the day view."""
    rows = Measure.objects.filter(client__primary_clinician=user, acknowledged_by__isnull=True).exclude(alerts=[])
    return [m for m in rows.select_related("client") if m.open_risk_alert]
