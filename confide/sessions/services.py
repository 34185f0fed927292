"""Scheduling and recording sessions: one door, audited; CPT codes follow from service and minutes."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from confide.access import require
from confide.audit.services import record
from confide.clients.models import Client
from confide.lib.errors import Conflict, Forbidden, NotFound, RuleViolation
from confide.lib.text import EARLIEST_DAY, LATEST_DAY, sane_day
from confide.people.models import Role, User
from confide.sessions import recurrence
from confide.sessions.cpt import cpt_codes
from confide.sessions.models import CalendarFeed, Service, SessionSeries, Setting, Status, TherapySession


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


def _check_link(link: str) -> str:
    """A telehealth link is an https address (the video room), or empty."""
    link = link.strip()
    if not link:
        return ""
    if len(link) > 500 or not link.lower().startswith("https://"):
        raise RuleViolation("a telehealth link is an https:// address of at most 500 characters", "invalid_link")
    try:
        URLValidator(schemes=["https"])(link)
    except ValidationError:
        raise RuleViolation("the telehealth link is not a web address", "invalid_link") from None
    return link


def _check_not_discharged(client: Client, starts_at: datetime) -> None:
    """A discharged client is offered no new session after the discharge (another episode re-admits them)."""
    if client.discharged_on is not None and timezone.localtime(starts_at).date() > client.discharged_on:
        raise RuleViolation("the client was discharged; a new session needs them re-admitted", "client_discharged")


def overlaps(
    *, clinician_id: int, client_id: int, starts_at: datetime, ends_at: datetime, exclude_ids: tuple[int, ...] = ()
) -> list[TherapySession]:
    """Booked sessions of this clinician or this client that overlap [starts_at, ends_at), earliest first.

    A plain function for every page that warns or flags (the calendar, the scheduling forms, the day view)."""
    return list(
        TherapySession.objects.booked()
        .between(starts_at, ends_at)
        .filter(Q(clinician_id=clinician_id) | Q(client_id=client_id))
        .exclude(pk__in=exclude_ids)
        .order_by("starts_at")[:20]
    )


def is_double_booked(session: TherapySession) -> bool:
    """Whether another booked session overlaps this one (the flag `TherapySession.objects.with_overlap_flag()` puts
    on every page's sessions), for a page that shows one session."""
    flagged = TherapySession.objects.with_overlap_flag().filter(pk=session.pk).only("pk").first()
    return bool(getattr(flagged, "double_booked", False))


def describe_overlaps(clashes: list[TherapySession], *, clinician_id: int, client_id: int) -> str:
    """A warning that names no other client: 'The clinician already has a session on Fri 4 Dec, 10:00-10:50.'"""
    parts = []
    for clash in clashes:
        when = timezone.localtime(clash.starts_at)
        span = f"{when:%a %-d %b}, {when:%H:%M}-{timezone.localtime(clash.ends_at):%H:%M}"
        if clash.clinician_id == clinician_id and clash.client_id == client_id:
            parts.append(f"this client already has a session with this clinician on {span}")
        elif clash.clinician_id == clinician_id:
            parts.append(f"the clinician already has a session on {span}")
        else:
            parts.append(f"the client already has a session with another clinician on {span}")
    text = "; ".join(dict.fromkeys(parts))
    return f"Double booking: {text}. Confirm to book it anyway."


def _refuse_unconfirmed_overlap(
    clashes: list[TherapySession], *, clinician_id: int, client_id: int, confirm_overlap: bool | None
) -> bool:
    """Whether the booking overlaps; raise Conflict('overlap') when it does and the scheduler has not confirmed.
    `confirm_overlap=None` is a record of what happened (the API without the field, the seed): no check."""
    if clashes and confirm_overlap is False:
        raise Conflict(describe_overlaps(clashes, clinician_id=clinician_id, client_id=client_id), "overlap")
    return bool(clashes) and confirm_overlap is True


def _schedulable_clinician(actor: User, clinician_id: int) -> User:
    clinician = User.objects.filter(pk=clinician_id, role=Role.CLINICIAN, is_active=True).first()
    if clinician is None:
        raise RuleViolation("no active clinician has that id", "invalid_clinician")
    if actor.role == Role.CLINICIAN and clinician.pk != actor.pk and clinician.supervisor_id != actor.pk:
        raise Forbidden("clinicians schedule their own sessions")
    return clinician


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
    telehealth_link: str = "",
    confirm_overlap: bool | None = None,
    series: SessionSeries | None = None,
) -> TherapySession:
    """Book one session. `confirm_overlap`: False refuses a double booking (Conflict 'overlap'), True books it and
    marks it confirmed, None (a record of what happened) does not check."""
    require(actor, "session.schedule", client)
    minutes = _validate(service, setting, starts_at, ends_at)
    if status not in Status.values:
        raise RuleViolation(f"status must be one of {', '.join(Status.values)}", "invalid_status")
    clinician = _schedulable_clinician(actor, clinician_id)
    _check_not_discharged(client, starts_at)
    telehealth_link = _check_link(telehealth_link)
    confirmed = False
    if status != Status.CANCELLED and confirm_overlap is not None:
        clashes = overlaps(clinician_id=clinician.pk, client_id=client.pk, starts_at=starts_at, ends_at=ends_at)
        confirmed = _refuse_unconfirmed_overlap(
            clashes, clinician_id=clinician.pk, client_id=client.pk, confirm_overlap=confirm_overlap
        )
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
        telehealth_link=telehealth_link,
        series=series,
        overlap_confirmed=confirmed,
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


@transaction.atomic
def schedule_series(
    *,
    actor: User,
    client: Client,
    clinician_id: int,
    rule: recurrence.Rule,
    starts: time,
    minutes: int,
    service: str,
    setting: str,
    participants: list[str] | None = None,
    telehealth_link: str = "",
    confirm_overlap: bool = False,
) -> tuple[SessionSeries, list[TherapySession]]:
    """Book a recurring series: every occurrence a scheduled session, all or none. A double booking of any
    occurrence is refused (naming each) unless confirmed."""
    require(actor, "session.schedule", client)
    clinician = _schedulable_clinician(actor, clinician_id)
    spans = recurrence.occurrences(rule, starts, minutes)
    for starts_at, ends_at in spans:
        _validate(service, setting, starts_at, ends_at)
        _check_not_discharged(client, starts_at)
    clashes = [
        clash
        for starts_at, ends_at in spans
        for clash in overlaps(clinician_id=clinician.pk, client_id=client.pk, starts_at=starts_at, ends_at=ends_at)
    ]
    _refuse_unconfirmed_overlap(
        clashes, clinician_id=clinician.pk, client_id=client.pk, confirm_overlap=confirm_overlap
    )
    series = SessionSeries.objects.create(
        client=client,
        clinician=clinician,
        interval_weeks=rule.interval_weeks,
        first_day=rule.first_day,
        count=rule.count,
        until=rule.until,
        created_by=actor,
    )
    sessions = [
        schedule_session(
            actor=actor,
            client=client,
            clinician_id=clinician.pk,
            starts_at=starts_at,
            ends_at=ends_at,
            service=service,
            setting=setting,
            status=Status.SCHEDULED,
            participants=participants,
            telehealth_link=telehealth_link,
            confirm_overlap=True,  # checked above, all occurrences at once
            series=series,
        )
        for starts_at, ends_at in spans
    ]
    return series, sessions


def _changeable(session: TherapySession, what: str) -> None:
    if session.status == Status.CANCELLED:
        raise Conflict(f"a cancelled session cannot be {what}", "session_cancelled")
    if session.progress_notes.filter(status="signed").exists():
        raise RuleViolation("a session with a signed note keeps its times and service", "note_signed")


@transaction.atomic
def move_session(
    *, actor: User, session: TherapySession, starts_at: datetime, ends_at: datetime, confirm_overlap: bool = False
) -> TherapySession:
    """Move one session (one occurrence of a series: the others stay where they are)."""
    require(actor, "session.attendance", session)
    _changeable(session, "moved")
    minutes = _validate(session.service, session.setting, starts_at, ends_at)
    _check_not_discharged(session.client, starts_at)
    clashes = overlaps(
        clinician_id=session.clinician_id,
        client_id=session.client_id,
        starts_at=starts_at,
        ends_at=ends_at,
        exclude_ids=(session.pk,),
    )
    confirmed = _refuse_unconfirmed_overlap(
        clashes, clinician_id=session.clinician_id, client_id=session.client_id, confirm_overlap=confirm_overlap
    )
    cpt = cpt_codes(session.service, minutes, status=session.status)
    session.starts_at, session.ends_at, session.overlap_confirmed = starts_at, ends_at, confirmed
    session.cpt_codes, session.cpt_flag = cpt.codes, cpt.flag or ""
    session.save(update_fields=["starts_at", "ends_at", "overlap_confirmed", "cpt_codes", "cpt_flag"])
    _record_update(actor, session, ["ends_at", "starts_at"])
    return session


@transaction.atomic
def cancel_session(*, actor: User, session: TherapySession, reason: str) -> TherapySession:
    """Cancel one session (or skip one occurrence of a series) with a reason. The reason is the office's words about
    the booking ("client ill", "holiday"); it stays on the session, never in the audit log."""
    require(actor, "session.attendance", session)
    reason = " ".join(reason.split())
    if not reason:
        raise RuleViolation("say why the session is cancelled", "reason_required")
    if len(reason) > 200:
        raise RuleViolation("a cancellation reason is at most 200 characters", "reason_too_long")
    _changeable(session, "cancelled again")
    if session.progress_notes.exists():
        raise RuleViolation("a session with a progress note was held; record its attendance instead", "has_note")
    session.status, session.cancel_reason = Status.CANCELLED, reason
    cpt = cpt_codes(session.service, session.duration_minutes, status=session.status)
    session.cpt_codes, session.cpt_flag = cpt.codes, cpt.flag or ""
    session.save(update_fields=["status", "cancel_reason", "cpt_codes", "cpt_flag"])
    _record_update(actor, session, ["cancel_reason", "status"])
    return session


@transaction.atomic
def set_telehealth_link(*, actor: User, session: TherapySession, link: str) -> TherapySession:
    require(actor, "session.attendance", session)
    session.telehealth_link = _check_link(link)
    session.save(update_fields=["telehealth_link"])
    _record_update(actor, session, ["telehealth_link"])
    return session


# --- The clinician's .ics feed --------------------------------------------------------------------------------------

FEED_SALT = "confide.sessions.calendar_feed"  # this key opens the feed and nothing else


def _token_of(nonce: str) -> str:
    return salted_hmac(FEED_SALT, nonce, algorithm="sha256").hexdigest()


def _new_nonce(feed: CalendarFeed) -> str:
    feed.nonce = secrets.token_hex(32)
    token = _token_of(feed.nonce)
    feed.token_sha256 = CalendarFeed.digest(token)
    return token


def feed_token(clinician: User) -> str | None:
    """The clinician's current feed token, or None before they turned the feed on."""
    feed = CalendarFeed.objects.filter(clinician=clinician).first()
    return None if feed is None else _token_of(feed.nonce)


@transaction.atomic
def rotate_feed(*, actor: User) -> str:
    """Turn the actor's feed on, or give it a new address (the old one stops working at once)."""
    require(actor, "account.self", actor)  # one's own feed, like one's own password
    if not actor.is_clinician:
        raise Forbidden("calendar feeds are for clinicians")
    feed = CalendarFeed.objects.select_for_update().filter(clinician=actor).first() or CalendarFeed(clinician=actor)
    token = _new_nonce(feed)
    feed.save()
    record("confide.calendar.feed_rotated", actor=actor, object_type="user", object_id=actor.pk)
    return token


@transaction.atomic
def turn_feed_off(*, actor: User) -> None:
    deleted, _ = CalendarFeed.objects.filter(clinician=actor).delete()
    if deleted:
        record(
            "confide.calendar.feed_rotated", actor=actor, object_type="user", object_id=actor.pk, detail={"off": True}
        )


def clinician_for_feed(token: str) -> User | None:
    """The active clinician whose feed this token opens, or None (an unknown, rotated or malformed token)."""
    if not (len(token) == 64 and all(c in "0123456789abcdef" for c in token)):
        return None
    feed = CalendarFeed.objects.select_related("clinician").filter(token_sha256=CalendarFeed.digest(token)).first()
    if feed is None or not secrets.compare_digest(_token_of(feed.nonce), token):
        return None
    clinician = feed.clinician
    return clinician if clinician.is_active and clinician.is_clinician else None


# A feed reaches a month back (what was just held) and half a year ahead: what a phone's calendar needs.
FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=183)


def feed_sessions(clinician: User, *, now: datetime | None = None) -> list[TherapySession]:
    """The clinician's own sessions for their feed, and audit the fetch (a count, never a client)."""
    now = now or timezone.now()
    sessions = list(
        TherapySession.objects.filter(clinician=clinician)
        .between(now - FEED_PAST, now + FEED_AHEAD)
        .not_discharged(now)
        .select_related("client")
        .order_by("starts_at")[:2000]
    )
    record(
        "confide.calendar.feed_fetched",
        actor=clinician,
        object_type="user",
        object_id=clinician.pk,
        detail={"events": len(sessions)},
    )
    return sessions


def _record_update(actor: User, session: TherapySession, fields: list[str]) -> None:
    """One audit entry for a change to a booking: which fields changed, never their values."""
    record(
        "confide.session.updated",
        actor=actor,
        client_id=session.client_id,
        object_type="session",
        object_id=session.pk,
        detail={"fields": fields},
    )
