"""Summary-drafting benchmark (goal: a 12-month summary for a client with 50 sessions and 20 measures in < 300 ms).

Seeds a throwaway SQLite practice with one client, a treatment plan, N sessions over a year (signed notes on the
kept ones, a no-show in ten) and M PHQ-9s, then times `create_summary` for the whole year: reading the record,
drafting every section with its evidence, storing the draft, auditing.

    .venv/bin/python bench/summaries/run.py [--sessions 50] [--measures 20] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import practice  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--measures", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    data_dir = practice.start("confide-summary-bench-")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from confide.clients.services import register_client
    from confide.measures.services import record_measure
    from confide.notes import services as notes
    from confide.plans import services as plans
    from confide.sessions.services import schedule_session
    from confide.summaries.services import create_summary

    clinician = practice.clinician()
    today = timezone.localdate()
    start = today - timedelta(days=365)
    client = register_client(
        actor=clinician,
        first_name="Alex",
        last_name="Morgan",
        date_of_birth=start.replace(year=1990),
        primary_clinician_id=clinician.pk,
        admitted_on=start,
    )
    plans.add_diagnosis(actor=clinician, client=client, code="F33.1", diagnosed_on=start)
    target = (today + timedelta(days=30)).isoformat()
    objectives = [{"description": f"Objective {i}", "target_on": target, "status": "in_progress"} for i in range(3)]
    plan = plans.revise_plan(
        actor=clinician,
        client=client,
        review_on=today + timedelta(days=60),
        problems=[{"description": "Low mood", "goals": [{"description": "Fewer low days", "objectives": objectives}]}],
    )
    objective_ids = [o.pk for p in plan.problems.all() for g in p.goals.all() for o in g.objectives.all()]
    first = timezone.now() - timedelta(days=364)
    for i in range(args.sessions):
        starts = first + timedelta(days=i * 364 // args.sessions)
        status = "no_show" if i % 10 == 9 else "kept"
        session = schedule_session(
            actor=clinician,
            client=client,
            clinician_id=clinician.pk,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=53),
            service="individual",
            setting="in_person",
            status=status,
        )
        if status == "kept":
            note = notes.start_note(
                actor=clinician,
                session=session,
                format="SOAP",
                sections={"subjective": "s", "objective": "o", "assessment": "a", "plan": "Continue weekly."},
                risk={"suicidal_ideation": {"level": "low" if i % 3 else "none"}},
                interventions=["Behavioral activation", "Cognitive restructuring"][: 1 + i % 2],
                objective_ids=objective_ids[: 1 + i % 3],
            )
            notes.sign_note(actor=clinician, note=note, at=starts + timedelta(hours=2))
    for i in range(args.measures):
        score_each = max(0, 2 - i * 3 // args.measures)
        record_measure(
            actor=clinician,
            client=client,
            instrument="PHQ-9",
            answers=[score_each] * 8 + [0],
            administered_on=start + timedelta(days=1 + i * 360 // args.measures),
        )

    times = []
    queries = 0
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            summary = create_summary(actor=clinician, client=client, period_start=start, period_end=today)
            times.append(time.perf_counter() - began)
        queries = len(captured)
    words = sum(len(text.split()) for text in summary.sections.values())
    evidence = sum(len(s["evidence"]) for sentences in summary.drafted.values() for s in sentences)
    print(f"Confide summary-drafting benchmark · SQLite in {data_dir}")
    print(f"record: {args.sessions} sessions, {args.measures} PHQ-9s over 365 days")
    print(
        f"create_summary (read, draft, store, audit): median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; {args.repeat} runs) · goal < 300 ms"
    )
    print(f"{queries} queries · {words} words in 7 sections · {evidence} pieces of evidence")


if __name__ == "__main__":
    main()
