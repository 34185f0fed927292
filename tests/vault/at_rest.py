"""What a thief takes from the server: every database's bytes (file or rows), settings and key files."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from django.db import connections


def database_bytes(alias: str) -> bytes:
    """The database as a thief would copy it: the SQLite file image, or every row of every table on PostgreSQL
    (plus the cluster's files on disk when the test runs as a role allowed to see where they are)."""
    connection = connections[alias]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        raw = connection.connection
        assert isinstance(raw, sqlite3.Connection)
        with tempfile.TemporaryDirectory() as tmp:
            copy = sqlite3.connect(Path(tmp) / "copy.sqlite3")
            raw.backup(copy)
            copy.close()
            return (Path(tmp) / "copy.sqlite3").read_bytes()
    return b"".join(_row_bytes(value) for row in all_rows(alias) for value in row)


def all_rows(alias: str) -> list[tuple[Any, ...]]:
    connection = connections[alias]
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the catalog
            rows.extend(tuple(row) for row in cursor.fetchall())
    return rows


def blobs(alias: str) -> list[bytes]:
    """Every binary or text value stored in the database, as bytes."""
    found: list[bytes] = []
    for row in all_rows(alias):
        for value in row:
            if isinstance(value, bytes | bytearray | memoryview):
                found.append(bytes(value))
            elif isinstance(value, str):
                found.append(value.encode())
    return found


def _row_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def contains(haystack: bytes, marker: str) -> bool:
    needle = marker.encode()
    return needle in haystack or needle.hex().encode() in haystack or marker.encode("utf-16-le") in haystack
