"""Release packages built by hand, for the renderers' tests (no database): `package(notes=300)` and friends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from confide.disclosures.content import (
    AddendumPart,
    AmendmentPart,
    AuthorizationPart,
    ClientPart,
    DiagnosisPart,
    GoalPart,
    MeasurePart,
    NotePart,
    ObjectivePart,
    Package,
    Person,
    PlanPart,
    PrivateNotePart,
    ProblemPart,
    SessionPart,
    Signature,
    SummaryPart,
    WithheldPart,
)

RIVERA = Person(1, "Dana Rivera", "PhD")
LEE = Person(2, "Sam Lee", "MA, pre-licensed")
OKAFOR = Person(3, "Ngozi Okafor", "PsyD")
CLIENT = ClientPart(7, "Alex", "Morgan", date(1990, 4, 2), pronouns="she/her", address="12 Elm St, Springfield")
START = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)

SUBJECTIVE = (
    "Reports low mood most days and poor sleep (about five hours a night); went to work four of five days. "
    "Says the week felt \u201cheavy\u201d but she kept two of the three planned activities."
)


def session(i: int, clinician: Person = RIVERA) -> SessionPart:
    starts = START + timedelta(days=7 * i)
    return SessionPart(
        id=100 + i,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=53),
        service="Individual psychotherapy",
        setting="In person" if i % 2 else "Telehealth",
        status="Kept",
        cpt_codes=("90837",),
        clinician=clinician,
    )


def note(i: int, *, supervised: bool = False, amended: bool = False) -> NotePart:
    s = session(i, LEE if supervised else RIVERA)
    signed = s.ends_at + timedelta(hours=2)
    signatures = [Signature("signed", s.clinician, signed)]
    if supervised:
        signatures.append(Signature("cosigned", OKAFOR, signed + timedelta(days=1)))
    return NotePart(
        id=1000 + i,
        session_id=s.id,
        session_date=s.day,
        format_code="SOAP",
        format_title="SOAP",
        sections=(
            ("Subjective", SUBJECTIVE),
            ("Objective", "Casually dressed, good eye contact, affect constricted. PHQ-9 today 14."),
            ("Assessment", "Moderate depressive symptoms, improving slowly. Risk low."),
            ("Plan", "Behavioral activation: schedule three valued activities. Next session in one week."),
        ),
        risk=(("Suicidal ideation", "low; no plan, no intent, no means"),),
        protective_factors="Close to her sister; engaged in treatment.",
        mental_status=(("Mood", "\u201cflat\u201d"), ("Affect", "constricted")),
        interventions=("Behavioral activation", "Activity scheduling"),
        author=s.clinician,
        signatures=tuple(signatures),
        content_hash=f"{i:064x}",
        late_entry=i % 10 == 3,
        drafted_with="Drafted with assistance (confide-offline 1.0)" if i % 4 == 0 else "",
        addenda=(
            (AddendumPart(1, RIVERA, signed + timedelta(days=2), "Client called to add: slept better.", "ab" * 32),)
            if i == 1
            else ()
        ),
        amendments=(
            (
                AmendmentPart(
                    1,
                    date(2026, 3, 1),
                    "The note says I missed work; I was on approved leave.",
                    "denied",
                    date(2026, 3, 20),
                    denial_basis="The record is accurate and complete",
                    denial_explanation="The client reported the absence as unplanned in session.",
                    disagreement="I had approved leave; my employer can confirm it.",
                    rebuttal="The note records what the client said on the day.",
                ),
            )
            if amended
            else ()
        ),
    )


def private_note(i: int) -> PrivateNotePart:
    s = session(i)
    return PrivateNotePart(
        id=f"00000000-0000-4000-8000-{i:012d}",
        session_id=s.id,
        session_date=s.day,
        author=RIVERA,
        text=(
            "Wondering whether her flatness today is about the anniversary of her father's death. "
            "Felt pulled to reassure."
        ),
        written_at=s.ends_at + timedelta(hours=1),
    )


def package(
    notes: int = 3, *, basis: str = "court_order", private_notes: int = 0, part2: bool = False, **changes: object
) -> Package:
    """A package of `notes` signed SOAP notes (one supervised, one amended), their sessions, a diagnosis, the plan,
    two PHQ-9 scores and one withheld item."""
    client = replace(CLIENT, part2=part2)
    pack = Package(
        disclosure_id=42,
        practice_name="Elm Street Counseling",
        prepared_by=RIVERA,
        prepared_at=datetime(2026, 6, 1, 14, 0, tzinfo=UTC),
        recipient_name="Hon. J. Alvarez, County Superior Court",
        recipient_address="100 Court Plaza, Springfield",
        basis=basis,
        basis_label="Court order (45 CFR 164.512(e)(1)(i))",
        purpose="Order of 2026-05-20 in case 26-FL-1234",
        client=client,
        span_from=date(2026, 1, 1),
        span_to=date(2026, 12, 31),
        progress_notes=tuple(note(i, supervised=i == 2, amended=i == 0) for i in range(notes)),
        psychotherapy_notes=tuple(private_note(i) for i in range(private_notes)),
        sessions=tuple(session(i) for i in range(max(notes, 1))),
        diagnoses=(
            DiagnosisPart(5, "F33.1", "Major depressive disorder, recurrent, moderate", date(2026, 1, 5), True),
        ),
        plan=PlanPart(
            9,
            2,
            START,
            date(2026, 7, 1),
            date(2026, 1, 12),
            (
                ProblemPart(
                    "Depressed mood limits work and social life",
                    (
                        GoalPart(
                            "Mood improves",
                            "PHQ-9 below 10",
                            (ObjectivePart("Three valued activities a week", date(2026, 4, 1), "In progress"),),
                        ),
                    ),
                ),
            ),
        ),
        measures=(
            MeasurePart(1, "PHQ-9", "44261-6", date(2026, 1, 5), 18, "moderately severe"),
            MeasurePart(2, "PHQ-9", "44261-6", date(2026, 3, 2), 14, "moderate"),
            MeasurePart(3, "GAD-7", "70274-6", date(2026, 3, 2), 9, "mild"),
        ),
        summaries=(
            SummaryPart(
                1,
                date(2026, 1, 1),
                date(2026, 3, 31),
                (("Attendance", "11 of 12 sessions kept."), ("Progress", "PHQ-9 from 18 to 14.")),
                RIVERA,
                (Signature("signed", RIVERA, datetime(2026, 4, 2, 12, 0, tzinfo=UTC)),),
                "cd" * 32,
            ),
        ),
        withheld=(
            WithheldPart(
                "psychotherapy_note",
                None,
                "psychotherapy_notes_not_permitted",
                "Psychotherapy notes need the client's own authorization for them.",
                "164.508(a)(2)",
            ),
        ),
        notices=("redisclosure", "part2") if part2 else ("redisclosure",),
        permitted_by={"progress_note": "court order, 164.512(e)(1)(i)"},
    )
    return replace(pack, **changes)  # type: ignore[arg-type]


def authorization(kind: str = "general") -> AuthorizationPart:
    information = ("psychotherapy_notes",) if kind == "psychotherapy_notes" else ("progress_notes", "measures")
    return AuthorizationPart(
        id=3,
        kind=kind,
        recipient="Dr. Priya Shah, Springfield Family Medicine",
        purpose="Coordination of care",
        information=information,
        signed_on=date(2026, 5, 1),
        signed_by="client",
        expires_on=date(2027, 5, 1),
        expiry_event="",
    )
