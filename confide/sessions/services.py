"""Scheduling and recording sessions: one door, audited; CPT codes follow from service and minutes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from confide.access import require
from confide.audit.services import record
from confide.clients.models import Client
from confide.lib.errors import Forbidden, NotFound, RuleViolation
from confide.lib.text import EARLIEST_DAY, LATEST_DAY, sane_day
from confide.people.models import Role, User
from confide.sessions.cpt import cpt_codes
from confide.sessions.models import Service, Setting, Status, TherapySession


def _validate(service: str, setting: str, starts_at: datetime, ends_at: datetime) -> int:
    if service not in Service.values:
        raise RuleViolation(f"service must be one of {', '.join(Service.values)}", "invalid_service")
    if setting not in Setting.values:
        raise RuleViolation(f"setting must be one of {', '.join(Setting.values)}", "invalid_setting")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise RuleViolation("times need a UTC offset", "naive_time")
    if not (sane_day(starts_at.date()) and sane_day(ends_at.date())):
        # Checked before any comparison: comparing year 1 at +14:00 converts it to UTC, an OverflowError.
        raise RuleViolation(f"sessions are dated {EARLIEST_DAY.year} to {LATEST_DAY.year}", "invalid_times")
    if ends_at <= starts_at:
        raise RuleViolation("a session ends after it starts", "invalid_times")
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    if minutes > 8 * 60:
        raise RuleViolation("a session longer than 8 hours is not plausible", "invalid_times")
    return minutes


@transaction.atomic
def schedule_session(
    *,
    actor: User,
    client: Client,
    clinician_id: int,
    starts_at: datetime,
    ends_at: datetime,
    service: str,
    setting: str,
    status: str = Status.KEPT,
    participants: list[str] | None = None,
) -> TherapySession:
    require(actor, "session.schedule", client)
    minutes = _validate(service, setting, starts_at, ends_at)
    if status not in Status.values:
        raise RuleViolation(f"status must be one of {', '.join(Status.values)}", "invalid_status")
    clinician = User.objects.filter(pk=clinician_id, role=Role.CLINICIAN, is_active=True).first()
    if clinician is None:
        raise RuleViolation("no active clinician has that id", "invalid_clinician")
    if actor.role == Role.CLINICIAN and clinician.pk != actor.pk and clinician.supervisor_id != actor.pk:
        raise Forbidden("clinicians schedule their own sessions")
    cpt = cpt_codes(service, minutes, status=status)
    session = TherapySession.objects.create(
        client=client,
        clinician=clinician,
        starts_at=starts_at,
        ends_at=ends_at,
        service=service,
        setting=setting,
        status=status,
        participants=participants or [],
        cpt_codes=cpt.codes,
        cpt_flag=cpt.flag or "",
    )
    record(
        "confide.session.scheduled",
        actor=actor,
        client_id=client.pk,
        object_type="session",
        object_id=session.pk,
        detail={"service": service, "cpt_codes": cpt.codes},
    )
    return session


@transaction.atomic
def update_session(*, actor: User, session: TherapySession, **changes: Any) -> TherapySession:
    """Correct times, service, setting, status or participants; the codes are derived again (a no-show loses them)."""
    require(actor, "session.attendance", session)
    if session.progress_notes.filter(status="signed").exists() and ({"starts_at", "ends_at", "service"} & set(changes)):
        raise RuleViolation("a session with a signed note keeps its times and service", "note_signed")
    for name, value in changes.items():
        setattr(session, name, value)
    minutes = _validate(session.service, session.setting, session.starts_at, session.ends_at)
    if session.status not in Status.values:
        raise RuleViolation(f"status must be one of {', '.join(Status.values)}", "invalid_status")
    cpt = cpt_codes(session.service, minutes, status=session.status)
    session.cpt_codes, session.cpt_flag = cpt.codes, cpt.flag or ""
    session.save()
    record(
        "confide.session.updated",
        actor=actor,
        client_id=session.client_id,
        object_type="session",
        object_id=session.pk,
        detail={"fields": sorted(changes)},
    )
    return session


def visible_session(user: User, session_id: int) -> TherapySession:
    session = TherapySession.objects.visible_to(user).select_related("client", "clinician").filter(pk=session_id)
    found = session.first()
    if found is None:
        raise NotFound("no such session")
    return found
