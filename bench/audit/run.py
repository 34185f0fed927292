"""Benchmark: verify the audit chain over 1,000,000 entries (goal: under 10 s, docs/benchmarks.md).

Builds a throwaway SQLite database in a temporary data directory, migrates it, writes N chained entries with
bulk_create (the chain computed in Python by the same functions `record` uses), then times `verify` and the
`confide audit verify` command over them. Run from the repository root:

    .venv/bin/python bench/audit/run.py [--entries 1000000] [--keep]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ACTIONS = [
    ("confide.client.viewed", "client"),
    ("confide.progress_note.read", "progress_note"),
    ("confide.progress_note.signed", "progress_note"),
    ("confide.session.viewed", "session"),
    ("confide.sign_in.succeeded", ""),
    ("confide.sign_in.failed", ""),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=20_000, help="rows per bulk_create")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    options = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="confide-bench-audit."))
    os.environ["CONFIDE_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("VAULT_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    try:
        return run(options, data_dir)
    finally:
        if options.keep:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def run(options: argparse.Namespace, data_dir: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from confide.audit.chain import GENESIS, canonical_at, canonical_values, mac_of
    from confide.audit.models import AuditEntry
    from confide.audit.services import _key, verify

    call_command("migrate", verbosity=0)
    key = _key()
    total = options.entries
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

    began = time.perf_counter()
    prev = GENESIS
    with transaction.atomic():
        for first in range(1, total + 1, options.batch):
            rows = []
            for seq in range(first, min(first + options.batch, total + 1)):
                action, object_type = ACTIONS[seq % len(ACTIONS)]
                at = start + timedelta(seconds=seq * 7, microseconds=(seq * 7919) % 1_000_000)
                actor = seq % 40 + 1
                client = seq % 5000 + 1 if object_type else None
                values = [
                    seq,
                    canonical_at(at),
                    action,
                    "failed" if action.endswith("failed") else "ok",
                    None if action.endswith("failed") else actor,
                    f"user{actor}",
                    client,
                    object_type,
                    str(seq % 200_000) if object_type else "",
                    f"10.0.{seq % 250}.{seq % 200}",
                    {"via": "api"} if seq % 3 == 0 else {},
                ]
                mac = mac_of(key, prev, canonical_values(values))
                rows.append(
                    AuditEntry(
                        seq=seq,
                        at=at,
                        action=action,
                        outcome=values[3],
                        actor_id=values[4],
                        actor_username=values[5],
                        client_id=client,
                        object_type=object_type,
                        object_id=values[8],
                        ip=values[9],
                        detail=values[10],
                        prev_mac=prev,
                        mac=mac,
                    )
                )
                prev = mac
            AuditEntry.objects.bulk_create(rows)
    inserted = time.perf_counter() - began

    began = time.perf_counter()
    result = verify()
    verified = time.perf_counter() - began
    assert result.ok and result.checked == total, result

    began = time.perf_counter()
    out = io.StringIO()
    call_command("audit", "verify", "--no-progress", stdout=out)
    command = time.perf_counter() - began

    size = sum(path.stat().st_size for path in data_dir.glob("confide.sqlite3*")) / 1e6
    print(f"machine      : {platform.processor() or platform.machine()}, Python {platform.python_version()}, SQLite")
    print(f"entries      : {total:,} ({size:,.0f} MB database)")
    print(f"insert       : {inserted:6.2f} s  ({total / inserted:,.0f} entries/s, bulk_create, chain in Python)")
    print(f"verify()     : {verified:6.2f} s  ({total / verified:,.0f} entries/s)  goal < 10 s")
    print(f"audit verify : {command:6.2f} s  (the command: count, walk, anchor)")
    print(out.getvalue().strip())
    return 0 if verified < 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
