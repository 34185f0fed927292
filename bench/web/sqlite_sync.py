"""What synchronous=FULL costs on SQLite: sign-note throughput with PRAGMA synchronous=NORMAL and FULL (WAL both).

Confide runs SQLite in WAL mode with synchronous=FULL (config/settings.py): under NORMAL, a commit is acknowledged
before the WAL is fsynced, so a power loss can take the last acknowledged commits with it. Signing a note is one
transaction (lock the note, hash it, save it, append the audit entry), so each signature pays one fsync under FULL.

Runs against a throwaway SQLite practice in a temporary folder (on the disk given by --dir: put it on the disk the
practice would use, since tmpfs has no fsync cost). The two modes alternate in rounds so drift affects both.

    .venv/bin/python bench/web/sqlite_sync.py [--notes 200] [--rounds 3] [--dir /var/tmp]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

MODES = {"NORMAL": 1, "FULL": 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=200, help="notes signed per mode per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", default=None, help="where the throwaway databases go (default: the system temp)")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="confide-sqlite-sync-", dir=args.dir))
    for name in ("DATABASE_URL", "VAULT_DATABASE_URL"):
        os.environ.pop(name, None)  # SQLite only: this measures SQLite's fsync policy
    os.environ["CONFIDE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from confide.clients.models import Client
    from confide.notes import services as notes
    from confide.people.services import create_user
    from confide.sessions.services import schedule_session

    for alias in ("default", "vault"):
        call_command("migrate", database=alias, verbosity=0)
    from confide.vault.recovery import initialize

    initialize(private_out=data_dir / "recovery-key.txt")  # a throwaway practice's key, removed at the end
    clinician = create_user(
        actor=None,
        username="bench",
        password="correct horse battery staple 42",
        full_name="Bench Clinician",
        role="clinician",
        validate=False,
    )
    client = Client.objects.create(
        first_name="Bench", last_name="Client", date_of_birth=date(1990, 1, 1), primary_clinician=clinician
    )
    starts = timezone.now() - timedelta(hours=3)
    session = schedule_session(
        actor=clinician,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=53),
        service="individual",
        setting="in_person",
    )
    risk: dict[str, Any] = {"suicidal_ideation": {"level": "none"}, "protective_factors": "family"}
    sections = {
        "subjective": "Reports a calmer week; sleep improving.",
        "objective": "Engaged, affect congruent.",
        "assessment": "Symptoms improving; risk low.",
        "plan": "Continue weekly CBT.",
    }

    def drafts(count: int) -> list[Any]:
        return [
            notes.start_note(actor=clinician, session=session, format="SOAP", sections=sections, risk=risk)
            for _ in range(count)
        ]

    def set_mode(mode: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={mode}")
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == MODES[mode]
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"

    rates: dict[str, list[float]] = {mode: [] for mode in MODES}
    per_sign: dict[str, list[float]] = {mode: [] for mode in MODES}
    print(f"Confide SQLite durability benchmark · SQLite · data in {data_dir}")
    print(f"{args.notes} notes signed per mode per round, {args.rounds} rounds (WAL; one transaction per signature)")
    for _ in range(args.rounds):
        for mode in MODES:
            pending = drafts(args.notes)  # drafting is not timed
            set_mode(mode)
            samples = []
            start = time.perf_counter()
            for note in pending:
                began = time.perf_counter()
                notes.sign_note(actor=clinician, note=note)
                samples.append((time.perf_counter() - began) * 1000)
            elapsed = time.perf_counter() - start
            rates[mode].append(args.notes / elapsed)
            per_sign[mode].extend(samples)
            set_mode("FULL")
    for mode in MODES:
        ordered = sorted(per_sign[mode])
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(
            f"  synchronous={mode:<6} {statistics.median(rates[mode]):8.1f} notes signed/s   "
            f"median {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms"
        )
    normal, full = statistics.median(rates["NORMAL"]), statistics.median(rates["FULL"])
    print(f"  FULL signs at {full / normal:.0%} of NORMAL's rate ({1000 / full - 1000 / normal:+.2f} ms a signature)")
    connection.close()
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
