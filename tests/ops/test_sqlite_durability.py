"""Acknowledged commits survive power loss: every new SQLite connection runs in WAL mode with synchronous=FULL.

The settings are loaded in a fresh process with no DATABASE_URL, so the SQLite defaults are what is checked whichever
database this run of the suite uses; each alias opens a new connection to a real file (an in-memory test database
has no WAL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.db import connections
found = {}
for alias in ("default", "vault"):
    connection = connections[alias]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    found[alias] = [connection.vendor, journal, synchronous]
    connection.close()
print(json.dumps(found))
"""


def test_every_new_sqlite_connection_is_wal_with_synchronous_full(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VAULT_DATABASE_URL"}}
    env.update({"CONFIDE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    # synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
    assert found == {"default": ["sqlite", "wal", 2], "vault": ["sqlite", "wal", 2]}
    assert (tmp_path / "confide.sqlite3").exists() and (tmp_path / "vault.sqlite3").exists()
