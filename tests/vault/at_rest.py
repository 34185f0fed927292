"""What a thief takes from the server: every database's bytes (file or rows), settings and key files."""

from __future__ import annotations

import sqlite3
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
        # The database image as this connection sees it (uncommitted test rows included), without taking a lock.
        return bytes(raw.serialize())
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


def postgres_files_contain(alias: str, marker: str) -> bool | None:
    """On PostgreSQL, after a checkpoint: does any file of the cluster (tables, WAL) hold the marker? None when the
    test cannot see the cluster's files (not PostgreSQL, or not allowed to ask where they are)."""
    from pathlib import Path

    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
            cursor.execute("SHOW data_directory")
            directory = Path(cursor.fetchone()[0])
    except Exception:  # a role without the right simply cannot run this check
        return None
    if not directory.is_dir():
        return None
    needle = marker.encode()
    readable = 0
    for path in directory.rglob("*"):
        if path.is_file():
            try:
                if needle in path.read_bytes():
                    return True
            except OSError:
                continue
            readable += 1
    return False if readable else None
