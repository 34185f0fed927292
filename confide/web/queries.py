"""Read-only selections the pages show, each starting from a `visible_to(user)` scope (docs/architecture.md).

Views stay about HTTP: the loops and second queries a page needs live here, named for what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.safestring import mark_safe

from confide.access import Rel, can, permits, relations
from confide.access.policy import TREATING
from confide.audit.models import AuditEntry
from confide.clients.models import BreakGlassAccess, CareTeamMember, Client, Episode, ExternalContact
from confide.lib.names import search_words
from confide.measures.models import Measure
from confide.notes.models import Addendum, NoteStatus, ProgressNote
from confide.people.models import Role, User
from confide.plans.models import Diagnosis, PlanStatus, TreatmentPlan
from confide.plans.services import current_plan
from confide.sessions.models import Status, TherapySession
from confide.web import care_team_notices
from confide.web.timeline import Timeline, timeline

# The billing page shows this many sessions a page (a year of a practice is thousands; pages keep the filters).
BILLING_PAGE_SIZE = 50


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
    # A supervisee's signed notes waiting for the supervisor: not overdue, since the author has done their part.
    awaiting_supervisor: list[ProgressNote] = field(default_factory=list)


def clinician_day(user: User) -> ClinicianDay:
    today = timezone.localdate()
    now = timezone.now()
    sessions = list(
        TherapySession.objects.visible_to(user)
        .filter(clinician=user)
        .on_day(today)
        .with_overlap_flag()
        .select_related("client")
        .prefetch_related(_notes_prefetch(user))
        .order_by("starts_at")
    )
    mine = ProgressNote.objects.visible_to(user).by_author(user).unsigned().select_related("session", "client")
    everything_unsigned = list(mine.order_by("session__starts_at"))
    # Only the author's own drafts are theirs to sign, so only those can be overdue; a signed note waiting for the
    # supervisor's co-signature is listed apart ("awaiting your supervisor").
    unsigned = [n for n in everything_unsigned if n.status == NoteStatus.DRAFT]
    awaiting_supervisor = [n for n in everything_unsigned if n.status == NoteStatus.AWAITING_COSIGN]
    awaiting_supervisor.sort(key=lambda n: (n.signed_at or now, n.pk))
    overdue = [n for n in unsigned if n.session.ends_at < now - note_deadline()]
    returned = [n for n in unsigned if n.return_comment]
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
        today,
        sessions,
        unsigned,
        overdue,
        awaiting_note,
        cosign_queue,
        returned,
        break_glass_of_my_clients(user),
        awaiting_supervisor,
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

    @property
    def double_bookings(self) -> int:
        return sum(1 for s in self.sessions if getattr(s, "double_booked", False))


def schedule_for_day(user: User, day: date) -> ScheduleDay:
    """The practice's schedule (front desk): who, when, with whom, each session's `double_booked` flag (the
    calendar's: confide/sessions/models.py). No note content."""
    sessions = list(
        TherapySession.objects.visible_to(user)
        .on_day(day)
        .with_overlap_flag()
        .select_related("client", "clinician")
        .order_by("starts_at")
    )
    one_day = timedelta(days=1)
    return ScheduleDay(day, sessions, day == timezone.localdate(), day - one_day, day + one_day)


# The biller's view of a session: what stands between it and a claim. "Awaiting co-signature" (a supervisee signed,
# the supervisor has not) is not "note not signed" (no signature at all): the first is for the supervisor to finish.
BILLING_STATES: dict[str, str] = {
    "billable": "Billable",
    "awaiting_cosign": "Awaiting co-signature",
    "unsigned": "Note not signed",
    Status.SCHEDULED: "Scheduled",
    Status.NO_SHOW: "No-show",
    Status.CANCELLED: "Cancelled",
}


@dataclass(frozen=True)
class BillingFilters:
    """The billing page's filters; every one optional. `state` is a key of BILLING_STATES or ""."""

    start: date | None = None
    end: date | None = None
    clinician_id: int | None = None
    state: str = ""

    def for_audit(self) -> dict[str, Any]:
        """The filters as an audit entry carries them: dates, an account id and a state, never a name."""
        chosen = {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "clinician_id": self.clinician_id,
            "state": self.state or None,
        }
        return {name: value for name, value in chosen.items() if value is not None}


def billing_sessions(user: User, filters: BillingFilters | None = None) -> QuerySet[TherapySession]:
    """The sessions the biller's page lists, newest first, each with `billing_state`: dates, codes, diagnoses and
    where the session stands; never narrative (164.502(b) minimum necessary). A queryset, so a page can be cut."""
    filters = filters or BillingFilters()
    awaiting = ProgressNote.objects.filter(session=OuterRef("pk"), status=NoteStatus.AWAITING_COSIGN)
    rows = (
        TherapySession.objects.visible_to(user)
        .with_signed_note()
        .annotate(awaiting_cosign=Exists(awaiting))
        .annotate(
            billing_state=Case(
                When(~Q(status=Status.KEPT), then=F("status")),
                When(has_signed_note=True, then=Value("billable")),
                When(awaiting_cosign=True, then=Value("awaiting_cosign")),
                default=Value("unsigned"),
                output_field=CharField(),
            )
        )
    )
    if filters.start:
        rows = rows.filter(starts_at__date__gte=filters.start)
    if filters.end:
        rows = rows.filter(starts_at__date__lte=filters.end)
    if filters.clinician_id:
        rows = rows.filter(clinician_id=filters.clinician_id)
    if filters.state:
        rows = rows.filter(billing_state=filters.state)
    diagnoses = Diagnosis.objects.order_by("-is_primary", "diagnosed_on", "pk")
    return (
        rows.select_related("client", "clinician")
        .defer("participants")
        .prefetch_related(Prefetch("client__diagnoses", queryset=diagnoses, to_attr="billing_diagnoses"))
        .order_by("-starts_at", "-pk")
    )


def diagnoses_on_day(session: TherapySession) -> list[Diagnosis]:
    """The client's diagnoses in effect on the session's day (diagnosed by then, not resolved before), from the
    prefetch `billing_sessions` makes: a claim carries the diagnoses of the date of service, not today's."""
    day = timezone.localdate(session.starts_at)
    found: list[Diagnosis] = getattr(session.client, "billing_diagnoses", None) or list(session.client.diagnoses.all())
    return [d for d in found if d.diagnosed_on <= day and (d.resolved_on is None or d.resolved_on >= day)]


@dataclass(frozen=True)
class BillingTotals:
    sessions: int
    by_state: list[tuple[str, str, int]]  # (key, label, count), in BILLING_STATES order, only those present
    by_code: list[tuple[str, int]]  # (CPT code, sessions carrying it), most used first


def billing_totals(rows: QuerySet[TherapySession]) -> BillingTotals:
    """Totals over every filtered row (not just the page shown): sessions, by state, by CPT code."""
    grouped = rows.order_by().values(state=F("billing_state")).annotate(n=Count("pk"))
    counted: dict[str, int] = {row["state"]: row["n"] for row in grouped}
    by_state = [(key, label, counted[key]) for key, label in BILLING_STATES.items() if counted.get(key)]
    codes: dict[str, int] = {}
    # cpt_codes is a JSON list, which SQLite and PostgreSQL unnest differently: count the (short) lists here.
    for session_codes in rows.order_by().values_list("cpt_codes", flat=True):
        for code in set(session_codes or []):
            codes[str(code)] = codes.get(str(code), 0) + 1
    by_code = sorted(codes.items(), key=lambda item: (-item[1], item[0]))
    return BillingTotals(sum(counted.values()), by_state, by_code)


@dataclass(frozen=True)
class BillingPage:
    page: Page[TherapySession]  # each row with `day_diagnoses`: the diagnoses of its date of service
    totals: BillingTotals


def billing_page(user: User, filters: BillingFilters, number: str | int | None) -> BillingPage:
    """One page of the filtered sessions and the totals over all of them. A page number that is not one shows the
    first page; one past the end, the last (Paginator.get_page)."""
    rows = billing_sessions(user, filters)
    page = Paginator(rows, BILLING_PAGE_SIZE).get_page(number)
    for session in page.object_list:
        session.day_diagnoses = diagnoses_on_day(session)  # type: ignore[attr-defined]
    return BillingPage(page, billing_totals(rows))


def billing_clinicians() -> QuerySet[User]:
    """The clinicians the billing page filters by: anyone who has held a session, active or not."""
    return User.objects.filter(role=Role.CLINICIAN).order_by("full_name", "username")


def search_clients(user: User, query: str, *, include_discharged: bool = False) -> QuerySet[Client]:
    """The clients `user` may see matching `query`; discharged clients only when asked for (they have left the
    active lists until readmitted)."""
    clients = Client.objects.visible_to(user)
    if not include_discharged:
        clients = clients.active()
    return _matching(clients, query)


def outside_matches(user: User, query: str) -> list[Client]:
    """For a clinician: charts matching the search that are outside reach, offered only for break-the-glass."""
    if not can(user, "break_glass.open") or len(query.strip()) < 2:
        return []
    visible = Client.objects.visible_to(user).values("pk")
    return list(_matching(Client.objects.exclude(pk__in=visible), query)[:10])


def _matching(clients: QuerySet[Client], query: str) -> QuerySet[Client]:
    """Clients whose names hold every word of `query`, accents, case and apostrophes aside ("obrien" finds O'Brien,
    "jose" José): folded words against the folded `search_name` column, the same on SQLite and PostgreSQL."""
    for word in search_words(query):
        clients = clients.filter(search_name__contains=word)
    return clients


def _table_of(model: Any) -> str:
    return str(model._meta.db_table)


# The chart's side panels, and which rows each shows: (table, condition beyond the client's id, its parameters).
# Names from the models' own metadata; every value is a parameter.
_PANELS: dict[str, tuple[str, str, tuple[Any, ...]]] = {
    "care_team": (_table_of(CareTeamMember), "", ()),
    "diagnoses": (_table_of(Diagnosis), "", ()),
    "plan": (_table_of(TreatmentPlan), ' AND "status" = %s', (PlanStatus.CURRENT,)),
    "contacts": (_table_of(ExternalContact), "", ()),
    "episodes": (_table_of(Episode), "", ()),
    # Only unacknowledged measures can carry an open risk alert (confide.measures.services.open_risk_alerts).
    "measures": (_table_of(Measure), ' AND "acknowledged_by_id" IS NULL', ()),
    "care_team_changes": (_table_of(AuditEntry), ' AND "action" = %s', (care_team_notices.CARE_TEAM_ADDED,)),
}
_EXISTS = 'EXISTS (SELECT 1 FROM "{table}" WHERE "client_id" = %s{extra})'
_PRESENT_SQL = "SELECT " + ", ".join(_EXISTS.format(table=table, extra=extra) for table, extra, _ in _PANELS.values())


def _present(client_id: int) -> dict[str, bool]:
    """Which side panels of the chart have rows, in one plain statement. Most charts have no outside contacts, no
    earlier episode, nobody on the care team beyond the clinician of record and no open risk alert, and an ORM
    read costs the application several times this statement even when it finds nothing (bench/web/cost.py)."""
    params: list[Any] = []
    for _, _, extra in _PANELS.values():
        params += [int(client_id), *extra]
    with connections[router.db_for_read(Client)].cursor() as cursor:
        cursor.execute(_PRESENT_SQL, params)
        row = cursor.fetchone()
    return {name: bool(flag) for name, flag in zip(_PANELS, row, strict=True)}


@dataclass(frozen=True)
class ChartLinks:
    """The chart's action links this user may follow, decided from the relations the page already read: a
    `{% can %}` tag on the client would ask the database again for each (five statements a chart)."""

    correct: bool = False  # client.update: edit details, discharge or readmit
    see_releases: bool = False  # disclosure.list
    release: bool = False  # disclosure.prepare
    see_measures: bool = False  # measure.list
    see_summaries: bool = False  # summary.read


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
    episodes: list[Episode] = field(default_factory=list)  # earlier episodes of care, closed by a readmission
    may: ChartLinks = field(default_factory=ChartLinks)
    care_team_changes: list[care_team_notices.CareTeamChange] = field(default_factory=list)
    # False when no measure could carry an open risk alert: the view need not look for one.
    measures_to_check: bool = False


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
    present = _present(client.pk)
    care_team = list(client.care_team.select_related("clinician")) if present["care_team"] else []
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
        diagnoses=list(client.diagnoses.all()) if billing and present["diagnoses"] else [],
        plan=current_plan(client) if narrative and present["plan"] else None,
        care_team=care_team,
        contacts=list(client.contacts.all()) if present["contacts"] else [],
        schedules=schedules,
        break_glass_until=until,
        episodes=list(Episode.objects.filter(client=client)) if present["episodes"] else [],
        may=ChartLinks(
            correct=permits(user, "client.update", have),
            see_releases=permits(user, "disclosure.list", have),
            release=permits(user, "disclosure.prepare", have),
            see_measures=permits(user, "measure.list", have),
            see_summaries=permits(user, "summary.read", have),
        ),
        care_team_changes=care_team_notices.on_chart(client) if present["care_team_changes"] else [],
        measures_to_check=present["measures"],
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
    return User.objects.select_related("supervisor").order_by("-is_active", "full_name")


def supervisors() -> QuerySet[User]:
    """Who may be offered as a supervisor: active clinicians who are not supervisees themselves (a supervisee's
    notes wait for co-signature, so they cannot co-sign anyone's; people.services refuses it too)."""
    return User.objects.filter(role=Role.CLINICIAN, is_active=True, supervisor__isnull=True).order_by("full_name")
