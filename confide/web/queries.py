"""Read-only selections the pages show, each starting from a `visible_to(user)` scope (docs/architecture.md).

Views stay about HTTP: the loops and second queries a page needs live here, named for what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe

from confide.access import Rel, can, permits, relations
from confide.access.policy import TREATING
from confide.clients.models import BreakGlassAccess, CareTeamMember, Client, ExternalContact
from confide.notes.models import Addendum, NoteStatus, ProgressNote
from confide.people.models import Role, User
from confide.plans.models import Diagnosis, TreatmentPlan
from confide.plans.services import current_plan
from confide.sessions.models import Status, TherapySession
from confide.web.timeline import Timeline, timeline

# How many sessions a chart's timeline shows before "older sessions" (a long course of care runs to hundreds).
BILLING_LIMIT = 200


def _notes_prefetch(user: User) -> Prefetch[Any]:
    # The day view shows format, author and status: leave the narrative (JSON sections, risk) in the database.
    notes = (
        ProgressNote.objects.visible_to(user)
        .select_related("author")
        .only("id", "session_id", "format", "status", "late_entry", "author__full_name", "author__credentials")
        .order_by("created_at")
    )
    return Prefetch("progress_notes", queryset=notes, to_attr="visible_notes")


def note_deadline() -> timedelta:
    return timedelta(hours=settings.NOTE_LATE_ENTRY_HOURS)


@dataclass
class ClinicianDay:
    today: date
    sessions: list[TherapySession]
    unsigned: list[ProgressNote]
    overdue: list[ProgressNote]
    awaiting_note: list[TherapySession]
    cosign_queue: list[ProgressNote]
    returned: list[ProgressNote] = field(default_factory=list)
    break_glass: list[BreakGlassAccess] = field(default_factory=list)  # others' emergency openings of my charts


def clinician_day(user: User) -> ClinicianDay:
    today = timezone.localdate()
    now = timezone.now()
    sessions = list(
        TherapySession.objects.visible_to(user)
        .filter(clinician=user)
        .on_day(today)
        .select_related("client")
        .prefetch_related(_notes_prefetch(user))
        .order_by("starts_at")
    )
    mine = ProgressNote.objects.visible_to(user).by_author(user).unsigned().select_related("session", "client")
    unsigned = list(mine.order_by("session__starts_at"))
    overdue = [n for n in unsigned if n.session.ends_at < now - note_deadline()]
    returned = [n for n in unsigned if n.status == NoteStatus.DRAFT and n.return_comment]
    awaiting_note = list(
        TherapySession.objects.visible_to(user)
        .filter(clinician=user, status=Status.KEPT, ends_at__lt=now, progress_notes__isnull=True)
        .select_related("client")
        .order_by("starts_at")[:50]
    )
    cosign_queue = list(
        ProgressNote.objects.visible_to(user)
        .awaiting_cosign_by(user)
        .select_related("session", "client", "author")
        .order_by("signed_at")
    )
    return ClinicianDay(
        today, sessions, unsigned, overdue, awaiting_note, cosign_queue, returned, break_glass_of_my_clients(user)
    )


BREAK_GLASS_NOTICE_DAYS = 14


def break_glass_of_my_clients(user: User) -> list[BreakGlassAccess]:
    """Other clinicians' break-the-glass openings of this clinician's clients, over the last two weeks."""
    since = timezone.now() - timedelta(days=BREAK_GLASS_NOTICE_DAYS)
    return list(
        BreakGlassAccess.objects.filter(client__primary_clinician=user, started_at__gte=since)
        .exclude(clinician=user)
        .select_related("client", "clinician")
        .order_by("-started_at")[:50]
    )


def break_glass_report(limit: int = 500) -> list[BreakGlassAccess]:
    """Every break-the-glass opening, newest first, for the practice's administrator."""
    return list(BreakGlassAccess.objects.select_related("client", "clinician").order_by("-started_at")[:limit])


@dataclass(frozen=True)
class ScheduleDay:
    """One day of the practice's schedule, and the days either side for the page's previous/next links."""

    day: date
    sessions: list[TherapySession]
    is_today: bool
    previous: date
    following: date


def schedule_for_day(user: User, day: date) -> ScheduleDay:
    """The practice's schedule (front desk): who, when, with whom. No note content."""
    sessions = list(
        TherapySession.objects.visible_to(user).on_day(day).select_related("client", "clinician").order_by("starts_at")
    )
    one_day = timedelta(days=1)
    return ScheduleDay(day, sessions, day == timezone.localdate(), day - one_day, day + one_day)


def billing_sessions(user: User) -> list[TherapySession]:
    """Dates, codes, diagnoses and the billable flag; never narrative (164.502(b) minimum necessary)."""
    diagnoses = Diagnosis.objects.filter(resolved_on__isnull=True)
    return list(
        TherapySession.objects.visible_to(user)
        .with_signed_note()
        .select_related("client", "clinician")
        .prefetch_related(Prefetch("client__diagnoses", queryset=diagnoses, to_attr="open_diagnoses"))
        .order_by("-starts_at")[:BILLING_LIMIT]
    )


def search_clients(user: User, query: str) -> QuerySet[Client]:
    clients = Client.objects.visible_to(user)
    return _matching(clients, query)


def outside_matches(user: User, query: str) -> list[Client]:
    """For a clinician: charts matching the search that are outside reach, offered only for break-the-glass."""
    if not can(user, "break_glass.open") or len(query.strip()) < 2:
        return []
    visible = Client.objects.visible_to(user).values("pk")
    return list(_matching(Client.objects.exclude(pk__in=visible), query)[:10])


def _matching(clients: QuerySet[Client], query: str) -> QuerySet[Client]:
    for word in query.split()[:4]:
        clients = clients.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(preferred_name__icontains=word)
        )
    return clients


@dataclass
class Chart:
    client: Client
    narrative: bool
    billing: bool
    timeline: Timeline
    diagnoses: list[Diagnosis]
    plan: TreatmentPlan | None
    care_team: list[CareTeamMember]
    contacts: list[ExternalContact]
    schedules: bool = False  # may schedule sessions and record attendance (clinicians and front desk)
    break_glass_until: Any = None


def chart(
    user: User,
    client: Client,
    *,
    before: datetime | None = None,
    before_id: int | None = None,
    timeline_only: bool = False,
) -> Chart:
    """What this user may see of the chart: clinicians the narrative; billers codes and diagnoses; front desk
    demographics and schedule; administrators the header only. `before`/`before_id` page the timeline back;
    `timeline_only` is for the "Show earlier sessions" partial, whose page already shows the rest of the chart."""
    have = relations(user, client)  # one statement; every decision on the page reads it
    narrative = permits(user, "note.list", have)
    billing = permits(user, "diagnosis.list", have)
    schedules = permits(user, "session.schedule", have)
    if permits(user, "session.list", have):
        sessions = timeline(
            client, narrative=narrative, billing=billing, schedules=schedules, before=before, before_id=before_id
        )
    else:
        sessions = Timeline([], mark_safe(""))
    if timeline_only:
        return Chart(client, narrative, billing, sessions, [], None, [], [], schedules)
    care_team = list(client.care_team.select_related("clinician"))
    until = None
    if Rel.BREAK_GLASS in have and not have & TREATING:  # break-the-glass: read only, and say until when
        grant = client.break_glass.filter(clinician=user, expires_at__gt=timezone.now()).order_by("-expires_at")
        first = grant.first()
        until = first.expires_at if first else None
    return Chart(
        client=client,
        narrative=narrative,
        billing=billing,
        timeline=sessions,
        diagnoses=list(client.diagnoses.all()) if billing else [],
        plan=current_plan(client) if narrative else None,
        care_team=care_team,
        contacts=list(client.contacts.all()),
        schedules=schedules,
        break_glass_until=until,
    )


@dataclass
class SessionNotes:
    notes: list[ProgressNote]
    my_draft: ProgressNote | None


def session_notes(user: User, session: TherapySession) -> SessionNotes:
    notes = list(
        ProgressNote.objects.visible_to(user)
        .filter(session=session)
        .select_related("author", "signed_by", "cosigned_by", "author__supervisor")
        .prefetch_related(
            "objectives",
            Prefetch("addenda", queryset=Addendum.objects.select_related("author").order_by("created_at")),
        )
        .order_by("created_at")
    )
    draft = next((n for n in notes if n.author_id == user.pk and n.status == NoteStatus.DRAFT), None)
    return SessionNotes(notes=notes, my_draft=draft)


def plan_objectives(client: Client) -> list[tuple[str, list[Any]]]:
    """The current plan's objectives grouped by goal, for the note editor's "objectives addressed" checkboxes."""
    plan = current_plan(client)
    if plan is None:
        return []
    groups: list[tuple[str, list[Any]]] = []
    for problem in plan.problems.all():
        for goal in problem.goals.all():
            groups.append((goal.description, list(goal.objectives.all())))
    return groups


def practice_users() -> QuerySet[User]:
    return User.objects.select_related("supervisor").order_by("full_name")


def supervisors() -> QuerySet[User]:
    return User.objects.filter(role=Role.CLINICIAN, is_active=True).order_by("full_name")
