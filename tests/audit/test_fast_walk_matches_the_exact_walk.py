"""On SQLite the verifier checks each page from SQLite's own JSON encoding of the chained fields and walks a page
exactly (`_walk` over `_batches`) only when something there does not check out. Whatever was done to the stored
rows, the walk over them finds exactly what the exact walk finds: the same first broken entry, the same head, the
same error when the exact walk cannot read a row. On PostgreSQL both are the exact walk."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from confide.audit import services
from confide.audit.anchor import Checkpoint
from confide.audit.chain import GENESIS, canonical_stored_at, canonical_values
from confide.audit.services import record
from tests.audit.conftest import TABLE, Tamper

# (statement for SQLite, statement for PostgreSQL) with %(seq)s for the entry tampered with.
CASES: dict[str, tuple[str, str]] = {
    "untouched": ("SELECT %(seq)s", "SELECT %(seq)s"),
    "edited action": ("UPDATE {t} SET action = 'confide.client.listed' WHERE seq = %(seq)s",) * 2,
    "edited non-ASCII name": ("UPDATE {t} SET actor_username = 'Jos\u00e9e' WHERE seq = %(seq)s",) * 2,
    "edited mac": ("UPDATE {t} SET mac = upper(mac) WHERE seq = %(seq)s",) * 2,
    "broken link": ("UPDATE {t} SET prev_mac = '' WHERE seq = %(seq)s",) * 2,
    "deleted": ("DELETE FROM {t} WHERE seq = %(seq)s",) * 2,
    "client id as text": (
        "UPDATE {t} SET client_id = CAST(coalesce(client_id, 7) AS TEXT) WHERE seq = %(seq)s",
        "UPDATE {t} SET client_id = coalesce(client_id, 7) WHERE seq = %(seq)s",
    ),
    "client id as real": (
        "UPDATE {t} SET client_id = coalesce(client_id, 7) + 0.5 WHERE seq = %(seq)s",
        "UPDATE {t} SET client_id = coalesce(client_id, 7) * 2 WHERE seq = %(seq)s",
    ),
    "client id not a number": (
        "UPDATE {t} SET client_id = 'x' || coalesce(client_id, 7) WHERE seq = %(seq)s",
        "UPDATE {t} SET client_id = NULL WHERE seq = %(seq)s",
    ),
    "time with T, same instant": (
        "UPDATE {t} SET at = replace(at, ' ', 'T') WHERE seq = %(seq)s",
        "UPDATE {t} SET at = at + interval '1 microsecond' WHERE seq = %(seq)s",
    ),
    "time with offset, same instant": (
        "UPDATE {t} SET at = replace(at, ' ', 'T') || '+00:00' WHERE seq = %(seq)s",
        "UPDATE {t} SET at = at - interval '1 hour' WHERE seq = %(seq)s",
    ),
    "time with another space": (
        "UPDATE {t} SET at = substr(at, 1, 19) || ' ' || substr(at, 21) WHERE seq = %(seq)s",
        "UPDATE {t} SET at = date_trunc('second', at) WHERE seq = %(seq)s",
    ),
    "time as a blob": (
        "UPDATE {t} SET at = CAST(at AS BLOB) WHERE seq = %(seq)s",
        "UPDATE {t} SET at = at WHERE seq = %(seq)s",
    ),
    "name as a blob": (
        "UPDATE {t} SET actor_username = CAST(actor_username AS BLOB) WHERE seq = %(seq)s",
        "UPDATE {t} SET actor_username = actor_username || ' ' WHERE seq = %(seq)s",
    ),
    "detail keys reordered": (
        """UPDATE {t} SET detail = '{{"reason":"idle","via":"api"}}' WHERE seq = %(seq)s""",
        """UPDATE {t} SET detail = '{{"reason":"idle","via":"web"}}' WHERE seq = %(seq)s""",
    ),
    "detail not an object": ("UPDATE {t} SET detail = '5' WHERE seq = %(seq)s",) * 2,
    "detail not ASCII": ("""UPDATE {t} SET detail = '{{"reason":"été"}}' WHERE seq = %(seq)s""",) * 2,
}


def _log() -> list[int]:
    seqs = []
    for i in range(4):
        seqs.append(record("confide.client.listed", actor=None, detail={"count": i}).seq)
        seqs.append(record("confide.sign_out", actor=None, detail={"via": "api", "reason": "idle"}).seq)
    # What SQLite's json_array does not encode as the canonical form does, legitimately stored.
    seqs.append(record("confide.sign_in.failed", actor=None, username='Jos\u00e9 "\\\n\t\x7f\x01').seq)
    for i in range(3):
        seqs.append(record("confide.client.viewed", actor=None, client_id=i + 1, ip=f"10.0.0.{i}").seq)
    return seqs


def _outcome(walk: Callable[[], services._Walk]) -> Any:
    try:
        return walk()
    except Exception as error:  # the exact walk's failure on an unreadable row is what it finds
        return type(error).__name__


def _both(batch: int, *, after: int = -(2**63), first: tuple[int, str] | None, wanted: Any) -> tuple[Any, Any]:
    expected_seq, expected_prev = first if first is not None else (None, None)
    key = services._key()
    fast = _outcome(
        lambda: services._walk_stored(
            "default",
            batch,
            after=after,
            key=key,
            expected_seq=expected_seq,
            expected_prev=expected_prev,
            wanted=wanted,
        )
    )
    rows = services._batches("default", batch, after)
    exact = _outcome(
        lambda: services._walk(rows, key=key, expected_seq=expected_seq, expected_prev=expected_prev, wanted=wanted)
    )
    return fast, exact


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("where", [0, 8, -1])  # the first, the non-ASCII one, the last
def test_the_fast_walk_finds_what_the_exact_walk_finds(db: None, tamper: Tamper, case: str, where: int) -> None:
    seqs = _log()
    sqlite, postgresql = CASES[case]
    statement = (sqlite if connection.vendor == "sqlite" else postgresql).format(t=TABLE)
    tamper((statement, {"seq": seqs[where]}))
    checkpoint = Checkpoint(seqs[5], "0" * 64)
    for batch in (1, 3, 50):
        for wanted in ({}, {seqs[5]: [checkpoint]}):
            fast, exact = _both(batch, first=(1, GENESIS), wanted=wanted)
            assert fast == exact, (batch, wanted)
            fast, exact = _both(batch, after=seqs[2], first=None, wanted=wanted)  # a stretch of the parallel walk
            assert fast == exact, (batch, wanted)


def test_sqlite_encodes_plain_entries_as_the_writer_does(db: None) -> None:
    """So that the fast check is what verifies them, and the exact walk is left for the odd ones."""
    seqs = _log()
    odd = seqs[8]
    if connection.vendor != "sqlite":
        assert services.verify().ok
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {services._FAST_COLUMNS} FROM {TABLE} ORDER BY seq")  # noqa: S608
        fast = cursor.fetchall()
    exact = [row for rows in services._batches("default", 100) for row in rows]
    assert [row[0] for row in fast] == [row[0] for row in exact]
    for (seq, prev_mac, _mac, head, _detail), row in zip(fast, exact, strict=True):
        values = [row[0], canonical_stored_at(row[1]), *row[2:10]]
        written = canonical_values([*values, {}]).decode()[:-4]  # without ",{}]"
        assert (head[:-1] == written) is (seq != odd), seq
        assert prev_mac == row[11]
