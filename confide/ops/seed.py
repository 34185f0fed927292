"""The demo practice: people, a dozen clients, six months of sessions, plans, diagnoses and notes.

Deterministic (a fixed random seed) and idempotent: seeding a practice that already has the demo admin does nothing.
All names and stories are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from confide.clients import services as clients
from confide.clients.models import Client
from confide.notes import services as notes
from confide.people.models import User
from confide.people.services import create_user
from confide.plans import services as plans
from confide.sessions.services import schedule_session

DEMO_PASSWORD = "demo-practice-2026"  # noqa: S105 - printed by `confide demo`; demo data only

PEOPLE = [
    # username, full name, role, credentials, supervisor username
    ("admin", "Pat Alvarez", "admin", "", None),
    ("rivera", "Maria Rivera", "clinician", "LCSW", None),
    ("okafor", "Ada Okafor", "clinician", "PsyD", None),
    ("lee", "Sam Lee", "clinician", "LPC-A", "okafor"),
    ("biller", "Bo Whitfield", "biller", "", None),
    ("desk", "Fran Ito", "front_desk", "", None),
]

CLIENTS = [
    ("Alex", "Morgan", date(1990, 4, 2), "rivera", "F33.1", "Recurrent depression"),
    ("Jamie", "Torres", date(1984, 11, 19), "rivera", "F41.1", "Generalized anxiety"),
    ("Riley", "Chen", date(2009, 6, 30), "rivera", "F43.23", "Adjustment with mixed anxiety and depressed mood"),
    ("Casey", "Nguyen", date(1978, 2, 14), "rivera", "F43.10", "Post-traumatic stress"),
    ("Morgan", "Patel", date(1995, 8, 8), "okafor", "F32.1", "Major depressive episode, moderate"),
    ("Taylor", "Brooks", date(1969, 12, 1), "okafor", "F41.0", "Panic disorder"),
    ("Jordan", "Kim", date(2001, 3, 22), "okafor", "F90.0", "ADHD, inattentive"),
    ("Avery", "Johnson", date(1988, 7, 17), "okafor", "F10.10", "Alcohol use, mild"),
    ("Quinn", "Garcia", date(1992, 10, 5), "lee", "F41.1", "Generalized anxiety"),
    ("Drew", "Martin", date(1999, 1, 28), "lee", "F33.0", "Recurrent depression, mild"),
    ("Sage", "Walker", date(1983, 5, 11), "lee", "F43.21", "Adjustment with depressed mood"),
    ("Rowan", "Lopez", date(1975, 9, 3), "lee", "F42.2", "Obsessive-compulsive disorder"),
    # A long name with accents and an apostrophe: the layout wraps it, search finds it as "obrien" or "maria jose".
    (
        "María-José Inmaculada Concepción",
        "O\u2019Brien-Castellanos de la Santísima Trinidad y Villalobos",
        date(1987, 4, 23),
        "rivera",
        "F41.1",
        "Generalized anxiety",
    ),
]

SUBJECTIVE = [
    "Reports mood as {mood} this week; sleep {sleep}. Identified work stress as the main trigger.",
    "Client describes {mood} mood, {sleep} sleep, and fewer avoidance behaviors since last session.",
    "States the week was {mood}; completed two of three planned activities; sleep {sleep}.",
]
OBJECTIVE = [
    "Arrived on time, casually dressed, good eye contact; affect {affect}; speech normal rate. PHQ-9 today: {phq}.",
    "Engaged and cooperative; affect {affect}; thought process linear. GAD-7 today: {gad}.",
]
ASSESSMENT = [
    "Symptoms {trend} compared with baseline; progress toward goal 1 is {progress}. Risk low; denies SI/HI.",
    "Client is {progress} on the plan's objectives; symptoms {trend}. No current risk indicators.",
]
PLAN = [
    "Continue weekly CBT; homework: thought record daily. Next session in one week.",
    "Practice paced breathing twice daily; schedule two valued activities. Return in one week.",
]
INTERVENTIONS = [
    ["cognitive restructuring", "thought records"],
    ["behavioral activation", "activity scheduling"],
    ["psychoeducation", "relaxation and slow breathing"],
    ["MI reflections", "open questions"],
]

DEMO_TRANSCRIPT = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Maria Rivera>How have things been since we last met?

00:00:06.500 --> 00:00:15.000
<v Alex Morgan>Honestly, pretty low. I've been sleeping maybe four hours a night and I don't enjoy anything anymore.

00:00:15.500 --> 00:00:20.000
<v Maria Rivera>Have you had any thoughts of hurting yourself or ending your life?

00:00:20.500 --> 00:00:27.000
<v Alex Morgan>No, I'd never do that. My sister is the reason I keep going.

00:00:27.500 --> 00:00:35.000
<v Maria Rivera>Let's look at the thought you wrote down on Tuesday, that you always let people down,
and weigh the evidence.

00:00:35.500 --> 00:00:42.000
<v Alex Morgan>I guess I did finish the report on time, so maybe always is too strong.

00:00:42.500 --> 00:00:50.000
<v Maria Rivera>For this week, try one thought record a day and schedule a walk on three mornings. Same time next week.
"""


@dataclass
class SeedResult:
    created: bool
    users: dict[str, User]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def seed_demo_practice(*, show_progress: bool = True, months: int = 6) -> SeedResult:
    existing = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in PEOPLE])}
    if "admin" in existing:
        return SeedResult(created=False, users=existing)
    rng = random.Random(20261128)
    with transaction.atomic():
        users: dict[str, User] = {}
        for username, full_name, role, credentials, supervisor in PEOPLE:
            users[username] = create_user(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                role=role,
                credentials=credentials,
                supervisor_id=users[supervisor].pk if supervisor else None,
                validate=False,
            )
        admin = users["admin"]
        today = timezone.localdate()
        start = today - timedelta(weeks=4 * months + 2)
        for index, (first, last, dob, clinician_name, code, problem) in enumerate(
            tqdm(CLIENTS, desc="demo clients", disable=not show_progress, unit="client")
        ):
            clinician = users[clinician_name]
            client = clients.register_client(
                actor=admin,
                first_name=first,
                last_name=last,
                date_of_birth=dob,
                primary_clinician_id=clinician.pk,
                admitted_on=start,
            )
            if index == 0:
                clients.add_to_care_team(actor=clinician, client=client, clinician_id=users["okafor"].pk)
                clients.record_consent(
                    actor=clinician, client=client, kind="session_transcription", signed_on=start + timedelta(days=1)
                )
            clients.add_contact(
                actor=admin,
                client=client,
                kind="payer",
                name="Blue Harbor Health Plan",
                member_id=f"BHP{rng.randint(10_000_000, 99_999_999)}",
            )
            plans.add_diagnosis(actor=clinician, client=client, code=code, diagnosed_on=start, is_primary=True)
            plan = plans.revise_plan(
                actor=clinician,
                client=client,
                review_on=today + timedelta(days=rng.randint(10, 80)),
                client_signed_on=start + timedelta(days=7),
                problems=[
                    {
                        "description": f"{problem} interfering with work and relationships",
                        "goals": [
                            {
                                "description": "Reduce symptoms to the mild range",
                                "measure": "PHQ-9 < 10 or GAD-7 < 10",
                                "objectives": [
                                    {
                                        "description": "Complete a thought record on 5 of 7 days",
                                        "target_on": today + timedelta(days=30),
                                        "status": "in_progress",
                                    },
                                    {
                                        "description": "Schedule and complete 3 valued activities weekly",
                                        "target_on": today + timedelta(days=60),
                                        "status": "not_started",
                                    },
                                ],
                            }
                        ],
                    }
                ],
            )
            objective_ids = [o.pk for p in plan.problems.all() for g in p.goals.all() for o in g.objectives.all()]
            _seed_sessions(rng, client, clinician, start, today, objective_ids)
            _seed_measures(rng, client, clinician, start, today, alert=index == 1)
            if index < 3:  # a summary due to try: last month's, from a monthly schedule
                client.summary_schedule = "monthly"
                client.save(update_fields=["summary_schedule"])
        _seed_returned_note(users["lee"])
        _seed_calendar(users["rivera"], today)
        _seed_corrections(users["desk"], today)
    return SeedResult(created=True, users=users)


def _seed_corrections(desk: User, today: date) -> None:
    """What correcting looks like (docs/corrections.md): a date of birth typed wrong at registration and corrected
    by the front desk (it shows in the client's history of changes), and a client discharged with a reason."""
    typo = Client.objects.get(first_name="Morgan", last_name="Patel")
    clients.update_client(actor=desk, client=typo, changes={"date_of_birth": date(1995, 8, 18)})
    finished = Client.objects.get(first_name="Rowan", last_name="Lopez")
    clients.discharge_client(
        actor=desk, client=finished, discharged_on=today, reason="Treatment goals met; may return as needed"
    )


def _seed_calendar(clinician: User, today: date) -> None:
    """What the calendar shows off this week (docs/calendar.md): a weekly telehealth series with its link, a
    cancelled session with its reason, and one double booking the scheduler confirmed. The regular sessions above
    are on the hour from 9 to 16; noon and the evening are free, so nothing else overlaps."""
    from confide.sessions import recurrence
    from confide.sessions.services import cancel_session, schedule_series

    first, second = list(Client.objects.filter(primary_clinician=clinician).order_by("pk")[:2])
    schedule_series(
        actor=clinician,
        client=first,
        clinician_id=clinician.pk,
        rule=recurrence.Rule(today, 1, count=8),
        starts=time(17, 0),
        minutes=50,
        service="individual",
        setting="telehealth",
        telehealth_link="https://video.example.org/confide-demo/rivera",
    )
    cancelled = schedule_session(
        actor=clinician,
        client=second,
        clinician_id=clinician.pk,
        starts_at=_at(today, 18),
        ends_at=_at(today, 18) + timedelta(minutes=50),
        service="individual",
        setting="in_person",
        status="scheduled",
        confirm_overlap=False,
    )
    cancel_session(actor=clinician, session=cancelled, reason="Client asked to reschedule (work travel)")
    for client, minute in ((first, 0), (second, 30)):
        starts = _at(today, 12) + timedelta(minutes=minute)
        schedule_session(
            actor=clinician,
            client=client,
            clinician_id=clinician.pk,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=50),
            service="individual",
            setting="in_person",
            status="scheduled",
            confirm_overlap=True,  # the second overlaps the first: a flagged, confirmed double booking
        )


def _seed_returned_note(supervisee: User) -> None:
    """One of the supervisee's waiting notes goes back with the supervisor's comment, so the demo day view shows a
    returned note beside the ones awaiting co-signature (docs/supervision.md)."""
    from confide.notes.models import ProgressNote

    waiting = ProgressNote.objects.filter(author=supervisee, status="awaiting_cosign").order_by("-signed_at").first()
    if waiting is not None and supervisee.supervisor is not None:
        notes.return_note(
            actor=supervisee.supervisor,
            note=waiting,
            comment="Please name the intervention you used and how the client responded to it.",
        )


def _answers(total: int, items: int, top: int) -> list[int]:
    """Answers (each 0..top) adding up to `total`, spread evenly over the items."""
    base, extra = divmod(min(total, items * top), items)
    return [base + 1 if i < extra else base for i in range(items)]


def _seed_measures(
    rng: random.Random, client: Client, clinician: User, start: date, today: date, *, alert: bool
) -> None:
    """A PHQ-9 and a GAD-7 every four weeks, improving from intake; with `alert`, the latest PHQ-9 answers item 9
    above 0, so its alert is open on the day view and holds the client's next note."""
    from confide.measures import services as measures

    phq, gad = rng.randint(15, 20), rng.randint(11, 16)
    day = start
    while day <= today:
        last = day + timedelta(weeks=4) > today
        phq_answers = [*_answers(phq, 8, 3), 1 if alert and last else 0]
        for instrument, answers in (("PHQ-9", phq_answers), ("GAD-7", _answers(gad, 7, 3))):
            measures.record_measure(
                actor=clinician, client=client, instrument=instrument, answers=answers, administered_on=day
            )
        phq, gad = max(3, phq - rng.randint(0, 3)), max(2, gad - rng.randint(0, 2))
        day += timedelta(weeks=4)


def _seed_sessions(
    rng: random.Random, client: Client, clinician: User, start: date, today: date, objective_ids: list[int]
) -> None:
    day = start + timedelta(days=rng.randint(0, 4))
    hour = rng.choice([9, 10, 11, 13, 14, 15, 16])
    first = True
    while day <= today + timedelta(days=7):
        status = "kept" if day <= today else "scheduled"
        if status == "kept" and rng.random() < 0.08:
            status = rng.choice(["no_show", "cancelled"])
        minutes = 60 if first else rng.choice([45, 53, 55, 58])
        starts = _at(day, hour)
        session = schedule_session(
            actor=clinician,
            client=client,
            clinician_id=clinician.pk,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            service="intake" if first else "individual",
            setting=rng.choice(["in_person", "in_person", "telehealth"]),
            status=status,
        )
        if status == "kept":
            recent = (today - day).days < 4
            _seed_note(rng, session, clinician, objective_ids, sign=not recent or rng.random() < 0.3)
        first = False
        day += timedelta(days=7)


def _seed_note(rng: random.Random, session: object, clinician: User, objective_ids: list[int], *, sign: bool) -> None:
    fill = {
        "mood": rng.choice(["low", "a bit better", "stable", "up and down"]),
        "sleep": rng.choice(["about 6 hours", "improving", "broken"]),
        "affect": rng.choice(["constricted", "congruent", "brighter than last week"]),
        "phq": rng.randint(6, 18),
        "gad": rng.randint(4, 15),
        "trend": rng.choice(["improved", "unchanged", "slightly improved"]),
        "progress": rng.choice(["partial", "steady", "early"]),
    }
    note = notes.start_note(
        actor=clinician,
        session=session,  # type: ignore[arg-type]
        format=rng.choice(["SOAP", "SOAP", "DAP", "BIRP"]),
        sections={},
        risk={
            "suicidal_ideation": {"level": "none"},
            "homicidal_ideation": {"level": "none"},
            "self_harm": {"level": "none"},
            "protective_factors": "supportive family; engaged in treatment",
        },
        # Appearance and speech recorded as "within normal limits" the way the editor records a ticked domain.
        mental_status={
            "appearance": "Within normal limits",
            "speech": "Within normal limits",
            "mood": fill["mood"],
            "affect": str(fill["affect"]),
        },
        interventions=rng.choice(INTERVENTIONS),
        objective_ids=objective_ids[:1],
    )
    texts = {
        "subjective": rng.choice(SUBJECTIVE),
        "objective": rng.choice(OBJECTIVE),
        "assessment": rng.choice(ASSESSMENT),
        "plan": rng.choice(PLAN),
    }
    by_section = {
        "SOAP": texts,
        "DAP": {
            "data": texts["subjective"] + " " + texts["objective"],
            "assessment": texts["assessment"],
            "plan": texts["plan"],
        },
        "BIRP": {
            "behavior": texts["subjective"],
            "intervention": "Used " + " and ".join(note.interventions) + ".",
            "response": "Client engaged well and practiced the skill in session.",
            "plan": texts["plan"],
        },
    }[note.format]
    note = notes.edit_note(actor=clinician, note=note, sections={k: v.format(**fill) for k, v in by_section.items()})
    if sign:
        signed_at = session.ends_at + timedelta(hours=rng.choice([2, 5, 20, 30, 80]))  # type: ignore[attr-defined]
        note = notes.sign_note(actor=clinician, note=note, at=min(signed_at, timezone.now()))
        if note.status == "awaiting_cosign" and clinician.supervisor is not None and rng.random() < 0.85:
            notes.cosign_note(
                actor=clinician.supervisor,
                note=note,
                at=min(signed_at + timedelta(hours=20), timezone.now()),
                attestation=notes.COSIGN_ATTESTATION,
            )
