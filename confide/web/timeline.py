"""The chart's timeline: the most recent sessions with their notes, a page at a time, as the chart prints it.

Every chart open reads and prints up to TIMELINE_LIMIT sessions, which makes this the hottest page code in the
product (goal: p95 < 100 ms). So the rows are read as plain values rather than model instances, their text is
put together once here, and each row is turned into markup with every value escaped as the template engine would,
instead of two dozen template lookups, filters and tags per row (bench/web measured the
template loop at more than the database reads behind it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.safestring import SafeString, mark_safe

from confide.clients.models import Client
from confide.notes.models import NoteStatus
from confide.people.models import User
from confide.sessions.models import Service, Setting, Status, TherapySession

TIMELINE_LIMIT = 20  # about five months of weekly sessions per page; "Show earlier sessions" pages further back


@dataclass(frozen=True, slots=True)
class TimelineNote:
    text: str  # "SOAP progress note by Maria Rivera, LCSW"
    status: str
    status_label: str
    late_entry: bool


@dataclass(frozen=True, slots=True)
class TimelineRow:
    url: str
    attendance_url: str
    when: str  # "Mon 3 Nov 2026, 10:00"
    when_short: str  # "3 Nov 2026, 10:00"
    summary: str  # "53 min · Individual psychotherapy · In person"
    byline: str  # "Maria Rivera, LCSW", then " · No-show" when not kept
    codes: str  # "CPT 90837 · billable" for those who see billing, else ""
    kept: bool
    notes: list[TimelineNote]


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    html: SafeString  # the rows as list items, for the chart page and its "Show earlier sessions" partial
    # Set when older sessions exist: the next page starts after this session (its start, then its id, so that
    # sessions starting at the same minute are neither skipped nor shown twice).
    earlier_before: datetime | None = None
    earlier_id: int | None = None

    @property
    def earlier_query(self) -> str:
        """The "Show earlier sessions" link's query string ("" on the last page)."""
        if self.earlier_before is None or self.earlier_id is None:
            return ""
        return "?" + urlencode({"before": self.earlier_before.isoformat(), "before_id": self.earlier_id})


class _PkUrl:
    """`reverse(name, args=[pk])` for many pks: reversed once with a marker, then filled in."""

    MARKER = 987654321987654321

    def __init__(self, name: str) -> None:
        self.prefix, self.suffix = reverse(name, args=[self.MARKER]).split(str(self.MARKER))

    def __call__(self, pk: int) -> str:
        return f"{self.prefix}{int(pk)}{self.suffix}"


def _when(at: datetime) -> str:
    """ "Fri 12/04/2026 3:05 PM" in the practice's time zone and date style (confide/lib/dates.py): the weekday and
    `date:"DATETIME_FORMAT"`, as the other pages print a session's time."""
    local = timezone.localtime(at)
    return dateformat.format(local, "D " + str(formats.get_format("DATETIME_FORMAT")))


_SESSION_FIELDS = (
    "pk",
    "starts_at",
    "ends_at",
    "service",
    "setting",
    "status",
    "cpt_codes",
    "clinician__full_name",
    "clinician__username",
    "clinician__credentials",
)
# The page's notes come in the same statement as its sessions (a LEFT JOIN: a session without a note is one row
# with these empty), ordered by when each was started.
_NOTE_FIELDS = (
    "progress_notes__format",
    "progress_notes__status",
    "progress_notes__late_entry",
    "progress_notes__author__full_name",
    "progress_notes__author__username",
    "progress_notes__author__credentials",
)


def _page(
    client: Client, *, before: datetime | None, before_id: int | None
) -> tuple[list[dict[str, Any]], dict[int, list[TimelineNote]], set[int]]:
    """Up to TIMELINE_LIMIT + 1 sessions, newest first; the notes on each; and which have a signed one (billable
    once kept and signed). One statement: the page's session ids as a subquery, each with its notes joined."""
    # `client` came through visible_client(user, ...): everything here is already inside the user's scope.
    scope = TherapySession.objects.filter(client=client)
    if before is not None and before_id is not None:
        scope = scope.filter(Q(starts_at__lt=before) | Q(starts_at=before, pk__lt=before_id))
    elif before is not None:
        scope = scope.filter(starts_at__lt=before)
    page_ids = scope.order_by("-starts_at", "-pk").values("pk")[: TIMELINE_LIMIT + 1]
    rows = (
        TherapySession.objects.filter(pk__in=page_ids)
        .order_by("-starts_at", "-pk", "progress_notes__created_at", "progress_notes__pk")
        .values(*_SESSION_FIELDS, *_NOTE_FIELDS)
    )
    sessions: dict[int, dict[str, Any]] = {}
    notes: dict[int, list[TimelineNote]] = {}
    signed: set[int] = set()
    for r in rows:
        pk = r["pk"]
        if pk not in sessions:
            sessions[pk], notes[pk] = r, []
        status = r["progress_notes__status"]
        if status is None:
            continue  # no note on this session
        if status == NoteStatus.SIGNED:
            signed.add(pk)
        author = User.display_name_of(
            r["progress_notes__author__full_name"],
            r["progress_notes__author__username"],
            r["progress_notes__author__credentials"],
        )
        notes[pk].append(
            TimelineNote(
                text=f"{r['progress_notes__format']} progress note by {author}",
                status=status,
                status_label=NoteStatus(status).label,
                late_entry=r["progress_notes__late_entry"],
            )
        )
    return list(sessions.values()), notes, signed


def _row(
    s: dict[str, Any], notes: list[TimelineNote], *, billing: bool, signed: bool, urls: tuple[_PkUrl, _PkUrl]
) -> TimelineRow:
    when = _when(s["starts_at"])
    minutes = TherapySession.minutes_between(s["starts_at"], s["ends_at"])
    byline = User.display_name_of(s["clinician__full_name"], s["clinician__username"], s["clinician__credentials"])
    if s["status"] != Status.KEPT:
        byline += f" · {Status(s['status']).label}"
    codes = ""
    if billing:
        codes = f"CPT {', '.join(s['cpt_codes']) or '—'}"
        if TherapySession.billable_when(s["status"], signed):
            codes += " · billable"
    return TimelineRow(
        url=urls[0](s["pk"]),
        attendance_url=urls[1](s["pk"]),
        when=when,
        when_short=when.split(" ", 1)[1],
        summary=f"{minutes} min · {Service(s['service']).label} · {Setting(s['setting']).label}",
        byline=byline,
        codes=codes,
        kept=s["status"] == Status.KEPT,
        notes=notes,
    )


_NO_NOTE = '<li class="muted">No progress note yet.</li>'
_LATE = ' <span class="badge badge-late">Late entry</span>'


def _row_html(row: TimelineRow, *, schedules: bool, narrative: bool) -> str:
    """One row's markup. Every value passes through `escape` (the standard library's, quotes included: what
    Django's autoescape does); the literal markup is ours. Plain f-strings, because format_html's per-argument
    machinery cost more than the rest of the row (bench/web)."""
    e = escape
    attendance = ""
    if schedules:
        attendance = (
            f' · <a href="{e(row.attendance_url)}">Attendance'
            f'<span class="visually-hidden"> for {e(row.when_short)}</span></a>'
        )
    notes = ""
    if narrative:
        items = "".join(
            f'<li>{e(n.text)} <span class="badge badge-{e(n.status)}">{e(n.status_label)}</span>'
            f"{_LATE if n.late_entry else ''}</li>"
            for n in row.notes
        )
        notes = f'<ul class="notes">{items or (_NO_NOTE if row.kept else "")}</ul>'
    codes = f" · {e(row.codes)}" if row.codes else ""
    return (
        f'<li class="timeline-session">\n<div><a class="when" href="{e(row.url)}">{e(row.when)}</a> '
        f'<span class="muted">· {e(row.summary)}</span></div>\n'
        f'<div class="muted">{e(row.byline)}{attendance}{codes}</div>\n{notes}\n</li>\n'
    )


def timeline(
    client: Client,
    *,
    narrative: bool,
    billing: bool,
    schedules: bool,
    before: datetime | None = None,
    before_id: int | None = None,
) -> Timeline:
    """A page of the timeline for a user who may open `client`'s chart, with what their role may see: clinicians
    the notes (format, author, status; never the narrative itself), clinicians and billers the codes, clinicians and
    the front desk the attendance link."""
    page, notes, signed = _page(client, before=before, before_id=before_id)
    sessions = page[:TIMELINE_LIMIT]
    urls = (_PkUrl("web:session"), _PkUrl("web:office_session"))
    rows = [
        _row(s, notes[s["pk"]] if narrative else [], billing=billing, signed=s["pk"] in signed, urls=urls)
        for s in sessions
    ]
    # Every value in a row was escaped by _row_html; the rest is our literal markup.
    html = mark_safe("".join(_row_html(r, schedules=schedules, narrative=narrative) for r in rows))  # noqa: S308
    if len(page) <= TIMELINE_LIMIT:
        return Timeline(rows, html)
    return Timeline(rows, html, sessions[-1]["starts_at"], sessions[-1]["pk"])
