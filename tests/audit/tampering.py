"""A model of an attacker with write access to the audit table, for the property tests: what they do (a tampering),
the same tampering applied to rows in memory and as SQL against the real table, and — from the tampering alone, never
from the verifier — the seq of the first entry the verifier must name.

Rows are tuples in the verifier's column order (confide.audit.services._COLUMNS): seq, at (as SQLite stores it),
action, outcome, actor_id, actor_username, client_id, object_type, object_id, ip, detail (JSON text), prev_mac, mac.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from confide.audit.anchor import Checkpoint
from confide.audit.chain import GENESIS, canonical_stored_at, canonical_values, mac_of

Row = tuple[Any, ...]
COLUMNS = (
    "seq", "at", "action", "outcome", "actor_id", "actor_username", "client_id", "object_type", "object_id", "ip",
    "detail", "prev_mac", "mac",
)  # fmt: skip
SEQ, AT, DETAIL, PREV, MAC = 0, 1, 10, 11, 12
WRONG_KEY = b"a key the attacker made up"


def stored_at(at: datetime) -> str:
    """The time as Django writes it to SQLite: naive UTC text, no ".000000" on whole seconds."""
    return str(at.astimezone(UTC).replace(tzinfo=None))


def chained(key: bytes, prev_mac: str, values: Sequence[Any]) -> Row:
    """One row: `values` are the eleven chained fields, `at` stored as text and `detail` as a dict."""
    canonical = [*values]
    canonical[AT] = canonical_stored_at(values[AT])
    mac = mac_of(key, prev_mac, canonical_values(canonical))
    return (*values[:DETAIL], json.dumps(values[DETAIL]), prev_mac, mac)


def build_log(n: int, seed: int, key: bytes) -> list[Row]:
    """A varied log of n entries: whole and fractional seconds, anonymous actors, unicode names, nested details."""
    rng = random.Random(seed * 1000 + n)
    at = datetime(2026, 3, 1, 8, 0, tzinfo=UTC) + timedelta(days=rng.randrange(300))
    rows: list[Row] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        at += timedelta(seconds=rng.randrange(1, 90), microseconds=rng.choice([0, rng.randrange(1_000_000)]))
        anonymous = rng.random() < 0.2
        details = [{}, {"via": "api"}, {"count": seq, "codes": ["F41.1", "Z63"]}, {"why": "naïve ☃", "n": None}]
        detail = rng.choice(details)
        values = [
            seq,
            stored_at(at),
            rng.choice(["confide.client.viewed", "confide.progress_note.signed", "confide.sign_in.failed"]),
            rng.choice(["ok", "denied", "failed"]),
            None if anonymous else rng.randrange(1, 50),
            "" if anonymous else rng.choice(["rivera", "chen", "O'Brien", "müller"]),
            rng.choice([None, rng.randrange(1, 9000)]),
            rng.choice(["", "progress_note", "client"]),
            rng.choice(["", str(rng.randrange(1, 500))]),
            rng.choice(["", "10.0.0.5", "2001:db8::1"]),
            detail,
        ]
        row = chained(key, prev, values)
        rows.append(row)
        prev = row[MAC]
    return rows


# --- Tamperings ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Set one column of the entry at `seq` to a different value (a datetime for `at`, a dict for `detail`)."""

    seq: int
    column: str
    value: Any


@dataclass(frozen=True)
class Delete:
    """Remove the entry at `seq`, which is not the newest (removing the newest is a Truncate)."""

    seq: int


@dataclass(frozen=True)
class Forge:
    """Slip a made-up entry in after the first `after` entries, renumbering the later ones; its MAC is computed with
    a key the attacker made up. `relink`: also point the next entry's stored link at it."""

    after: int
    relink: bool


@dataclass(frozen=True)
class Permute:
    """Renumber entries so that position i holds the entry that was at seq order[i] (a shuffled stretch, or two
    stretches swapped). `relink`: also rewrite each moved entry's stored link to its new predecessor's MAC."""

    order: tuple[int, ...]
    relink: bool
    first_moved: int  # the seq of the first position whose entry changed, known from how `order` was made
    swapped: bool = False  # two stretches swapped, rather than one shuffled


@dataclass(frozen=True)
class Truncate:
    """Delete the newest `count` entries. Only checkpoints (an anchor, exported heads) can tell: `heads` are the seqs
    of heads taken before the deletion."""

    count: int
    heads: tuple[int, ...]


Tampering = Edit | Delete | Forge | Permute | Truncate


def expected_first_broken(tampering: Tampering, n: int) -> int:
    """The seq the verifier must name, from the tampering alone."""
    match tampering:
        case Edit(seq=seq, column="seq", value=value):
            # The edited entry moves to its new number's place: before everyone (value < 1) or after the newest.
            if value < 1:
                return int(value)
            return seq + 1 if seq < n else int(value)
        case Edit(seq=seq):
            return seq
        case Delete(seq=seq):
            return seq + 1  # the next entry: "entries are missing before it"
        case Forge(after=after):
            return after + 1  # the forged entry itself
        case Permute(first_moved=first_moved):
            return first_moved
        case Truncate(count=count, heads=heads):
            return min(head for head in heads if head > n - count)
    raise AssertionError(tampering)


def _forged_row(log: Sequence[Row], after: int) -> Row:
    prev = log[after - 1][MAC] if after else GENESIS
    at = datetime.fromisoformat(canonical_stored_at(log[after - 1][AT]) if after else "2026-03-01T08:00:00+00:00")
    values = [after + 1, stored_at(at + timedelta(seconds=1)), "confide.progress_note.read", "ok", 3, "chen", 7,
              "progress_note", "12", "10.0.0.9", {}]  # fmt: skip
    return chained(WRONG_KEY, prev, values)


def _in_memory_value(column: str, value: Any) -> Any:
    if column == "at":
        return stored_at(value)
    if column == "detail":
        return json.dumps(value)
    return value


def apply(log: Sequence[Row], tampering: Tampering) -> tuple[list[Row], list[Checkpoint]]:
    """The tampered rows in seq order, as the verifier's query returns them, and the checkpoints to verify against."""
    rows = [list(row) for row in log]
    checkpoints: list[Checkpoint] = []
    match tampering:
        case Edit(seq=seq, column=column, value=value):
            rows[seq - 1][COLUMNS.index(column)] = _in_memory_value(column, value)
        case Delete(seq=seq):
            del rows[seq - 1]
        case Forge(after=after, relink=relink):
            forged = list(_forged_row(log, after))
            for row in rows[after:]:
                row[SEQ] += 1
            if relink and after < len(rows):
                rows[after][PREV] = forged[MAC]
            rows.insert(after, forged)
        case Permute(order=order, relink=relink):
            moved = [list(log[seq - 1]) for seq in order]
            for position, row in enumerate(moved, start=1):
                row[SEQ] = position
                if relink:
                    row[PREV] = moved[position - 2][MAC] if position > 1 else GENESIS
            rows = moved
        case Truncate(count=count, heads=heads):
            checkpoints = [Checkpoint(seq, log[seq - 1][MAC]) for seq in heads]
            del rows[len(rows) - count :]
    rows.sort(key=lambda row: row[SEQ])
    return [tuple(row) for row in rows], checkpoints


def sql(log: Sequence[Row], tampering: Tampering, vendor: str) -> tuple[list[tuple[str, list[Any]]], list[Checkpoint]]:
    """The same tampering as statements against audit_auditentry, and the checkpoints to verify against."""
    table = "audit_auditentry"
    statements: list[tuple[str, list[Any]]] = []
    checkpoints: list[Checkpoint] = []

    def at_param(at: datetime) -> Any:
        return stored_at(at) if vendor == "sqlite" else at

    match tampering:
        case Edit(seq=seq, column=column, value=value):
            param = at_param(value) if column == "at" else json.dumps(value) if column == "detail" else value
            statements.append((f"UPDATE {table} SET {column} = %s WHERE seq = %s", [param, seq]))  # noqa: S608
        case Delete(seq=seq):
            statements.append((f"DELETE FROM {table} WHERE seq = %s", [seq]))  # noqa: S608
        case Forge(after=after, relink=relink):
            forged = list(_forged_row(log, after))
            forged[AT] = at_param(datetime.fromisoformat(canonical_stored_at(forged[AT])))
            statements += [
                (f"UPDATE {table} SET seq = -(seq + 1) WHERE seq > %s", [after]),  # noqa: S608
                (f"UPDATE {table} SET seq = -seq WHERE seq < 0", []),  # noqa: S608
                (f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * 13)})", forged),  # noqa: S608
            ]
            if relink and after < len(log):
                statements.append((f"UPDATE {table} SET prev_mac = %s WHERE seq = %s", [forged[MAC], after + 2]))  # noqa: S608
        case Permute(order=order, relink=relink):
            statements.append((f"UPDATE {table} SET seq = -seq", []))  # noqa: S608
            for position, seq in enumerate(order, start=1):
                before = log[order[position - 2] - 1][MAC] if position > 1 else GENESIS
                prev = before if relink else log[seq - 1][PREV]
                statements.append(
                    (f"UPDATE {table} SET seq = %s, prev_mac = %s WHERE seq = %s", [position, prev, -seq])  # noqa: S608
                )
        case Truncate(count=count, heads=heads):
            checkpoints = [Checkpoint(seq, log[seq - 1][MAC]) for seq in heads]
            statements.append((f"DELETE FROM {table} WHERE seq > %s", [len(log) - count]))  # noqa: S608
    return statements, checkpoints


def at_of(row: Row) -> datetime:
    """The row's time as an aware datetime, whichever database's text form it holds."""
    return datetime.fromisoformat(canonical_stored_at(row[AT]))
