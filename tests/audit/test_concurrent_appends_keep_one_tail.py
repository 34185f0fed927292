"""Appends from several processes at once still make one chain: contiguous sequence numbers, every link intact.

Each process has its own connection, as each gunicorn worker does; PostgreSQL serializes them with the advisory lock
(taken in the same round trip as the tail read), SQLite with its IMMEDIATE write transaction. The appends run in
child processes against a fresh database of the suite's engine: a file for SQLite (the suite's in-memory database
cannot be shared between processes), a new database on the suite's PostgreSQL server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from bench.crash.driver import postgres_url  # the URL of a Django DATABASES entry, shared with the crash bench

PROCESSES = 4
EACH = 25
ROOT = Path(__file__).resolve().parents[2]


def _run_appender(env: dict[str, str]) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "tests.audit.concurrent_appender", str(PROCESSES), str(EACH)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "CONFIDE_ENV": "development", **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


@pytest.mark.django_db(transaction=True, databases=["default", "vault"])
def test_concurrent_appends_keep_one_tail(tmp_path: Path) -> None:
    env = {"CONFIDE_DATA_DIR": str(tmp_path), "VAULT_DATABASE_URL": f"sqlite:///{tmp_path / 'vault.sqlite3'}"}
    database = None
    if connection.vendor == "postgresql":
        database = f"confide_concurrency_{uuid.uuid4().hex[:12]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = postgres_url(settings.DATABASES["default"], database)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'confide.sqlite3'}"
    try:
        result = _run_appender(env)
    finally:
        if database is not None:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    assert result["vendor"] == connection.vendor
    assert result["exit_codes"] == [0] * PROCESSES
    assert result["entries"] == PROCESSES * EACH
    assert result["contiguous"]
    assert result["per_worker"] == [EACH] * PROCESSES
    assert result["verified"]
