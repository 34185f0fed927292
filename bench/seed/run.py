"""bench/seed: a practice at scale — 5,000 clients, 200,000 progress notes and their sessions.

Usage: CONFIDE_DATA_DIR=/tmp/confide-bench [DATABASE_URL=...] .venv/bin/python bench/seed/run.py [--clients N --notes N]

Rows are written with bulk_create in batches (a data generator, not a clinical workflow: the services and their audit
entries are exercised by the test suite; here we only need realistic volume). Prints rows/s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("MFA_REQUIRED_ROLES", "")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from tqdm import tqdm  # noqa: E402

from confide.clients.models import Client  # noqa: E402
from confide.notes.models import ProgressNote  # noqa: E402
from confide.notes.services import content_hash  # noqa: E402
from confide.people.models import User  # noqa: E402
from confide.people.services import create_user  # noqa: E402
from confide.sessions.models import TherapySession  # noqa: E402

BENCH_PASSWORD = "bench-password-0001"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=5_000)
    parser.add_argument("--notes", type=int, default=200_000)
    parser.add_argument("--clinicians", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("migrate", database="vault", interactive=False, verbosity=0)
    from confide.ops.vaultsetup import ensure_recovery_key

    ensure_recovery_key(stdout=sys.stderr)
    if Client.objects.exists():
        print("database already seeded; use a fresh CONFIDE_DATA_DIR / DATABASE_URL")
        return
    rng = random.Random(5000)
    started = time.perf_counter()
    clinicians = [
        create_user(
            actor=None,
            username=f"clin{i:03d}",
            password=BENCH_PASSWORD,
            full_name=f"Clinician {i}",
            role="clinician",
            credentials="LCSW",
            validate=False,
        )
        for i in tqdm(range(args.clinicians), desc="clinicians", file=sys.stderr)
    ]
    create_user(
        actor=None, username="bench_biller", password=BENCH_PASSWORD, full_name="B", role="biller", validate=False
    )
    with transaction.atomic():
        Client.objects.bulk_create(
            [
                Client(
                    first_name=f"First{i}",
                    last_name=f"Last{i:05d}",
                    date_of_birth=date(1950 + i % 55, 1 + i % 12, 1 + i % 28),
                    primary_clinician=clinicians[i % len(clinicians)],
                )
                for i in range(args.clients)
            ],
            batch_size=2000,
        )
    client_rows = list(Client.objects.values_list("pk", "primary_clinician_id"))
    per_client = args.notes // len(client_rows)
    base = datetime(2020, 1, 6, 14, 0, tzinfo=UTC)
    sections = {
        "subjective": "Reports mood as a bit better this week; sleep improving. Work stress remains the main trigger.",
        "objective": "Engaged and cooperative; affect congruent; thought process linear. PHQ-9 today: 11.",
        "assessment": "Symptoms slightly improved compared with baseline; steady progress toward goal 1. Risk low.",
        "plan": "Continue weekly CBT; homework: thought record daily. Next session in one week.",
    }
    risk = {"suicidal_ideation": {"level": "none", "plan": False, "intent": False, "means": False}}
    batch_clients = 250
    progress = tqdm(total=per_client * len(client_rows), desc="sessions+notes", unit="note", file=sys.stderr)
    for start in range(0, len(client_rows), batch_clients):
        chunk = client_rows[start : start + batch_clients]
        with transaction.atomic():
            sessions = [
                TherapySession(
                    client_id=client_id,
                    clinician_id=clinician_id,
                    starts_at=(starts := base + timedelta(days=7 * k, minutes=rng.randint(0, 300))),
                    ends_at=starts + timedelta(minutes=53),
                    service="individual",
                    setting="in_person",
                    status="kept",
                    cpt_codes=["90837"],
                )
                for client_id, clinician_id in chunk
                for k in range(per_client)
            ]
            TherapySession.objects.bulk_create(sessions, batch_size=2000)
            notes = []
            for session in sessions:
                signed_at = session.ends_at + timedelta(hours=5)
                note = ProgressNote(
                    session=session,
                    client_id=session.client_id,
                    author_id=session.clinician_id,
                    format="SOAP",
                    sections=sections,
                    risk=risk,
                    interventions=["cognitive restructuring"],
                    status="signed",
                    signed_at=signed_at,
                    signed_by_id=session.clinician_id,
                )
                notes.append(note)
            ProgressNote.objects.bulk_create(notes, batch_size=2000)
            for note in notes:
                note.content_hash = content_hash(note.signed_content(objective_ids=[]))
            ProgressNote.objects.bulk_update(notes, ["content_hash"], batch_size=2000)
        progress.update(len(notes))
    progress.close()
    elapsed = time.perf_counter() - started
    total = TherapySession.objects.count() + ProgressNote.objects.count() + Client.objects.count()
    print(
        f"seeded {Client.objects.count():,} clients, {TherapySession.objects.count():,} sessions, "
        f"{ProgressNote.objects.count():,} notes in {elapsed:.1f} s ({total / elapsed:,.0f} rows/s)"
    )
    print(
        f"clinicians: clin000..clin{len(clinicians) - 1:03d}; password {BENCH_PASSWORD}; users {User.objects.count()}"
    )


if __name__ == "__main__":
    main()
