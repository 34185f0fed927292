"""Release-package benchmark (goal: a 300-note chart to PDF and FHIR Bundle in under 5 s on one core).

Seeds a throwaway SQLite practice in a temporary folder with one client and N signed SOAP notes (realistic length,
one addendum in ten), then times the whole release through the service — the rules, loading the record, the PDF,
the FHIR Bundle, hashing and storing — and each renderer alone. Prints the time, the PDF's pages and bytes, and the
Bundle's resources. Also prints the size of the rules table and the property test's example count.

    .venv/bin/python bench/release/run.py [--notes 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import practice  # noqa: E402

SUBJECTIVE = (
    "Client reports low mood most days this week and poor sleep, about five hours a night, with early waking. "
    "She went to work four of five days and kept two of the three planned activities; she describes the week as "
    "heavy but says walking with her sister helped. Denies suicidal ideation, plan or intent."
)
OBJECTIVE = "Casually dressed, good eye contact, speech normal in rate and volume, affect constricted, congruent."
ASSESSMENT = "Moderate depressive symptoms, slowly improving with behavioral activation; risk low, protective factors."
PLAN = "Continue behavioral activation: schedule three valued activities; sleep diary; next session in one week."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    data_dir = practice.start("confide-release-bench-")
    from django.utils import timezone
    from tqdm import tqdm

    from confide.clients.services import register_client
    from confide.disclosures import gather, rules, services
    from confide.disclosures.fhir import bundle_bytes
    from confide.disclosures.pdf import render_package
    from confide.notes import services as notes
    from confide.plans.services import add_diagnosis
    from confide.sessions.services import schedule_session

    clinician = practice.clinician()
    client = register_client(
        actor=clinician,
        first_name="Alex",
        last_name="Morgan",
        date_of_birth=date(1990, 4, 2),
        primary_clinician_id=clinician.pk,
    )
    add_diagnosis(actor=clinician, client=client, code="F33.1", diagnosed_on=date(2020, 1, 6))
    first = timezone.now().replace(microsecond=0) - timedelta(days=7 * args.notes + 7)
    for i in tqdm(range(args.notes), desc="seeding signed notes", disable=not sys.stderr.isatty()):
        starts = first + timedelta(days=7 * i)
        session = schedule_session(
            actor=clinician,
            client=client,
            clinician_id=clinician.pk,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=53),
            service="individual",
            setting="in_person",
        )
        note = notes.start_note(
            actor=clinician,
            session=session,
            format="SOAP",
            sections={"subjective": SUBJECTIVE, "objective": OBJECTIVE, "assessment": ASSESSMENT, "plan": PLAN},
            risk={"suicidal_ideation": {"level": "low"}, "protective_factors": "Sister; engaged in treatment."},
            mental_status={"mood": "low", "affect": "constricted", "thought_process": "linear"},
            interventions=["Behavioral activation", "Activity scheduling"],
        )
        note = notes.sign_note(actor=clinician, note=note, at=starts + timedelta(hours=3))
        if i % 10 == 0:
            notes.add_addendum(actor=clinician, note=note, text="Client called the next day: slept better.")

    request = services.ReleaseInput(
        recipient_name="County Superior Court", basis="court_order", include={"progress_notes": True, "sessions": True}
    )
    whole: list[float] = []
    made = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        made = services.disclose(actor=clinician, credential=None, client=client, data=request)
        whole.append(time.perf_counter() - start)
    assert made is not None

    plan = services.preview(actor=clinician, client=client, data=request)
    header = gather.Header(
        0, clinician, timezone.now(), "County Superior Court", "", "court_order", "", (None, None), None
    )
    start = time.perf_counter()
    package = gather.build_package(header, client, plan.decision)
    load = time.perf_counter() - start
    pdf_times, fhir_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        pdf = render_package(package)
        pdf_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        fhir = bundle_bytes(package)
        fhir_times.append(time.perf_counter() - start)
    resources = Counter(e["resource"]["resourceType"] for e in json.loads(fhir)["entry"])

    print(f"Confide release benchmark · Python {sys.version.split()[0]} · SQLite in {data_dir}")
    print(f"chart: {args.notes} signed SOAP notes, {args.notes} sessions, 1 diagnosis; court order, notes + sessions")
    print(
        f"whole release (rules, load, PDF, FHIR, hash, store): median {statistics.median(whole):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in whole)}) · goal < 5 s"
    )
    print(f"  load the record into the package: {load:.2f} s")
    print(f"  PDF:  median {statistics.median(pdf_times):.2f} s · {made.pdf_pages} pages · {len(pdf):,} bytes")
    print(
        f"  FHIR: median {statistics.median(fhir_times):.2f} s · {sum(resources.values())} resources "
        f"({', '.join(f'{k} {v}' for k, v in sorted(resources.items()))}) · {len(fhir):,} bytes"
    )
    print(
        f"rules: {len(rules.REQUEST_RULES)} request rules, {len(rules.ITEM_RULES)} item rules, "
        f"{len(rules.Basis)} bases, {len(rules.ItemKind)} item kinds"
    )
    try:
        from tests.disclosures import test_rules_properties as props
        from tests.disclosures import test_rules_table as table

        rows = getattr(table, "ROWS", None) or getattr(table, "CASES", None)
        print(
            f"rules table test: {len(rows) if rows is not None else '?'} rows; property test examples: "
            f"{getattr(props, 'EXAMPLES', getattr(props, 'MAX_EXAMPLES', '?'))}"
        )
    except ImportError:
        pass


if __name__ == "__main__":
    main()
