"""What a calendar page shows: whose sessions, over which days, with their status, note state and overlap flag.

Plain functions the web pages call (confide/web/calendar_views.py) and tests call directly. Everything starts from
`TherapySession.objects.visible_to(actor)`; a clinician's calendar is narrowed to their own sessions and their
supervisees', the front desk's covers every clinician. No note content is read: only whether a note exists and its
state, and only for a clinician (the front desk's calendar is the schedule: status, not documentation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from confide.access import Rel, rule
from confide.audit.services import record
from confide.clients.models import Client
from confide.people.models import Role, User
from confide.sessions.models import TherapySession


class View(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


NOTE_STATES = {
    "none": "No note",
    "draft": "Note: draft",
    "awaiting_cosign": "Note: awaiting co-signature",
    "signed": "Note: signed",
}
# Enough for a busy practice's month; a page never loads an unbounded list.
SESSION_LIMIT = 2000


def sees_every_clinician(actor: User) -> bool:
    """The front desk sees every clinician's calendar (the policy's ANYONE grant of `calendar.view`)."""
    return Rel.ANYONE in rule("calendar.view").relations_for(actor.role)


def calendar_clinicians(actor: User) -> QuerySet[User]:
    """Whose calendars the actor may look at: every active clinician, or oneself and one's supervisees."""
    clinicians = User.objects.filter(role=Role.CLINICIAN, is_active=True)
    if not sees_every_clinician(actor):
        clinicians = clinicians.filter(Q(pk=actor.pk) | Q(supervisor=actor))
    return clinicians.order_by("full_name")


def schedulable_clients(actor: User, today: date | None = None) -> QuerySet[Client]:
    """The clients a new session may be booked for: those the actor may see and not discharged (Client.discharged_on
    on or before today)."""
    today = today or timezone.localdate()
    return Client.objects.visible_to(actor).exclude(discharged_on__lte=today).order_by("last_name", "first_name")


def span(view: View, day: date) -> tuple[date, date]:
    """The first day shown and the day after the last: the day; Monday to Sunday; the weeks covering the month."""
    if view is View.DAY:
        return day, day + timedelta(days=1)
    if view is View.WEEK:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=7)
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    end = following + timedelta(days=(7 - following.weekday()) % 7)
    return start, end


def step(view: View, day: date, direction: int) -> date:
    """The same view one step earlier (-1) or later (+1)."""
    if view is View.DAY:
        return day + timedelta(days=direction)
    if view is View.WEEK:
        return day + timedelta(weeks=direction)
    first = day.replace(day=1)
    if direction < 0:
        return (first - timedelta(days=1)).replace(day=1)
    return (first + timedelta(days=32)).replace(day=1)


@dataclass
class Entry:
    """One session as a calendar shows it."""

    session: TherapySession
    note_state: str | None  # None: not shown to this reader
    double_booked: bool

    @property
    def note_label(self) -> str:
        return NOTE_STATES.get(self.note_state or "", "")


@dataclass
class Day:
    day: date
    entries: list[Entry] = field(default_factory=list)
    in_month: bool = True
    is_today: bool = False


@dataclass
class Calendar:
    view: View
    day: date
    start: date
    end: date
    days: list[Day]
    clinicians: list[User]
    clinician: User | None  # the one chosen, or None for all the actor may see
    shows_notes: bool
    previous: date
    following: date
    today: date

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    @property
    def count(self) -> int:
        return sum(len(d.entries) for d in self.days)

    @property
    def double_bookings(self) -> int:
        return sum(1 for d in self.days for e in d.entries if e.double_booked)


def _note_state_annotations(sessions: QuerySet[TherapySession]) -> QuerySet[TherapySession]:
    from confide.notes.models import NoteStatus, ProgressNote

    def has(status: str) -> Exists:
        return Exists(ProgressNote.objects.filter(session=OuterRef("pk"), status=status))

    return sessions.annotate(
        note_signed=has(NoteStatus.SIGNED),
        note_awaiting=has(NoteStatus.AWAITING_COSIGN),
        note_draft=has(NoteStatus.DRAFT),
    )


def _note_state(session: TherapySession) -> str:
    if getattr(session, "note_signed", False):
        return "signed"
    if getattr(session, "note_awaiting", False):
        return "awaiting_cosign"
    if getattr(session, "note_draft", False):
        return "draft"
    return "none"


def calendar_sessions(actor: User, start: date, end: date, clinician_id: int | None = None) -> QuerySet[TherapySession]:
    """The sessions from `start` to the day before `end` (practice time) the actor's calendar holds."""
    zone = timezone.get_default_timezone()
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()), zone)
    until = timezone.make_aware(datetime.combine(end, datetime.min.time()), zone)
    clinicians = calendar_clinicians(actor)
    if clinician_id is not None:
        clinicians = clinicians.filter(pk=clinician_id)
    return (
        TherapySession.objects.visible_to(actor)
        .filter(clinician__in=clinicians, starts_at__gte=since, starts_at__lt=until)
        .not_discharged(timezone.now())
        .with_overlap_flag()
        .select_related("client", "clinician", "series")
        .order_by("starts_at", "clinician__full_name")
    )


def build(actor: User, view: View, day: date, clinician_id: int | None = None) -> Calendar:
    """The calendar page's content, audited as one read that names no client."""
    today = timezone.localdate()
    start, end = span(view, day)
    clinicians = list(calendar_clinicians(actor))
    chosen = next((c for c in clinicians if c.pk == clinician_id), None)
    shows_notes = actor.is_clinician
    sessions = calendar_sessions(actor, start, end, chosen.pk if chosen else None)
    if shows_notes:
        sessions = _note_state_annotations(sessions)
    days = {start + timedelta(days=n): Day(start + timedelta(days=n)) for n in range((end - start).days)}
    for d in days.values():
        d.in_month = view is not View.MONTH or d.day.month == day.month
        d.is_today = d.day == today
    for session in sessions[:SESSION_LIMIT]:
        local_day = timezone.localtime(session.starts_at).date()
        if local_day in days:
            state = _note_state(session) if shows_notes else None
            days[local_day].entries.append(Entry(session, state, bool(getattr(session, "double_booked", False))))
    calendar = Calendar(
        view=view,
        day=day,
        start=start,
        end=end,
        days=list(days.values()),
        clinicians=clinicians,
        clinician=chosen,
        shows_notes=shows_notes,
        previous=step(view, day, -1),
        following=step(view, day, 1),
        today=today,
    )
    record("confide.calendar.viewed", actor=actor, detail={"view": view.value, "sessions": calendar.count})
    return calendar


def ics_feed(clinician: User, sessions: list[TherapySession], *, client_names: bool, host: str) -> str:
    """RFC 5545 text for a clinician's feed. Without `client_names` a session is "Client session (A. M.)".

    Written by hand (the `icalendar` package is not installed): CRLF line ends, TEXT escaping, lines folded at 75
    octets, times in UTC."""
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Confide//Calendar feed//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape('Confide sessions')}",
    ]
    for session in sessions:
        client = session.client
        who = client.name if client_names else initials_of(client)
        summary = f"Client session ({who})" if who else "Client session"
        status = "CANCELLED" if session.status == "cancelled" else "CONFIRMED"
        description = (
            f"{session.get_service_display()} · {session.get_setting_display()} · {session.get_status_display()}"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.pk}@{_escape(host)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(session.starts_at)}",
            f"DTEND:{_utc(session.ends_at)}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            f"STATUS:{status}",
            "TRANSP:OPAQUE",
        ]
        if session.telehealth_link:
            lines.append(f"URL:{session.telehealth_link}")
            lines.append(f"LOCATION:{_escape('Telehealth')}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def initials_of(client: Client) -> str:
    parts = [p for p in (client.first_name, client.last_name) if p]
    return " ".join(f"{p[0].upper()}." for p in parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon and comma escaped, newlines as \\n; other control characters
    dropped (a calendar line cannot carry them)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return "".join(c for c in text if c == "\t" or (ord(c) >= 0x20 and ord(c) != 0x7F))


def _fold(line: str) -> str:
    """Fold at 75 octets (RFC 5545 3.1), never inside a UTF-8 character: continuation lines start with a space."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, 74  # the leading space counts towards the next line's 75
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)
