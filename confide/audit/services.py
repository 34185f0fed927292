"""The one door into the audit log. Call `record` inside the transaction of the change it describes."""

from __future__ import annotations

import hmac
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Q
from django.utils import timezone

from confide.audit import actions
from confide.audit.anchor import Checkpoint
from confide.audit.chain import (
    ACTION_PATTERN,
    GENESIS,
    VERSION,
    KeyedSha256,
    UnchainableValue,
    canonical_at,
    canonical_detail,
    canonical_stored_at,
    canonical_values,
    clean_detail,
    head_encoder,
    mac_of,
)
from confide.audit.models import AuditEntry, AuditQuerySet, Outcome
from confide.clients.models import Client
from confide.lib.current import client_address
from confide.lib.errors import ConfideError, NotFound
from confide.people.models import User

# Serializes appends so the chain has one tail; held only for the length of the writing transaction.
_PG_LOCK_KEY = 0x434F4E46  # "CONF"


def _key() -> bytes:
    return str(settings.AUDIT_HMAC_KEY).encode()


def audit_key() -> bytes:
    """AUDIT_HMAC_KEY as bytes: the chain's key (and, derived from it, the exported heads' signing key)."""
    return _key()


def _db() -> str:
    return router.db_for_write(AuditEntry)


def _text(value: object, field: str) -> str:
    # Callers pass what they were given (a failed sign-in's username is the attacker's choice): cut to the column's
    # width and drop NULs here, so PostgreSQL never refuses the entry and both databases store the same text.
    return str(value).replace("\x00", "")[: _WIDTHS[field]]


_WIDTHS = {"actor_username": 150, "object_type": 40, "object_id": 40, "ip": 64}  # the model's max_length


def _check_declared(declared: actions.Action, *, client_id: object, object_type: str, detail: dict[str, Any]) -> None:
    if client_id is not None and not declared.client:
        raise actions.UnregisteredAction(f"{declared.code} does not carry a client id")
    if object_type and not declared.allows_object(object_type):
        raise actions.UnregisteredAction(f"{declared.code} does not carry a {object_type!r} object")
    extra = sorted(set(detail) - declared.detail - declared.clinical)
    if extra:
        raise actions.UnregisteredAction(f"{declared.code} does not carry the detail key(s) {', '.join(extra)}")


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return int(actor.pk), str(actor.get_username())


def record(
    action: str,
    *,
    actor: Any,
    client_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    outcome: str = Outcome.OK,
    ip: str = "",
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry to the chain. Atomic with the caller's transaction when there is one.

    The code must be declared in confide/audit/actions.py, and the entry may carry only the identifiers and detail
    keys its declaration allows (UnregisteredAction otherwise)."""
    if not ACTION_PATTERN.fullmatch(action) or len(action) > 80:
        raise UnchainableValue(f"{action!r} is not a dotted action code such as confide.progress_note.signed")
    if outcome not in Outcome.values:
        raise UnchainableValue(f"outcome must be one of {Outcome.values}, not {outcome!r}")
    cleaned_detail = clean_detail(detail or {})
    _check_declared(actions.action(action), client_id=client_id, object_type=object_type, detail=cleaned_detail)
    actor_id, actor_username = _actor_fields(actor)
    ip = ip or client_address()  # the request's, when the caller had none to hand (confide/lib/current.py)
    if outcome == Outcome.DENIED:
        _refusals.set(_refusals.get() + 1)
    alias = _db()
    connection = connections[alias]
    # No savepoint inside the caller's transaction: an entry that cannot be written fails that whole transaction
    # (nothing happens unaudited), and on PostgreSQL the savepoint and its release were two of four round trips.
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip: take the lock, then read the tail. Each statement of a multi-statement query takes its
            # own snapshot under READ COMMITTED, so the tail is read after the lock is held.
            cursor.execute(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY}); {_TAIL_SQL}")
            cursor.nextset()
        else:
            cursor.execute(_TAIL_SQL)
        last = cursor.fetchone()
        seq, prev_mac = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
        at = timezone.now().astimezone(UTC)
        values: list[Any] = [
            seq,
            canonical_at(at),
            action,
            str(outcome),
            actor_id,
            _text(actor_username or username, "actor_username"),
            None if client_id is None else int(client_id),
            _text(object_type, "object_type"),
            _text(object_id, "object_id"),
            _text(ip, "ip"),
            cleaned_detail,
        ]
        mac = mac_of(_key(), prev_mac, canonical_values(values))
        entry = AuditEntry(
            seq=seq,
            at=at,
            action=action,
            outcome=values[3],
            actor_id=actor_id,
            actor_username=values[5],
            client_id=values[6],
            object_type=values[7],
            object_id=values[8],
            ip=values[9],
            detail=cleaned_detail,
            prev_mac=prev_mac,
            mac=mac,
        )
        # Two plain statements rather than the ORM's: every read of a chart appends here, and building the ORM's
        # queries cost more than running them (bench/web). The values pass through the fields' own adapters.
        cursor.execute(
            _INSERT_SQL, [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in _FIELDS]
        )
        entry.pk = cursor.fetchone()[0]
        entry._state.adding = False
        entry._state.db = alias
        return entry


_FIELDS = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
_TABLE = AuditEntry._meta.db_table
# Names from the model's own metadata, values always as parameters.
_TAIL_SQL = f'SELECT "seq", "mac" FROM "{_TABLE}" ORDER BY "seq" DESC LIMIT 1'  # noqa: S608
_INSERT_SQL = (
    f'INSERT INTO "{_TABLE}" ({", ".join(f'"{f.column}"' for f in _FIELDS)}) '  # noqa: S608
    f'VALUES ({", ".join(["%s"] * len(_FIELDS))}) RETURNING "id"'
)


# --- Verification -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenEntry:
    seq: int
    action: str
    at: str
    why: str

    def __str__(self) -> str:
        return f"entry #{self.seq} ({self.action or 'unknown action'}, {self.at or 'unknown time'}): {self.why}"


@dataclass(frozen=True)
class VerifyResult:
    checked: int  # the entries the log is known good up to: seq 1 to `checked`
    broken: BrokenEntry | None
    head: Checkpoint | None
    # Not part of what was found, so not compared: how many rows this verify read, and the first seq it read
    # (an incremental verify reads from the anchor on).
    read: int = field(default=0, compare=False)
    start: int = field(default=1, compare=False)

    @property
    def ok(self) -> bool:
        return self.broken is None

    @property
    def first_broken_seq(self) -> int | None:
        return None if self.broken is None else self.broken.seq

    @property
    def reason(self) -> str:
        return "" if self.broken is None else self.broken.why


class Progress(Protocol):
    def update(self, n: int = 1) -> object: ...


_COLUMNS = (
    "seq", "{at}", "action", "outcome", "actor_id", "actor_username", "client_id", "object_type", "object_id", "ip",
    "detail", "prev_mac", "mac",
)  # fmt: skip
_DETAIL_CACHE_SIZE = 4096  # details repeat ({"via": "api"}): their canonical form is computed once per distinct text


def _batches(alias: str, size: int, after: int = -(2**63), upto: int = 2**63 - 1) -> Iterator[list[tuple[Any, ...]]]:
    """Rows with after < seq <= upto, in order, a page at a time."""
    # Raw keyset pages over the unique seq index: no model instances, no per-row converters, constant memory.
    connection = connections[alias]
    # The stored time as canonical text ("2026-01-05T08:00:07.007919Z"), which the walk takes as it stands. SQLite
    # holds what Django wrote ("2026-01-05 08:00:07.007919", no ".000000" on whole seconds): the same mapping as
    # canonical_stored_at, done by SQLite; any other shape comes as stored (`at || ''` has no declared type, so the
    # driver skips Django's timestamp converter) and is mapped by the walk. PostgreSQL formats it itself.
    at = {
        "sqlite": (
            "CASE WHEN substr(at, 11, 1) = ' ' AND length(at) = 26 THEN substr(at, 1, 10) || 'T' || substr(at, 12) "
            "|| 'Z' WHEN substr(at, 11, 1) = ' ' AND length(at) = 19 THEN substr(at, 1, 10) || 'T' || substr(at, 12) "
            "|| '.000000Z' ELSE at || '' END"
        ),
        "postgresql": "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
    }.get(connection.vendor, "at")
    columns = ", ".join(_COLUMNS).format(at=at)
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    sql = f"SELECT {columns} FROM {table} WHERE seq > %s AND seq <= %s ORDER BY seq LIMIT %s"  # noqa: S608
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [after, upto, size])
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            after = rows[-1][0]


def count_entries(*, since: int = 1) -> int:
    """Entries with seq >= since."""
    entries = AuditEntry.objects.using(router.db_for_read(AuditEntry))
    return (entries.filter(seq__gte=since) if since > 1 else entries).count()


def _wanted(checkpoints: Iterable[Checkpoint]) -> dict[int, list[Checkpoint]]:
    """Checkpoints by seq. Two at one seq may disagree (an anchor and a head kept elsewhere): both are checked."""
    wanted: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        wanted.setdefault(checkpoint.seq, []).append(checkpoint)
    return wanted


@dataclass(frozen=True)
class _Walk:
    """What walking one stretch of the chain found. `first_*` describe its first row, whose link to the stretch
    before it is checked by the caller when `expected_prev` was not known (a parallel stretch)."""

    first_seq: int | None
    first_prev: str | None
    last: tuple[int, str, str, str] | None
    next_seq: int
    broken: BrokenEntry | None
    rows: int
    first_shown: tuple[str, str] = ("", "")  # the first row's action and time, to name it if its link is broken


def _walk(
    batches: Iterable[Sequence[tuple[Any, ...]]],
    *,
    key: bytes,
    expected_seq: int | None,
    expected_prev: str | None,
    wanted: dict[int, list[Checkpoint]],
    progress: Progress | None = None,
) -> _Walk:
    """Check seq, link and MAC of every row in order; stop at the first broken one. `expected_seq`/`expected_prev`
    None: take the first row's own (the caller checks them against the stretch before).

    Pure: `batches` are lists of tuples in `_COLUMNS` order (the time as the database stores it, `detail` as JSON
    text), from `_batches` or from memory (`verify_rows`)."""
    first_seq: int | None = None
    first_prev: str | None = None
    first_shown = ("", "")
    rows_seen = 0
    want_seq: int = 1 if expected_seq is None else expected_seq
    want_prev: str = "" if expected_prev is None else expected_prev
    details: dict[Any, str] = {}
    good: tuple[Any, ...] | None = None  # the last row that verified
    # Locals, not globals or attributes, in the loop below: it runs once per entry (goal: 10,000,000 in < 60 s).
    loads, compare, encode_detail, text_at = json.loads, hmac.compare_digest, canonical_detail, canonical_stored_at
    encode_head, join = head_encoder(), "".join
    inner_pad, outer_pad = KeyedSha256(key).pads()
    inner_copy, outer_copy = inner_pad.copy, outer_pad.copy
    version = VERSION.decode()

    def last() -> tuple[int, str, str, str] | None:
        return None if good is None else (good[0], good[12], good[2], text_at(good[1]))

    def stop(seq: int, action: str, at: object, why: str) -> _Walk:
        shown = text_at(at) if isinstance(at, datetime | str) else ""
        broken = BrokenEntry(seq, action, shown, why)
        return _Walk(first_seq, first_prev, last(), want_seq, broken, rows_seen, first_shown)

    for rows in batches:
        rows_seen += len(rows)
        for row in rows:
            seq, at, prev_mac = row[0], row[1], row[11]
            if first_seq is None:
                first_seq, first_prev = seq, prev_mac
                first_shown = (row[2], text_at(at) if isinstance(at, datetime | str) else "")
                if expected_seq is None:  # a parallel stretch: take the first row's own
                    want_seq = seq
                if expected_prev is None:  # also an incremental verify, which starts at the anchor's entry
                    want_prev = prev_mac
            if seq != want_seq:
                return stop(seq, row[2], at, _out_of_sequence(want_seq, seq))
            if prev_mac != want_prev:
                return stop(seq, row[2], at, "its link to the previous entry is broken (reordered or inserted)")
            # The query hands the time over in canonical text ("2026-01-05T08:00:07.007919Z"), so the chained
            # fields but `detail` are the row's first ten as they stand; any other shape is mapped here.
            if at.__class__ is str and len(at) == 27 and at[10] == "T" and at[26] == "Z":
                head = row[:10]
            else:
                head = (seq, text_at(at), *row[2:10])
            detail = row[10]
            detail_key = detail if isinstance(detail, str | bytes) else json.dumps(detail, sort_keys=True)
            detail_json = details.get(detail_key)
            if detail_json is None:
                detail_json = encode_detail(loads(detail_key))
                if len(details) >= _DETAIL_CACHE_SIZE:
                    details.clear()
                details[detail_key] = detail_json
            # HMAC-SHA256 with the pads hashed once (KeyedSha256), inlined; the message as canonical_parts builds it.
            inner = inner_copy()
            message = version + prev_mac + "|" + join(encode_head(head, 0))[:-1] + "," + detail_json + "]"
            inner.update(message.encode())
            outer = outer_copy()
            outer.update(inner.digest())
            mac = row[12]
            if not compare(outer.hexdigest(), mac):
                return stop(seq, row[2], at, "its contents were changed after it was written (MAC mismatch)")
            if wanted and seq in wanted:
                for checkpoint in wanted[seq]:
                    if not compare(mac, checkpoint.mac):
                        why = f"it is not the entry recorded by the checkpoint {_when(checkpoint)}"
                        return stop(seq, row[2], at, why)
            want_prev = mac
            want_seq += 1
            good = row
        if progress is not None:
            progress.update(len(rows))
    return _Walk(first_seq, first_prev, last(), want_seq, None, rows_seen, first_shown)


def _out_of_sequence(expected: int, seq: int) -> str:
    if seq > expected:
        missing = f"#{expected}" if seq == expected + 1 else f"#{expected} to #{seq - 1}"
        return f"entries are missing before it ({missing})"
    return "its sequence number is out of order"


# The fast walk (SQLite): SQLite encodes the chained fields but `detail` itself (json_array, the time mapped from
# Django's stored text as canonical_stored_at maps it) and hands over five columns instead of thirteen. Where its
# encoding is not the canonical one (it leaves non-ASCII characters as they are; an odd time comes as stored), the
# MAC does not match and the page is walked again by `_walk`: the difference can only cost time. A match is as good
# as the exact check's: the canonical text is ASCII JSON, and JSON that SQLite wrote reads back as the stored values,
# so it can only match the canonical text of the very values the writer chained.
_FAST_AT = (
    "CASE length(at) WHEN 26 THEN replace(at, ' ', 'T') || 'Z' WHEN 19 THEN replace(at, ' ', 'T') || '.000000Z' "
    "ELSE at END"
)
_FAST_COLUMNS = (
    f"seq, prev_mac, mac, json_array(seq, {_FAST_AT}, action, outcome, actor_id, actor_username, client_id, "
    "object_type, object_id, ip), detail"
)


def _walk_stored(
    alias: str,
    batch: int,
    *,
    after: int = -(2**63),
    upto: int = 2**63 - 1,
    key: bytes,
    expected_seq: int | None,
    expected_prev: str | None,
    wanted: dict[int, list[Checkpoint]],
    progress: Progress | None = None,
) -> _Walk:
    """`_walk` over the stored rows with after < seq <= upto: the fast walk on SQLite, the exact one elsewhere."""
    if connections[alias].vendor == "sqlite":
        return _walk_fast(
            alias,
            batch,
            after=after,
            upto=upto,
            key=key,
            expected_seq=expected_seq,
            expected_prev=expected_prev,
            wanted=wanted,
            progress=progress,
        )
    rows = _batches(alias, batch, after, upto)
    return _walk(
        rows, key=key, expected_seq=expected_seq, expected_prev=expected_prev, wanted=wanted, progress=progress
    )


def _one(alias: str, key: bytes, seq: int) -> _Walk:
    """The exact walk of the single entry `seq`: its first_* and last as `_walk` shows them."""
    return _walk(_batches(alias, 1, seq - 1, seq), key=key, expected_seq=None, expected_prev=None, wanted={})


def _checkpoint_differs(checkpoints: list[Checkpoint], mac: str) -> bool:
    return any(not hmac.compare_digest(mac, checkpoint.mac) for checkpoint in checkpoints)


def _walk_fast(
    alias: str,
    batch: int,
    *,
    after: int,
    upto: int,
    key: bytes,
    expected_seq: int | None,
    expected_prev: str | None,
    wanted: dict[int, list[Checkpoint]],
    progress: Progress | None,
) -> _Walk:
    """What `_walk` over `_batches(alias, batch, after, upto)` finds, from SQLite's encoding of each page. A page
    whose every row has the expected seq and link and a MAC matching that encoding is verified; any other page (and
    the rest, if SQLite refuses to encode a value) is walked by `_walk`, which decides and names the broken entry."""
    connection = connections[alias]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    sql = f"SELECT {_FAST_COLUMNS} FROM {table} WHERE seq > %s AND seq <= %s ORDER BY seq LIMIT %s"  # noqa: S608
    details: dict[Any, bytes] = {}
    loads, encode_detail = json.loads, canonical_detail
    inner_pad, outer_pad = KeyedSha256(key).pads()
    inner_pad = inner_pad.copy()
    inner_pad.update(VERSION)  # the same at the start of every message
    inner_copy, outer_copy = inner_pad.copy, outer_pad.copy
    want_seq, want_prev = expected_seq, expected_prev  # None: take the first row's own, as `_walk` does
    start = after
    first: _Walk | None = None  # the exact walk that shows the first row (`first_*`)
    good: int | _Walk | None = None  # the last row that verified: its seq, or the exact walk that verified it
    rows_seen = 0

    def exact(upto: int, progress: Progress | None) -> _Walk:
        rows = _batches(alias, batch, start, upto)
        return _walk(rows, key=key, expected_seq=want_seq, expected_prev=want_prev, wanted=wanted, progress=progress)

    def done(walked: _Walk) -> _Walk:
        """The whole walk, ending with `walked` (the exact walk of a page or of the rest, or an empty one)."""
        shown = first or walked
        last = walked.last
        if last is None and good is not None:
            last = good.last if isinstance(good, _Walk) else _one(alias, key, good).last
        rows = rows_seen + walked.rows
        return _Walk(shown.first_seq, shown.first_prev, last, walked.next_seq, walked.broken, rows, shown.first_shown)

    with connection.cursor() as cursor:
        while True:
            try:
                cursor.execute(sql, [start, upto, batch])
                rows = cursor.fetchall()
            except DatabaseError:  # a value json_array refuses (a BLOB): the exact walk reads the rest
                return done(exact(upto, progress))
            if not rows:
                return done(_Walk(None, None, None, 1 if want_seq is None else want_seq, None, 0))
            next_seq = rows[0][0] if want_seq is None else want_seq
            next_prev = rows[0][1] if want_prev is None else want_prev
            verified = True
            try:
                for seq, prev_mac, mac, head, detail in rows:
                    if seq != next_seq or prev_mac != next_prev:
                        verified = False
                        break
                    tail = details.get(detail)
                    if tail is None:
                        # Not JSON text: b"" matches no MAC, and the exact walk does what it does with it.
                        tail = b"," + encode_detail(loads(detail)).encode() + b"]" if detail.__class__ is str else b""
                        if len(details) >= _DETAIL_CACHE_SIZE:
                            details.clear()
                        details[detail] = tail
                    # HMAC-SHA256 from the pads (KeyedSha256), the message as canonical_parts builds it.
                    inner = inner_copy()
                    inner.update((prev_mac + "|" + head[:-1]).encode())
                    inner.update(tail)
                    outer = outer_copy()
                    outer.update(inner.digest())
                    if outer.hexdigest() != mac or (wanted and seq in wanted and _checkpoint_differs(wanted[seq], mac)):
                        verified = False
                        break
                    next_prev = mac
                    next_seq += 1
            except (TypeError, ValueError):  # a NULL where text belongs, a detail that is not JSON
                verified = False
            if verified:
                first = first or _one(alias, key, rows[0][0])
                good, want_seq, want_prev = rows[-1][0], next_seq, next_prev
                rows_seen += len(rows)
            else:
                walked = exact(rows[-1][0], None)
                if walked.broken is not None or walked.last is None:
                    return done(walked)
                first = first or walked
                good, want_seq, want_prev = walked, walked.next_seq, walked.last[1]
                rows_seen += walked.rows
            start = rows[-1][0]
            if progress is not None:
                progress.update(len(rows))


# Below this many entries one process is quicker than starting others (and tests stay in one transaction).
PARALLEL_MIN_ENTRIES = 200_000


def _can_read_in_parallel(alias: str) -> bool:
    """Other processes see the same committed rows: not inside a transaction, not an in-memory SQLite database."""
    connection = connections[alias]
    name = str(connection.settings_dict.get("NAME", ""))
    in_memory = connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)
    return not connection.in_atomic_block and not in_memory and connection.vendor in ("sqlite", "postgresql")


def _walk_stretch(job: tuple[str, int, int, int, bytes, dict[int, list[Checkpoint]]]) -> _Walk:
    alias, after, upto, batch, key, wanted = job
    try:
        return _walk_stored(
            alias, batch, after=after, upto=upto, key=key, expected_seq=None, expected_prev=None, wanted=wanted
        )
    finally:
        connections.close_all()


def _verify_parallel(
    alias: str,
    *,
    workers: int,
    batch: int,
    key: bytes,
    wanted: dict[int, list[Checkpoint]],
    progress: Progress | None,
) -> tuple[_Walk, int]:
    """Each process walks one stretch of seq; the stretches are then joined in order, checking that each starts
    where the one before ended (its first seq and its link). Same findings, same order, as one walk."""
    import multiprocessing

    top = AuditEntry.objects.using(alias).order_by("-seq").values_list("seq", flat=True).first() or 0
    parts = workers * 4  # several stretches per process: the progress bar moves, and stragglers even out
    bounds = [-(2**63)] + [top * i // parts for i in range(1, parts)] + [2**63 - 1]
    jobs = [(alias, bounds[i], bounds[i + 1], batch, key, wanted) for i in range(parts)]
    connections.close_all()  # the children open their own; a forked open connection would be shared
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        expected_seq, expected_prev = 1, GENESIS
        last: tuple[int, str, str, str] | None = None
        read = 0
        for stretch in pool.imap(_walk_stretch, jobs):
            read += stretch.rows
            if progress is not None:
                progress.update(stretch.rows)
            if stretch.first_seq is not None and stretch.first_prev is not None:
                first = stretch.first_seq
                why = ""
                if first != expected_seq:
                    why = _out_of_sequence(expected_seq, first)
                elif stretch.first_prev != expected_prev:
                    why = "its link to the previous entry is broken (reordered or inserted)"
                if why:
                    broken = BrokenEntry(first, *stretch.first_shown, why)
                    return _Walk(None, None, last, expected_seq, broken, read), expected_seq - 1
            if stretch.broken is not None:
                return replace(stretch, rows=read), stretch.next_seq - 1
            if stretch.last is not None:
                last = stretch.last
                expected_seq, expected_prev = stretch.next_seq, stretch.last[1]
    return _Walk(None, None, last, expected_seq, None, read), expected_seq - 1


def verify(
    *,
    batch: int = 50_000,
    progress: Progress | None = None,
    checkpoints: Sequence[Checkpoint] = (),
    key: bytes | None = None,
    workers: int | None = None,
) -> VerifyResult:
    """Walk the chain in order; name the first entry whose sequence number, link or MAC is wrong, or — given
    checkpoints — report that the log no longer reaches one of them or holds another entry there.

    Large logs are walked by several processes at once (`workers`, default one per core) when other processes can
    see the same rows; the result is the same as one walk's."""
    wanted = _wanted(checkpoints)
    key = _key() if key is None else key
    alias = router.db_for_read(AuditEntry)
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers > 1 and _can_read_in_parallel(alias) and count_entries() >= PARALLEL_MIN_ENTRIES:
        walked, checked = _verify_parallel(
            alias, workers=workers, batch=batch, key=key, wanted=wanted, progress=progress
        )
    else:
        walked = _walk_stored(
            alias, batch, key=key, expected_seq=1, expected_prev=GENESIS, wanted=wanted, progress=progress
        )
        checked = walked.next_seq - 1
    return _result(walked, checked, checkpoints)


def verify_rows(
    batches: Iterable[Sequence[tuple[Any, ...]]], *, key: bytes, checkpoints: Sequence[Checkpoint] = ()
) -> VerifyResult:
    """`verify` over rows already in memory, without a database: the same walk and the same findings. Each row is
    a tuple of the stored columns in `_COLUMNS` order (`at` as SQLite stores it or in canonical text, `detail` as
    JSON text)."""
    walked = _walk(batches, key=key, expected_seq=1, expected_prev=GENESIS, wanted=_wanted(checkpoints))
    return _result(walked, walked.next_seq - 1, checkpoints)


def _result(walked: _Walk, checked: int, checkpoints: Sequence[Checkpoint], *, start: int = 1) -> VerifyResult:
    """What a walk that verified up to `checked` found, given the checkpoints it had to reach."""
    if walked.broken is not None:
        return VerifyResult(checked, walked.broken, None, read=walked.rows, start=start)
    head_checkpoint = Checkpoint(*walked.last) if walked.last else None
    beyond = [checkpoint for checkpoint in checkpoints if checkpoint.seq > checked]
    if beyond:
        lost = min(beyond, key=lambda checkpoint: checkpoint.seq)
        why = (
            f"the log ends at #{checked}, but the checkpoint {_when(lost)} shows it reached #{lost.seq}: "
            "its newest entries were removed"
        )
        broken = BrokenEntry(lost.seq, lost.action, lost.at, why)
        return VerifyResult(checked, broken, head_checkpoint, read=walked.rows, start=start)
    return VerifyResult(checked, None, head_checkpoint, read=walked.rows, start=start)


def verify_since(
    anchor: Checkpoint,
    *,
    batch: int = 50_000,
    progress: Progress | None = None,
    checkpoints: Sequence[Checkpoint] = (),
    key: bytes | None = None,
) -> VerifyResult:
    """Verify only what was written since `anchor` (a checkpoint an earlier verify left): the anchor's own entry,
    which must still be there with the anchor's MAC and a valid MAC of its own, and every entry after it. Entries
    before the anchor are not read, so the cost grows with the new entries only; a checkpoint before the anchor is
    checked by looking up the MAC stored at its seq. Edits to entries before the anchor are the full `verify`'s to
    find: run it too, less often."""
    key = _key() if key is None else key
    alias = router.db_for_read(AuditEntry)
    earlier = sorted((c for c in checkpoints if c.seq < anchor.seq), key=lambda checkpoint: checkpoint.seq)
    broken = _stored_macs_match(alias, earlier)
    if broken is not None:
        return VerifyResult(broken.seq - 1, broken, None, start=anchor.seq)
    later = [anchor, *(checkpoint for checkpoint in checkpoints if checkpoint.seq >= anchor.seq)]
    walked = _walk(
        _batches(alias, batch, after=anchor.seq - 1),
        key=key,
        expected_seq=anchor.seq,
        expected_prev=None,  # the anchor's entry links to one verified before; its own MAC is checked
        wanted=_wanted(later),
        progress=progress,
    )
    checked = walked.next_seq - 1
    if walked.first_seq is None:  # nothing left at or after the anchor: the log ends before it
        checked = AuditEntry.objects.using(alias).order_by("-seq").values_list("seq", flat=True).first() or 0
    return _result(walked, checked, later, start=anchor.seq)


def _stored_macs_match(alias: str, checkpoints: Sequence[Checkpoint]) -> BrokenEntry | None:
    """The first of `checkpoints` (in seq order) whose entry is gone or holds another MAC, by looking it up."""
    if not checkpoints:
        return None
    stored = {
        seq: (mac, action, at)
        for seq, mac, action, at in AuditEntry.objects.using(alias)
        .filter(seq__in=[checkpoint.seq for checkpoint in checkpoints])
        .values_list("seq", "mac", "action", "at")
    }
    for checkpoint in checkpoints:
        found = stored.get(checkpoint.seq)
        if found is None:
            why = f"the log no longer holds the entry of the checkpoint {_when(checkpoint)}: it was removed"
            return BrokenEntry(checkpoint.seq, checkpoint.action, checkpoint.at, why)
        mac, action, at = found
        if not hmac.compare_digest(mac, checkpoint.mac):
            why = f"it is not the entry recorded by the checkpoint {_when(checkpoint)}"
            return BrokenEntry(checkpoint.seq, action, canonical_at(at), why)
    return None


def verify_tail() -> VerifyResult:
    """The newest entry as a checkpoint, with its own MAC checked (not the chain before it: that is `verify`'s).
    Cheap enough to run every hour on any size of log."""
    alias = router.db_for_read(AuditEntry)
    top = AuditEntry.objects.using(alias).order_by("-seq").values_list("seq", flat=True).first()
    if top is None:
        return VerifyResult(0, None, None, read=0, start=1)
    rows = _batches(alias, 1, after=top - 1, upto=top)
    walked = _walk(rows, key=_key(), expected_seq=top, expected_prev=None, wanted={})
    return _result(walked, top, (), start=top)


def _when(checkpoint: Checkpoint) -> str:
    shown = ", ".join(part for part in (checkpoint.action, checkpoint.at) if part)
    return f"taken at #{checkpoint.seq}" + (f" ({shown})" if shown else "")


# --- The anchor's trace in the chain ------------------------------------------------------------------------------

ANCHORED = "confide.audit.anchored"


def last_anchoring(*, upto: int) -> AuditEntry | None:
    """The newest entry, at or before `upto`, recording that the anchor file was written. Deleting the file does not
    erase it: once a log has been anchored, the log itself says an anchor must exist."""
    return AuditEntry.objects.filter(action=ANCHORED, seq__lte=upto).order_by("-seq").first()


def check_anchor(result: VerifyResult, anchor: Checkpoint | None, path: str) -> BrokenEntry | None:
    """What is wrong with the anchor file, given the log a clean walk verified: missing although the log was
    anchored, or older than the log's last anchoring (replaced by an older copy)."""
    anchored = last_anchoring(upto=result.checked)
    if anchored is None:
        return None
    at = canonical_at(anchored.at)
    if anchor is None:
        why = (
            f"the log was anchored in {anchored.detail.get('path') or 'an anchor file'} at this entry, but the "
            f"anchor file {path} is missing: the newest entries may have been removed together with it"
        )
        return BrokenEntry(anchored.seq, anchored.action, at, why)
    if anchor.seq < anchored.seq:
        why = (
            f"the anchor file {path} holds #{anchor.seq}, older than this anchoring: it was replaced by an older "
            "copy, and the newest entries may have been removed"
        )
        return BrokenEntry(anchored.seq, anchored.action, at, why)
    return None


def anchor_head(head: Checkpoint, path: str, *, reset: bool = False) -> Checkpoint:
    """Record in the chain that the anchor is being written at `head`, and return the checkpoint to write: the
    anchoring entry itself. A head that is already an anchoring needs no new entry (an idle log does not grow)."""
    if not reset:
        current = last_anchoring(upto=head.seq)
        if current is not None and current.seq == head.seq:
            return head
    detail: dict[str, Any] = {"anchor_seq": head.seq, "path": path}
    if reset:
        detail["reset"] = True
    with transaction.atomic(using=_db()):
        entry = record(ANCHORED, actor=None, detail=detail)
    return Checkpoint(entry.seq, entry.mac, entry.action, canonical_at(entry.at))


# --- Refusals ----------------------------------------------------------------------------------------------------

# How many refusals this request has logged. Reset when each request starts (apps.py), so the API's and the web's
# last-resort handlers log a refusal only when nothing nearer to it (a service, the policy's require) already did.
_refusals: ContextVar[int] = ContextVar("confide_audit_refusals", default=0)
_PRIVATE_PATH = re.compile(r"/psychotherapy-notes(/|$)")


def start_request(**_: object) -> None:
    _refusals.set(0)


def refusal_logged() -> bool:
    """Whether this request has already logged a refusal (so the one being answered is not logged twice)."""
    return _refusals.get() > 0


def record_refusal(
    actor: Any,
    verb: str = "",
    *,
    client_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    ip: str = "",
    why: str = "",
    code: str = "",
    method: str = "",
    path: str = "",
    status: int | None = None,
) -> AuditEntry:
    """Log one refused attempt, in its own transaction so the error raised next cannot roll the entry back.

    Web and API alike write `confide.access.denied`; a refusal about psychotherapy notes (a `vault.*` verb, a
    psychotherapy-note object or path) writes `confide.psychotherapy_note.denied`, which only its actor sees as such."""
    private = verb.startswith("vault.") or object_type == "psychotherapy_note" or bool(_PRIVATE_PATH.search(path))
    action = "confide.psychotherapy_note.denied" if private else "confide.access.denied"
    given = {"verb": verb, "why": why, "code": code, "method": method, "path": path[:200], "status": status}
    detail = {key: value for key, value in given.items() if value not in ("", None)}
    with transaction.atomic(using=_db()):
        return record(
            action,
            actor=actor,
            client_id=client_id,
            object_type=object_type,
            object_id=object_id,
            outcome=Outcome.DENIED,
            ip=ip,
            detail=detail,
        )


# --- Reading the log ----------------------------------------------------------------------------------------------


def access_q() -> Q:
    """Entries that are a look at a chart: reads and exports of the official record, and refused attempts on it,
    by their declared kind (confide/audit/actions.py). Never a psychotherapy note's events."""
    return Q(action__in=actions.access_report_codes())


def access_report(client_id: int) -> list[dict[str, Any]]:
    """Who looked at this client's chart, oldest first, refused attempts included."""
    rows = (
        AuditEntry.objects.for_client(client_id)
        .filter(access_q())
        .order_by("seq")
        .values("at", "actor_id", "actor_username", "action", "outcome", "ip")
    )
    return [dict(row) for row in rows]


def search(
    *,
    client_id: int | None = None,
    since: datetime | None = None,
    action: str = "",
    limit: int = 200,
    within: Q | None = None,
    visible_as_such: Q | None = None,
) -> list[AuditEntry]:
    """Entries newest first, among `within`, narrowed by client, time and dotted action prefix. Client and action
    filters match only entries in `visible_as_such` (by default any but a psychotherapy note's): a filter on what a
    reader is not shown would tell them what they are not shown."""
    entries: AuditQuerySet = AuditEntry.objects.all()
    if within is not None:
        entries = entries.filter(within)
    as_such = visible_as_such if visible_as_such is not None else ~_private_q()
    if client_id is not None:
        entries = entries.for_client(client_id).filter(as_such)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if action:
        entries = entries.under(action).filter(as_such)
    return list(entries.order_by("-seq")[:limit])


def _private_q() -> Q:
    return Q(action__in=actions.codes(about=actions.About.PRIVATE)) | Q(action__startswith=_PRIVATE_PREFIX)


_PRIVATE_PREFIX = "confide.psychotherapy_note."


def _is_private(entry: AuditEntry) -> bool:
    """A psychotherapy note's event, including a refusal logged before refusals were told apart (by its path)."""
    declared = actions.ACTIONS.get(entry.action)
    if (declared is not None and declared.about is actions.About.PRIVATE) or entry.action.startswith(_PRIVATE_PREFIX):
        return True
    path = entry.detail.get("path") if isinstance(entry.detail, dict) else None
    return isinstance(path, str) and bool(_PRIVATE_PATH.search(path))


@dataclass(frozen=True)
class _Own:
    """What is a reader's own in the log: entries they wrote, and every event on a psychotherapy note they wrote
    (a grantee's read of it)."""

    user_id: int
    written: frozenset[str]

    @classmethod
    def of(cls, viewer: User) -> _Own:
        from confide.vault.models import PsychotherapyNote

        notes = PsychotherapyNote.objects.filter(author_id=viewer.pk).values_list("pk", flat=True)
        return cls(int(viewer.pk), frozenset(str(pk) for pk in notes))

    def q(self) -> Q:
        own = Q(actor_id=self.user_id)
        if self.written:
            own |= Q(object_type="psychotherapy_note", object_id__in=sorted(self.written))
        return own

    def holds(self, entry: AuditEntry) -> bool:
        return entry.actor_id == self.user_id or (
            entry.object_type == "psychotherapy_note" and entry.object_id in self.written
        )


def shown_to(viewer_own: bool, entry: AuditEntry) -> dict[str, Any]:
    """One entry as a reader of the log sees it. Their own entries (`viewer_own`) in full; anyone else's without
    clinical detail, and a psychotherapy note's event as who, when, which kind of action and the outcome only.
    A view: the stored entry, which verification reads, never changes."""
    declared = actions.ACTIONS.get(entry.action)
    kind = None if declared is None else str(declared.kind)
    if kind is None and _is_private(entry):
        kind = str(actions.Kind.REFUSAL if entry.outcome == Outcome.DENIED else actions.Kind.READ)
    shown: dict[str, Any] = {
        "seq": entry.seq,
        "at": entry.at,
        "kind": kind,
        "action": entry.action,
        "outcome": entry.outcome,
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "client_id": entry.client_id,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "ip": entry.ip,
        "detail": entry.detail if isinstance(entry.detail, dict) else {},
        "redacted": False,
    }
    if viewer_own:
        return shown
    if _is_private(entry):
        hidden: dict[str, Any] = {
            "action": None,
            "client_id": None,
            "object_type": None,
            "object_id": None,
            "detail": {},
        }
        return {**shown, **hidden, "redacted": True}
    clinical = declared.clinical if declared is not None else frozenset()
    if clinical & set(shown["detail"]):
        shown["detail"] = {key: value for key, value in shown["detail"].items() if key not in clinical}
        shown["redacted"] = True
    return shown


# --- Reports, with their guards (the API and the web UI call these) -----------------------------------------------


def _refuse(verb: str, *, actor: User, client_id: int | None, ip: str, error: ConfideError) -> ConfideError:
    record_refusal(actor, verb, client_id=client_id, ip=ip, why=error.detail, code=error.code, status=error.status)
    return error


def request_access_report(*, actor: User, client_id: int, ip: str = "") -> list[dict[str, Any]]:
    """The access report for a client, for an admin or a clinician who may open the chart."""
    from confide.access import require

    action = "confide.access_report.generated"
    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        raise _refuse("access_report.read", actor=actor, client_id=None, ip=ip, error=NotFound("no such client"))
    require(actor, "access_report.read", client, ip=ip)  # the policy: treating clinicians and administrators
    with transaction.atomic(using=_db()):
        report = access_report(client_id)
        record(action, actor=actor, client_id=client_id, ip=ip, detail={"entries": len(report)})
    return report


def request_search(
    *,
    actor: User,
    client_id: int | None = None,
    since: datetime | None = None,
    action: str = "",
    limit: int = 200,
    ip: str = "",
) -> list[dict[str, Any]]:
    """The audit log, narrowed by client, time and action prefix, as `shown_to` its reader: an admin reads every
    entry, without clinical detail; a clinician reads their own entries (and those on their psychotherapy notes) in
    full, and no one else's."""
    filters: dict[str, Any] = {"client_id": client_id, "since": since and canonical_at(since), "action": action}
    from confide.access import Rel, require, rule

    require(actor, "audit.read", ip=ip)  # administrators every entry; clinicians their own (the policy's SELF)
    own = _Own.of(actor)
    within = None if Rel.ANYONE in rule("audit.read").relations_for(actor.role) else own.q()
    with transaction.atomic(using=_db()):
        entries = search(
            client_id=client_id,
            since=since,
            action=action,
            limit=limit,
            within=within,
            visible_as_such=own.q() | ~_private_q(),
        )
        shown = [shown_to(own.holds(entry), entry) for entry in entries]
        if client_id is not None or action:
            # A refusal logged before refusals were told apart is private by its path, which SQL cannot see.
            shown = [entry for entry in shown if entry["action"] is not None]
        record("confide.audit.searched", actor=actor, ip=ip, detail={**filters, "entries": len(shown)})
    return shown
