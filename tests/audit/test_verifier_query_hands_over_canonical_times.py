"""The verifier's query hands each entry's time over as canonical text (SQLite maps Django's stored text in SQL,
PostgreSQL formats it with to_char), so the walk can take the chained fields as the row holds them. Whatever shape
the stored time has, it maps to the canonical text of the same instant, and the entry still verifies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from confide.audit import services
from confide.audit.chain import canonical_at
from confide.audit.services import record, verify
from tests.audit.conftest import Tamper


@pytest.mark.parametrize("microsecond", [0, 1, 7919, 999_999])
def test_the_query_hands_over_the_canonical_time(db: None, tamper: Tamper, microsecond: int) -> None:
    entry = record("confide.sign_out", actor=None, detail={"reason": "idle"})
    moment = datetime(2026, 1, 5, 8, 0, 7, microsecond, tzinfo=UTC)
    stored = str(moment.replace(tzinfo=None)) if connection.vendor == "sqlite" else moment  # as Django writes it
    tamper(("UPDATE audit_auditentry SET at = %s WHERE seq = %s", [stored, entry.seq]))
    (row,) = [row for rows in services._batches("default", 10) for row in rows]
    assert row[1] == canonical_at(moment)
    assert not verify().ok  # a different time than the one chained: the MAC says so


def test_an_odd_shape_of_the_same_instant_still_verifies(db: None, tamper: Tamper) -> None:
    entry = record("confide.sign_out", actor=None, detail={"reason": "idle"})
    at = entry.at.astimezone(UTC)
    # Another text for the same instant on SQLite (an offset), another zone's rendering on PostgreSQL.
    shape = at.isoformat() if connection.vendor == "sqlite" else at.astimezone().isoformat()
    tamper(("UPDATE audit_auditentry SET at = %s WHERE seq = %s", [shape, entry.seq]))
    (row,) = [row for rows in services._batches("default", 10) for row in rows]
    assert row[1] in (shape, canonical_at(at))
    assert verify().ok
