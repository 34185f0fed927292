"""The verifier's fast paths compute exactly what the writer's plain ones do."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

import pytest

from confide.audit.chain import (
    KeyedSha256,
    canonical_at,
    canonical_detail,
    canonical_parts,
    canonical_stored_at,
    canonical_values,
)


@pytest.mark.parametrize("key", [b"", b"short", b"k" * 64, b"a much longer key than one block of sha256 " * 3])
def test_keyed_sha256_is_hmac_sha256(key: bytes) -> None:
    for message in (b"", b"x", b"confide.audit.v1|" + b"0" * 64 + b"|[1]" * 50):
        assert KeyedSha256(key).hexdigest(message) == hmac.digest(key, message, "sha256").hex()


@pytest.mark.parametrize("microsecond", [0, 1, 999_999, 7919])
def test_sqlite_text_maps_to_the_canonical_time(microsecond: int) -> None:
    moment = datetime(2026, 1, 5, 8, 0, 7, microsecond, tzinfo=UTC)
    stored = str(moment.replace(tzinfo=None))  # what Django writes to SQLite
    assert canonical_stored_at(stored) == canonical_at(moment)
    assert canonical_stored_at(canonical_at(moment)) == canonical_at(moment)
    assert canonical_stored_at(moment) == canonical_at(moment)


def test_split_encoding_equals_whole_encoding() -> None:
    values = [3, "2026-01-05T08:00:07.000000Z", "confide.client.viewed", "ok", None, "é", 7, "", "", "", {"b": 1}]
    assert canonical_values(values) == canonical_parts(values[:-1], canonical_detail({"b": 1}))
