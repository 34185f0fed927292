"""What `record` hashes is exactly what verify reads back, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import time_machine

from confide.audit.chain import canonical_at, parse_stored_at
from confide.audit.models import AuditEntry
from confide.audit.services import record, verify
from confide.people.models import User


def test_time_on_a_whole_second_still_verifies(clinician: User) -> None:
    # SQLite stores a whole second without its ".000000"; the canonical form must not care.
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, 0, tzinfo=UTC), tick=False):
        entry = record("confide.client.viewed", actor=clinician, client_id=1)
    assert entry.at.microsecond == 0
    assert verify().ok


def test_time_keeps_its_microseconds_and_is_hashed_in_utc(clinician: User, settings: object) -> None:
    moment = datetime(2026, 7, 4, 23, 59, 59, 123456, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        entry = record("confide.client.viewed", actor=clinician, client_id=1)
    stored = AuditEntry.objects.get(pk=entry.pk).at
    assert canonical_at(stored) == "2026-07-04T23:59:59.123456Z"
    assert verify().ok


def test_nested_detail_in_any_key_order_verifies(clinician: User, declare_action: Callable[..., str]) -> None:
    detail = {
        "zeta": {"b": 2, "a": [1, "two", None, True, False]},
        "alpha": 'é ✓ \u2028 "quoted" \\ back',
        "big": 2**62,
        "empty": {},
        "list_of_objects": [{"y": 1, "x": 2}],
    }
    code = declare_action("confide.test.nested", detail=detail)
    record(code, actor=clinician, client_id=3, detail=detail)
    result = verify()
    assert result.ok, result.broken


def test_tuple_in_detail_is_stored_as_the_list_it_comes_back_as(clinician: User) -> None:
    entry = record("confide.session.scheduled", actor=clinician, client_id=3, detail={"cpt_codes": ("90834", "90840")})
    assert AuditEntry.objects.get(pk=entry.pk).detail == {"cpt_codes": ["90834", "90840"]}
    assert verify().ok


def test_string_client_id_is_hashed_as_the_integer_it_is_stored_as(clinician: User) -> None:
    record("confide.client.viewed", actor=clinician, client_id="12")  # type: ignore[arg-type]
    assert verify().ok


def test_stored_time_parses_from_either_driver() -> None:
    aware = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert parse_stored_at(aware) == aware
    assert parse_stored_at("2026-01-02 03:04:05.000006") == aware
    assert canonical_at(parse_stored_at("2026-01-02 03:04:05")) == "2026-01-02T03:04:05.000000Z"
