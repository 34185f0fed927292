"""Benchmark: the audit chain's lock against unsealed appends sealed in order by one writer (PostgreSQL only).

Today every clinical read appends to the chain through `confide.audit.services.record()`: it takes the transaction
lock `pg_advisory_xact_lock`, reads the tail's seq and MAC, computes the HMAC and inserts, and the lock is held until
the transaction commits (with fsync on, through the commit's WAL flush). So every request that reads a chart waits
its turn behind every other one. This bench measures that beside a design that takes the chain off the request path:

1. "today": W writer processes, each running T short transactions of one indexed SELECT on the clients table (the
   request's own work; `--work none` leaves it out) and one `record()`: the real locked chain.
2. "staged": the same transactions, but the entry is INSERTed into an append-only staging table (created here,
   `bench_audit_staged`) with no lock, no tail read and no chain MAC; the request checks the entry as `record()`
   does (declared code, identifiers, detail, column widths) and stores the entry's own, unchained MAC (below).
   One sealer process loops: it picks the next staged rows in the order below, chains them with the project's own
   functions (chain.py's `canonical_values` and `mac_of`, as `record()` does) into the real chain table,
   `audit_auditentry`, and moves its cursor (kept in `bench_audit_sealer_state`) in the same transaction. It takes
   the chain's advisory lock for each batch, so `record()` could keep writing the same chain beside it (one lock
   per batch instead of one per entry).

The sealer's order. An identity column gives each staged row a number at INSERT, but transactions commit in another
order: when the sealer sees id 1001 committed, id 1000 may belong to a transaction that is still running (it would
commit later and be skipped, or chained out of order) or one that rolled back (a gap forever); from ids alone the two
cannot be told apart. So each staged row also carries its inserting transaction's id, `pg_current_xact_id()` (xid8,
64-bit, never wraps), and the sealer seals in (xid, id) order, and only rows with xid below
`pg_snapshot_xmin(pg_current_snapshot())`, evaluated in the same statement that reads them. Why that is a gap-free,
final prefix: the snapshot's xmin is the oldest transaction id still running when the statement began, so every
transaction with an xid below it has ended, committed (its rows are visible to that very snapshot) or rolled back
(its rows never will be); and no transaction can ever get an xid below it, since xids are handed out in increasing
order. So the set of rows with xid < xmin never changes again, and sealing them in (xid, id) order, from where the
last batch stopped, puts every committed row in the chain exactly once, in one deterministic order, whatever order
they committed in. (A subtransaction's row carries its top-level xid, which is below its own and runs as long.)
The price: `at` no longer rises strictly along seq (the order is of first writes, not of commits), and any long
transaction that has written anything, anywhere on the cluster (xmin is cluster-wide), holds the sealing back, not
the requests, until it ends. Sealing "rows older than the oldest running transaction" by time would need clocks to
agree; a commit-order sequence would need the very serialization this removes.

The trade-off. A crash between a request's commit and its seal loses nothing: the staged row is as durable as any
committed row, it is only not yet chained; the sealer resumes from its cursor (committed with the batch it sealed,
so a crashed batch is sealed again from scratch, never twice). But until a row is sealed no chain covers it: in the
seal lag, and for as long as the sealer is down, someone who can write the database but does not hold the key can
delete a staged row, or insert a copy of one (a replay), and nothing will show it: the chain seals what it finds.
(Today an entry is chained from its commit on, and cutting off the newest entries is caught only back to the last
anchor or exported head: the lag window is that weakness widened to every unsealed row.) Editing a staged row or
forging a new one is caught: the request also stores the entry's own MAC (unchained, no lock: microseconds), which
the sealer checks before chaining, refusing the whole batch on a mismatch (ForgedEntry). A unique index on that
MAC would refuse exact replays, at one more index insert per request (not measured here). Grants (INSERT only for
the application's role on the staging table), the append-only triggers of audit migration 0002 on it, and a short,
alarmed lag narrow the window; `verify()` should report staged rows older than some bound as a finding. Requests
also no longer fail when the chain cannot be extended: a stopped sealer leaves the log growing unsealed.

The bench checks itself: at the end `verify()` must pass over the whole table with every entry counted, every
committed transaction's entry (each carries a unique object_id) must be in the chain exactly once and no rolled-back
one at all (every `--rollback-every`th transaction rolls back after appending), and the sealed order must be the
staging table's (xid, id) order. It also counts the entries whose transaction was still running when a pick already
saw a higher id ("late"): the hazard is real, and `--order id` (seal every visible row past the last id) fails the
checks.
Run from the repository root, against a throwaway database (created with psql; the bench migrates it and drops its
own tables first):

    source scripts/pg.sh; pg_start; psql "$PG_URL/postgres" -c 'CREATE DATABASE sealer' -c 'CREATE DATABASE vault'
    DATABASE_URL="$PG_URL/sealer" VAULT_DATABASE_URL="$PG_URL/vault" \\
        .venv/bin/python bench/audit/sealer.py --writers 1,2,4,8,16 --transactions 2000
"""

from __future__ import annotations

import argparse
import hmac
import json
import multiprocessing
import os
import platform
import queue
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STAGED = "bench_audit_staged"
STATE = "bench_audit_sealer_state"
ACTION = "confide.client.viewed"
BENCH_USER = "bench-sealer"
CLIENTS = 1000
DESIGNS = ("today", "staged")

SCHEMA = f"""
DROP TABLE IF EXISTS {STAGED}, {STATE};
CREATE TABLE {STAGED} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at timestamptz NOT NULL,
    action varchar(80) NOT NULL,
    outcome varchar(10) NOT NULL,
    actor_id bigint NULL,
    actor_username varchar(150) NOT NULL,
    client_id bigint NULL,
    object_type varchar(40) NOT NULL,
    object_id varchar(40) NOT NULL,
    ip varchar(64) NOT NULL,
    detail jsonb NOT NULL,
    mac char(64) NOT NULL
);
CREATE INDEX {STAGED}_order ON {STAGED} (xid, id);
CREATE TABLE {STATE} (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_xid xid8 NOT NULL,
    last_id bigint NOT NULL,
    sealed bigint NOT NULL
);
INSERT INTO {STATE} VALUES (true, '0', 0, 0);
"""  # noqa: S608 (the bench's own table names)
STAGE_SQL = (
    f"INSERT INTO {STAGED} (at, action, outcome, actor_id, actor_username, client_id, object_type, object_id, ip, "  # noqa: S608
    "detail, mac) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
# One statement, so one snapshot: the snapshot whose xmin bounds the rows is the one that reads them. Its text and
# the highest id visible at all come back too (on a row of NULLs when there is nothing to seal), only for the
# bench's count of "late" entries.
_PICK = (
    f"WITH snap AS (SELECT pg_current_snapshot() AS s, (SELECT max(id) FROM {STAGED}) AS top) "  # noqa: S608
    "SELECT snap.s::text, snap.top, p.* FROM snap LEFT JOIN LATERAL (SELECT s.id, s.xid::text AS xid_text, s.at, "
    "s.action, s.outcome, s.actor_id, s.actor_username, s.client_id, s.object_type, s.object_id, s.ip, "
    f"s.detail::text, s.mac FROM {STAGED} s WHERE {{where}} ORDER BY {{order}} LIMIT %s) p ON true"
)
# ORDER BY names the table's columns (s.xid): a bare `xid` would sort by the output column `xid::text`, as text.
PICK_SQL = _PICK.format(
    where="s.xid < pg_snapshot_xmin(snap.s) AND (s.xid, s.id) > (%s::xid8, %s)", order="s.xid, s.id"
)
# The wrong order, for --order id only (to show that the checks catch it): every visible row past the last id.
PICK_BY_ID_SQL = _PICK.format(where="%s::xid8 IS NOT NULL AND s.id > %s", order="s.id")
# A sealer that took, at the same instants, every visible row up to the highest visible id would have skipped the
# rows below that id whose transactions were still running then (and committed later).
LATE_SQL = (
    f"SELECT count(*) FROM {STAGED} r JOIN bench_picks p ON r.id > p.after AND r.id <= p.top "  # noqa: S608
    "WHERE NOT pg_visible_in_snapshot(r.xid, p.snap)"
)
CHAIN_COLUMNS = (
    "seq, at, action, outcome, actor_id, actor_username, client_id, object_type, object_id, ip, detail, prev_mac, mac"
)
COPY_SQL = f"COPY audit_auditentry ({CHAIN_COLUMNS}) FROM STDIN"
MOVE_SQL = f"UPDATE {STATE} SET last_xid = %s::xid8, last_id = %s, sealed = sealed + %s"  # noqa: S608


class _Rollback(Exception):
    """Raised inside a writer's transaction to roll it back after its entry was appended."""


@dataclass
class WriterResult:
    latencies: list[float]
    commits: dict[str, float]  # object_id marker -> time.monotonic() just after COMMIT returned
    rolled_back: list[str]
    began: float
    ended: float
    cpu_app: float  # CPU seconds of the writer process over its transactions
    cpu_db: float  # and of its PostgreSQL backend (nan when the server's /proc is not this machine's)


@dataclass
class SealerResult:
    sealed: dict[str, float] = field(default_factory=dict)  # marker -> time.monotonic() after the seal committed
    batches: int = 0
    busy: float = 0.0  # seconds inside seal transactions
    late: int = 0  # entries in progress at a pick that saw a higher id (LATE_SQL)
    cpu: float = 0.0  # CPU seconds of the sealer process and its backend over the whole run, polling included
    error: str = ""


@dataclass
class Run:
    design: str
    writers: int
    results: list[WriterResult]
    sealer: SealerResult | None = None

    @property
    def committed(self) -> dict[str, float]:
        return {marker: at for result in self.results for marker, at in result.commits.items()}

    @property
    def rolled_back(self) -> list[str]:
        return [marker for result in self.results for marker in result.rolled_back]

    @property
    def wall(self) -> float:
        return max(r.ended for r in self.results) - min(r.began for r in self.results)

    @property
    def transactions(self) -> int:
        return sum(len(r.latencies) for r in self.results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", default="1,2,4,8,16", help="comma-separated numbers of concurrent writers")
    parser.add_argument("--transactions", type=int, default=2000, help="transactions per writer")
    parser.add_argument("--designs", default=",".join(DESIGNS), help="today,staged (default both)")
    parser.add_argument("--work", choices=("select", "none"), default="select", help="the request's own work")
    parser.add_argument("--rollback-every", type=int, default=50, help="every Nth transaction rolls back (0: none)")
    parser.add_argument("--batch", type=int, default=2000, help="the sealer's largest batch")
    parser.add_argument("--poll-ms", type=float, default=5.0, help="the sealer's pause after a short batch")
    parser.add_argument(
        "--order",
        choices=("xid", "id"),
        default="xid",
        help="the sealer's order: xid (below the snapshot's xmin, the design) or id (wrong: shows the checks fail)",
    )
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("needs DATABASE_URL (and VAULT_DATABASE_URL) naming a throwaway PostgreSQL database")
    data_dir = Path(tempfile.mkdtemp(prefix="confide-bench-sealer."))
    os.environ["CONFIDE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["AUDIT_ANCHOR_FILE"] = str(data_dir / "audit-anchor.json")
    sys.path.insert(0, str(ROOT))
    try:
        return run(options)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def setup() -> list[int]:
    """Migrate, (re)create the bench's own tables, and seed one clinician and CLIENTS clients to read."""
    from datetime import date

    from django.core.management import call_command
    from django.db import connection

    from confide.clients.models import Client
    from confide.people.models import Role, User

    call_command("migrate", verbosity=0)
    call_command("migrate", database="vault", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(SCHEMA)
    user, _ = User.objects.get_or_create(
        username=BENCH_USER, defaults={"full_name": "Bench Sealer", "role": Role.CLINICIAN}
    )
    have = Client.objects.filter(primary_clinician=user).count()
    Client.objects.bulk_create(
        Client(first_name=f"Client{i}", last_name="Bench", date_of_birth=date(1980, 1, 1), primary_clinician=user)
        for i in range(have, CLIENTS)
    )
    return list(Client.objects.filter(primary_clinician=user).values_list("id", flat=True))


class ForgedEntry(Exception):
    """A staged row whose own MAC does not match its fields: edited or added without the key."""


def row_mac(key: bytes, values: Sequence[Any]) -> str:
    """The staged entry's own MAC, unchained: the chained fields with seq 0 (`at` in canonical text), the genesis
    link. The request computes it (no lock, no tail: ~10 us); the sealer checks it before chaining the row."""
    from confide.audit.chain import GENESIS, canonical_values, mac_of

    return mac_of(key, GENESIS, canonical_values([0, *values]))


def stage(cursor: Any, *, actor: Any, client_id: int, object_id: str, ip: str) -> None:
    """The request's half of design 2: the checks `record()` makes, then one INSERT (no lock, no tail read, and
    only the entry's own MAC, not the chain's)."""
    from datetime import UTC

    from django.utils import timezone

    from confide.audit import actions
    from confide.audit.chain import ACTION_PATTERN, UnchainableValue, canonical_at, clean_detail
    from confide.audit.models import Outcome
    from confide.audit.services import _actor_fields, _check_declared, _text, audit_key

    if not ACTION_PATTERN.fullmatch(ACTION) or len(ACTION) > 80:
        raise UnchainableValue(ACTION)
    detail = clean_detail({})
    _check_declared(actions.action(ACTION), client_id=client_id, object_type="client", detail=detail)
    actor_id, username = _actor_fields(actor)
    at = timezone.now().astimezone(UTC)
    fields = [
        ACTION,
        str(Outcome.OK),
        actor_id,
        _text(username, "actor_username"),
        client_id,
        _text("client", "object_type"),
        _text(object_id, "object_id"),
        _text(ip, "ip"),
    ]
    mac = row_mac(audit_key(), [canonical_at(at), *fields, detail])
    cursor.execute(STAGE_SQL, [at, *fields, json.dumps(detail), mac])


def writer(
    design: str,
    index: int,
    options: argparse.Namespace,
    tag: str,
    client_ids: Sequence[int],
    barrier: Barrier,
    out: Queue[tuple[int, WriterResult]],
) -> None:
    from django.db import connection, transaction

    from confide.audit.services import record
    from confide.clients.models import Client
    from confide.people.models import User

    user = User.objects.get(username=BENCH_USER)
    select = f"SELECT id, first_name, last_name, primary_clinician_id FROM {Client._meta.db_table} WHERE id = %s"  # noqa: S608
    latencies: list[float] = []
    commits: dict[str, float] = {}
    rolled_back: list[str] = []
    every = options.rollback_every
    pid = backend_pid(connection)
    barrier.wait()
    began = time.monotonic()
    app_before, db_before = cpu_seconds(pid)
    for i in range(options.transactions):
        marker = f"{tag}-{index}-{i}"
        client_id = client_ids[(index * 7919 + i) % len(client_ids)]
        roll_back = every > 0 and i % every == every - 1
        start = time.perf_counter()
        try:
            with transaction.atomic():
                if options.work == "select":
                    with connection.cursor() as cursor:
                        cursor.execute(select, [client_id])
                        cursor.fetchone()
                if design == "today":
                    record(
                        ACTION,
                        actor=user,
                        client_id=client_id,
                        object_type="client",
                        object_id=marker,
                        ip=f"10.0.0.{index}",
                    )
                else:
                    with connection.cursor() as cursor:
                        stage(cursor, actor=user, client_id=client_id, object_id=marker, ip=f"10.0.0.{index}")
                if roll_back:
                    raise _Rollback
        except _Rollback:
            rolled_back.append(marker)
        else:
            commits[marker] = time.monotonic()
        latencies.append(time.perf_counter() - start)
    ended = time.monotonic()
    app_after, db_after = cpu_seconds(pid)
    connection.close()
    result = WriterResult(latencies, commits, rolled_back, began, ended, app_after - app_before, db_after - db_before)
    out.put((index, result))


def backend_pid(connection: Any) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds of this process and of the PostgreSQL backend `pid` (from /proc: a server on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, IndexError, ValueError):
        backend = float("nan")
    return time.process_time(), backend


def seal_once(
    connection: Any, key: bytes, cursor_at: tuple[str, int], batch: int, pick: str = PICK_SQL
) -> tuple[list[tuple[str, int]], tuple[str, int], str, int]:
    """Chain the next staged rows whose transactions have all ended, in (xid, id) order, inside the caller's
    transaction. Returns their markers and staging ids, the new cursor, and the pick's snapshot and highest id."""
    from confide.audit.chain import GENESIS, canonical_at, canonical_values, mac_of
    from confide.audit.services import _PG_LOCK_KEY, _TAIL_SQL

    with connection.cursor() as cursor:
        cursor.execute(pick, [cursor_at[0], cursor_at[1], batch])
        picked = cursor.fetchall()
        snapshot, top = str(picked[0][0]), int(picked[0][1] or 0)
        picked = [row[2:] for row in picked if row[2] is not None]
        if not picked:
            return [], cursor_at, snapshot, top
        # The chain's own lock, once per batch: record() may still append beside the sealer.
        cursor.execute(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY}); {_TAIL_SQL}")
        cursor.nextset()
        tail = cursor.fetchone()
        seq, prev = (int(tail[0]), str(tail[1])) if tail else (0, GENESIS)
        rows = []
        for row in picked:
            seq += 1
            values = [seq, canonical_at(row[2]), *row[3:11], json.loads(row[11])]
            if not hmac.compare_digest(row_mac(key, values[1:]), row[12]):
                raise ForgedEntry(f"staged row {row[0]} does not match its MAC")
            mac = mac_of(key, prev, canonical_values(values))
            rows.append((seq, row[2], *row[3:11], row[11], prev, mac))
            prev = mac
        with connection.connection.cursor() as raw, raw.copy(COPY_SQL) as copy:
            for chained in rows:
                copy.write_row(chained)
        last = (str(picked[-1][1]), int(picked[-1][0]))
        cursor.execute(MOVE_SQL, [last[0], last[1], len(picked)])
    return [(str(row[9]), int(row[0])) for row in picked], last, snapshot, top


def sealer(
    options: argparse.Namespace,
    ready: Event,
    target: Synchronized[int],
    out: Queue[SealerResult],
) -> None:
    """Seal until `target` (set by the parent once every writer has finished) entries of this run are chained."""
    from django.db import connection, transaction

    from confide.audit.services import audit_key

    key = audit_key()
    result = SealerResult()
    with connection.cursor() as cursor:  # resume where the last sealer stopped
        cursor.execute(f"SELECT last_xid::text, last_id FROM {STATE}")  # noqa: S608
        state = cursor.fetchone()
    at: tuple[str, int] = (str(state[0]), int(state[1]))
    pid = backend_pid(connection)
    app_before, db_before = cpu_seconds(pid)
    ready.set()
    poll = options.poll_ms / 1000
    pick = PICK_SQL if options.order == "xid" else PICK_BY_ID_SQL
    deadline: float | None = None
    picks: list[tuple[int, int, str]] = []  # (highest id at the pick before, highest id at this pick, snapshot)
    after: int | None = None
    while True:
        wanted = target.value
        if wanted >= 0 and len(result.sealed) >= wanted:
            break
        if wanted >= 0 and deadline is None:
            deadline = time.monotonic() + 10
        if deadline is not None and time.monotonic() > deadline:
            result.error = f"sealed {len(result.sealed)} of {wanted} committed entries, then nothing for 10 s"
            break
        start = time.perf_counter()
        connection.ensure_connection()
        try:
            with transaction.atomic():
                markers, at, snapshot, top = seal_once(connection, key, at, options.batch, pick)
        except ForgedEntry as error:  # nothing of the batch is chained; a real sealer would alert and stop
            result.error = str(error)
            break
        sealed_at = time.monotonic()
        if after is not None and top > after:
            picks.append((after, top, snapshot))
        after = top if after is None else max(after, top)
        if markers:
            if deadline is not None:
                deadline = sealed_at + 10
            result.busy += time.perf_counter() - start
            result.batches += 1
            for marker, _ in markers:
                if marker in result.sealed:
                    result.error = f"{marker} sealed twice"
                result.sealed[marker] = sealed_at
        if len(markers) < options.batch:
            time.sleep(poll)
    app_after, db_after = cpu_seconds(pid)
    result.cpu = app_after - app_before + db_after - db_before
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_picks (after bigint, top bigint, snap pg_snapshot)")
        cursor.executemany("INSERT INTO bench_picks VALUES (%s, %s, %s::pg_snapshot)", picks)
        cursor.execute(LATE_SQL)
        result.late = int(cursor.fetchone()[0])
    connection.close()
    out.put(result)


def measure(design: str, writers: int, options: argparse.Namespace, client_ids: list[int]) -> Run:
    from django.db import connections

    connections.close_all()  # the children open their own; a forked open connection would be shared
    context = multiprocessing.get_context("fork")
    tag = f"{design[0]}{writers}"
    barrier = context.Barrier(writers)
    results_queue: Queue[tuple[int, WriterResult]] = context.Queue()
    sealer_queue: Queue[SealerResult] = context.Queue()
    target: Synchronized[int] = context.Value("q", -1)
    seal_process = None
    if design == "staged":
        ready = context.Event()
        seal_process = context.Process(target=sealer, args=(options, ready, target, sealer_queue))
        seal_process.start()
        if not ready.wait(60):
            raise RuntimeError("the sealer did not start")
    processes = [
        context.Process(target=writer, args=(design, i, options, tag, client_ids, barrier, results_queue))
        for i in range(writers)
    ]
    for process in processes:
        process.start()
    results: dict[int, WriterResult] = {}
    while len(results) < writers:
        try:
            index, result = results_queue.get(timeout=1)
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                raise RuntimeError(f"a writer failed ({design}, W={writers})") from None
            continue
        results[index] = result
    for process in processes:
        process.join()
    run = Run(design, writers, [results[i] for i in range(writers)])
    if seal_process is not None:
        target.value = len(run.committed)
        run.sealer = sealer_queue.get(timeout=120)
        seal_process.join()
    return run


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def check(runs: list[Run]) -> list[str]:
    """What the bench must hold true; returns the failures (an empty list: all good)."""
    from django.db import connection

    from confide.audit.services import count_entries, verify

    failures: list[str] = []
    result = verify(workers=1)
    total = count_entries()
    print(f"verify()     : {'OK' if result.ok else 'BROKEN'}, {result.checked:,} of {total:,} entries in the chain")
    if not result.ok or result.checked != total:
        failures.append(f"verify: {result.broken}, checked {result.checked} of {total}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT object_id FROM audit_auditentry WHERE action = %s ORDER BY seq", [ACTION])
        chained = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT object_id FROM {STAGED} ORDER BY xid, id")  # noqa: S608
        staged_order = [row[0] for row in cursor.fetchall()]
    counts: dict[str, int] = {}
    for marker in chained:
        counts[marker] = counts.get(marker, 0) + 1
    for run in runs:
        committed = run.committed
        missing = [m for m in committed if counts.get(m, 0) != 1]
        leaked = [m for m in run.rolled_back if m in counts]
        label = f"{run.design} W={run.writers}"
        if missing:
            failures.append(f"{label}: {len(missing)} committed entries not in the chain exactly once: {missing[:3]}")
        if leaked:
            failures.append(f"{label}: {len(leaked)} rolled-back entries in the chain: {leaked[:3]}")
        if run.sealer is not None:
            if run.sealer.error:
                failures.append(f"{label}: sealer: {run.sealer.error}")
            if set(run.sealer.sealed) != set(committed):
                failures.append(f"{label}: the sealer sealed {len(run.sealer.sealed)}, {len(committed)} committed")
    sealed_order = [m for m in chained if m.startswith("s")]
    if sealed_order != staged_order:
        failures.append("the chain's order of staged entries is not the staging table's (xid, id) order")
    print(
        f"checks       : {sum(len(r.committed) for r in runs):,} committed entries (each must be in the chain once), "
        f"{sum(len(r.rolled_back) for r in runs):,} rolled back (must be absent), the sealed order (must be the "
        f"staging table's xid, id order): {'OK' if not failures else 'FAILED'}"
    )
    return failures


def run(options: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.db import connection

    writer_counts = [int(w) for w in options.writers.split(",")]
    designs = [d for d in options.designs.split(",") if d]
    if any(d not in DESIGNS for d in designs):
        raise SystemExit(f"--designs takes {', '.join(DESIGNS)}")
    client_ids = setup()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), current_setting('fsync'), current_setting('synchronous_commit')")
        version, fsync, synchronous = cursor.fetchone()
    print(f"machine      : {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at start")  # fmt: skip
    print(f"database     : {' '.join(version.split()[:2])}, fsync={fsync}, synchronous_commit={synchronous}")
    print(f"transactions : {options.transactions:,} per writer, work={options.work}, one in "
          f"{options.rollback_every or 'none'} rolled back after appending; sealer batch <= {options.batch}, "
          f"poll {options.poll_ms:g} ms, order by {options.order}")  # fmt: skip
    print()
    print(f"{'W':>3} {'design':<7} {'tx/s':>6} {'p50 ms':>6} {'p95 ms':>6} {'p99 ms':>6} {'app ms':>6} {'db ms':>6} | "
          f"{'sealed/s':>8} {'capacity':>8} {'batch':>5} {'lag p50':>7} {'lag p99':>7} {'lag max':>7} {'late':>5} "
          f"{'seal ms':>7}")  # fmt: skip
    runs: list[Run] = []
    for writers in writer_counts:
        for design in designs:
            began_load = os.getloadavg()[0]
            measured = measure(design, writers, options, client_ids)
            runs.append(measured)
            latencies = [x * 1000 for r in measured.results for x in r.latencies]
            count = measured.transactions
            app = sum(r.cpu_app for r in measured.results) / count * 1000
            db = sum(r.cpu_db for r in measured.results) / count * 1000
            line = (
                f"{writers:>3} {design:<7} {count / measured.wall:>6,.0f} {percentile(latencies, 50):>6.2f} "
                f"{percentile(latencies, 95):>6.2f} {percentile(latencies, 99):>6.2f} {app:>6.2f} {db:>6.2f} |"
            )
            sealer = measured.sealer
            if sealer is not None and sealer.sealed:
                committed = measured.committed
                lags = [(sealer.sealed[m] - at) * 1000 for m, at in committed.items() if m in sealer.sealed]
                first = min(r.began for r in measured.results)
                span = max(sealer.sealed.values()) - first
                sealed = len(sealer.sealed)
                line += (
                    f" {sealed / span:>8,.0f} {sealed / sealer.busy:>8,.0f} {sealed / sealer.batches:>5.0f} "
                    f"{percentile(lags, 50):>7.1f} {percentile(lags, 99):>7.1f} {max(lags):>7.1f} {sealer.late:>5} "
                    f"{sealer.cpu / sealed * 1000:>7.3f}"
                )
            print(f"{line}   (load {began_load:.1f})", flush=True)
    print()
    print("tx/s: transactions (committed and rolled back) per second of the W writers together; p50-p99: one")
    print("transaction, BEGIN to COMMIT; app ms, db ms: CPU per transaction of the writer processes and of their")
    print("PostgreSQL backends. sealed/s: entries chained per second from the writers' start to the last seal;")
    print("capacity: entries per second of the sealer's time inside its seal transactions; batch: mean entries per")
    print("seal; lag (ms): from a writer's COMMIT returning to the seal's COMMIT returning; late: entries still in")
    print("progress when a pick already saw a higher id, which a sealer taking every visible row up to the highest")
    print("visible id, at the same instants, would have skipped; seal ms: CPU per entry of the sealer and its")
    print("backend, polling included.")
    print()
    failures = check(runs)
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
