"""Benchmark: verify the audit chain over millions of entries (goals: 1,000,000 in under 10 s, 10,000,000 in under
60 s; docs/benchmarks.md), and the incremental verify of new entries on top of an anchored log.

Builds a throwaway SQLite database in a temporary data directory (or uses the PostgreSQL database named by
DATABASE_URL with --postgres), migrates it, writes N chained entries with plain multi-row inserts (the chain computed
in Python by the same functions `record` uses; COPY on PostgreSQL), then times `verify` and the
`confide audit verify` command over them, then records --new entries through `record` and times
`confide audit verify --since-anchor`. Run from the repository root:

    .venv/bin/python bench/audit/run.py [--entries 1000000] [--new 1000] [--keep | --reuse DIR]
    DATABASE_URL=postgres://.../db VAULT_DATABASE_URL=postgres://.../vault \
        .venv/bin/python bench/audit/run.py --postgres
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

ACTIONS = [
    ("confide.client.viewed", "client"),
    ("confide.progress_note.read", "progress_note"),
    ("confide.progress_note.signed", "progress_note"),
    ("confide.session.viewed", "session"),
    ("confide.sign_in.succeeded", ""),
    ("confide.sign_in.failed", ""),
]
COLUMNS = (
    "seq, at, action, outcome, actor_id, actor_username, client_id, object_type, object_id, ip, detail, prev_mac, mac"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=1_000, help="entries recorded before the incremental verify")
    parser.add_argument("--batch", type=int, default=50_000, help="rows per insert batch")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument("--reuse", type=Path, help="a data directory kept by --keep: skip writing the entries")
    parser.add_argument("--postgres", action="store_true", help="use DATABASE_URL/VAULT_DATABASE_URL (PostgreSQL)")
    options = parser.parse_args()

    data_dir = options.reuse or Path(tempfile.mkdtemp(prefix="confide-bench-audit."))
    os.environ["CONFIDE_DATA_DIR"] = str(data_dir)
    if not options.postgres:
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("VAULT_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["AUDIT_ANCHOR_FILE"] = str(data_dir / "audit-anchor.json")
    sys.path.insert(0, str(ROOT))
    try:
        return run(options, data_dir)
    finally:
        if options.keep or options.reuse:
            print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def rows(total: int, key: bytes, batch: int) -> Iterator[list[tuple[Any, ...]]]:
    """The chained rows, as the database stores them: the time as Django writes it to SQLite (naive UTC text)."""
    from confide.audit.chain import GENESIS, canonical_at, canonical_values, mac_of

    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    prev = GENESIS
    for first in range(1, total + 1, batch):
        chunk = []
        for seq in range(first, min(first + batch, total + 1)):
            action, object_type = ACTIONS[seq % len(ACTIONS)]
            at = start + timedelta(seconds=seq * 7, microseconds=(seq * 7919) % 1_000_000)
            actor = seq % 40 + 1
            failed = action.endswith("failed")
            detail = {"via": "api"} if seq % 3 == 0 else {}
            values = [
                seq,
                canonical_at(at),
                action,
                "failed" if failed else "ok",
                None if failed else actor,
                f"user{actor}",
                seq % 5000 + 1 if object_type else None,
                object_type,
                str(seq % 200_000) if object_type else "",
                f"10.0.{seq % 250}.{seq % 200}",
                detail,
            ]
            mac = mac_of(key, prev, canonical_values(values))
            values[1] = str(at.replace(tzinfo=None))
            values[10] = json.dumps(detail)
            chunk.append((*values, prev, mac))
            prev = mac
        yield chunk


def write(total: int, batch: int) -> None:
    from django.db import connection, transaction

    from confide.audit.services import _key

    with transaction.atomic():
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            copy_sql = f"COPY audit_auditentry ({COLUMNS}) FROM STDIN"
            with connection.connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for chunk in rows(total, _key(), batch):
                    for row in chunk:
                        copy.write_row(row)
            return
        sql = f"INSERT INTO audit_auditentry ({COLUMNS}) VALUES ({', '.join(['%s'] * 13)})"  # noqa: S608
        with connection.cursor() as cursor:
            for chunk in rows(total, _key(), batch):
                cursor.executemany(sql, chunk)


def cpu_seconds() -> float:
    """User and system time of this process and its finished children (the parallel walk's workers): on a machine
    shared with other work, what the walk cost regardless of how long it waited for a core."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(options: argparse.Namespace, data_dir: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from confide.audit.models import AuditEntry
    from confide.audit.services import record, verify

    call_command("migrate", verbosity=0)
    call_command("migrate", database="vault", verbosity=0)
    total = options.entries
    began = time.perf_counter()
    if AuditEntry.objects.count() == 0:
        write(total, options.batch)
        inserted: float | None = time.perf_counter() - began
    else:
        inserted = None
        total = AuditEntry.objects.count()
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    connection.close()

    load_before = os.getloadavg()[0]  # other work on the machine: what the wall-clock times below compete with
    began, cpu = time.perf_counter(), cpu_seconds()
    result = verify()
    verified, verified_cpu = time.perf_counter() - began, cpu_seconds() - cpu
    assert result.ok and result.checked == total, result

    began, cpu = time.perf_counter(), cpu_seconds()
    out = io.StringIO()
    call_command("audit", "verify", "--no-progress", stdout=out)
    command, command_cpu = time.perf_counter() - began, cpu_seconds() - cpu
    full_output = out.getvalue().strip()

    for i in range(options.new):
        record("confide.client.viewed", actor=None, client_id=i % 5000 + 1, detail={})
    began, cpu = time.perf_counter(), cpu_seconds()
    out = io.StringIO()
    call_command("audit", "verify", "--since-anchor", "--no-progress", stdout=out)
    incremental, incremental_cpu = time.perf_counter() - began, cpu_seconds() - cpu

    goal = 10 if total < 2_000_000 else 60 * total / 10_000_000  # a reused log has grown a little past its size
    if vendor == "SQLite":
        size = sum(path.stat().st_size for path in data_dir.glob("confide.sqlite3*")) / 1e6
        where = f"{size:,.0f} MB database"
    else:
        where = "PostgreSQL on the same machine"
    print(f"machine      : {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {vendor}")  # fmt: skip
    print(f"entries      : {total:,} ({where})")
    print(f"load average : {load_before:.2f} before verify(), {os.getloadavg()[0]:.2f} at the end (1-minute averages)")
    if inserted is not None:
        print(f"insert       : {inserted:6.2f} s  ({total / inserted:,.0f} entries/s, plain inserts, chain in Python)")
    cores = os.cpu_count() or 1
    print(f"verify()     : {verified:6.2f} s  ({total / verified:,.0f} entries/s)  goal < {goal:.0f} s")
    spread = verified_cpu / cores
    print(f"               CPU {verified_cpu:.2f} s in all processes: {spread:.2f} s spread over {cores} idle cores")
    print(f"audit verify : {command:6.2f} s  (the command: walk, anchor); CPU {command_cpu:.2f} s")
    print(f"  {full_output.splitlines()[0]}")
    print(
        f"--since-anchor: {incremental * 1000:6.1f} ms, CPU {incremental_cpu * 1000:.1f} ms "
        f"({options.new:,} new entries on top of {total:,})"
    )
    print(f"  {out.getvalue().strip().splitlines()[0]}")
    return 0 if verified < goal else 1


if __name__ == "__main__":
    raise SystemExit(main())
