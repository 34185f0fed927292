"""Read-only selections the pages show, each starting from a `visible_to(user)` scope (STYLE.md habit 3).

Views stay about HTTP: the loops and second queries a page needs live here, named for what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from confide.clients.models import CareTeamMember, Client, ExternalContact
from confide.notes.models import Addendum, NoteStatus, ProgressNote
from confide.people.models import Role, User
from confide.plans.models import Diagnosis, TreatmentPlan
from confide.plans.services import current_plan
from confide.sessions.models import Status, TherapySession

# How many sessions a chart's timeline shows before "older sessions" (a long course of care runs to hundreds).
TIMELINE_LIMIT = 20  # about five months of weekly sessions per page; "Show earlier sessions" pages further back
BILLING_LIMIT = 200


def _notes_prefetch(user: User, client: Client | None = None) -> Prefetch[Any]:
    # The timeline shows format, author and status: leave the narrative (JSON sections, risk) in the database.
    # Given a client already scoped for this user, its notes need no second caseload check (a costly subquery).
    scope = ProgressNote.objects.filter(client=client) if client is not None else ProgressNote.objects.visible_to(user)
    notes = (
        scope.select_related("author")
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
    return ClinicianDay(today, sessions, unsigned, overdue, awaiting_note, cosign_queue, returned)


def schedule_for_day(user: User, day: date) -> list[TherapySession]:
    """The practice's schedule (front desk): who, when, with whom. No note content."""
    return list(
        TherapySession.objects.visible_to(user).on_day(day).select_related("client", "clinician").order_by("starts_at")
    )


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
    if user.role != Role.CLINICIAN or len(query.strip()) < 2:
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
    sessions: list[TherapySession]
    diagnoses: list[Diagnosis]
    plan: TreatmentPlan | None
    care_team: list[CareTeamMember]
    contacts: list[ExternalContact]
    break_glass_until: Any = None
    earlier_before: datetime | None = None  # set when older sessions exist: the next page starts before this


def chart(user: User, client: Client, *, before: datetime | None = None) -> Chart:
    """What this user may see of the chart: clinicians the narrative; billers codes and diagnoses; front desk
    demographics and schedule; administrators the header only."""
    narrative = user.role == Role.CLINICIAN
    billing = user.role in (Role.CLINICIAN, Role.BILLER)
    sessions: list[TherapySession] = []
    earlier = None
    if user.role in (Role.CLINICIAN, Role.BILLER, Role.FRONT_DESK):
        # `client` came through visible_client(user, ...): everything below is already inside the user's scope.
        scope = TherapySession.objects.filter(client=client).select_related("clinician")
        if narrative:
            scope = scope.prefetch_related(_notes_prefetch(user, client))
        if billing:
            scope = scope.with_signed_note()
        if before is not None:
            scope = scope.filter(starts_at__lt=before)
        page = list(scope.order_by("-starts_at")[: TIMELINE_LIMIT + 1])
        sessions = page[:TIMELINE_LIMIT]
        if len(page) > TIMELINE_LIMIT:
            earlier = sessions[-1].starts_at
    until = None
    if narrative and before is None and not Client.objects.caseload_of(user).filter(pk=client.pk).exists():
        grant = client.break_glass.filter(clinician=user, expires_at__gt=timezone.now()).order_by("-expires_at")
        first = grant.first()
        until = first.expires_at if first else None
    return Chart(
        client=client,
        narrative=narrative,
        billing=billing,
        sessions=sessions,
        diagnoses=list(client.diagnoses.all()) if billing else [],
        plan=current_plan(client) if narrative else None,
        care_team=list(client.care_team.select_related("clinician")),
        contacts=list(client.contacts.all()),
        break_glass_until=until,
        earlier_before=earlier,
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
