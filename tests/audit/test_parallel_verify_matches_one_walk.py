"""Large logs are verified by several processes at once; whatever the tampering, they must find exactly what one
walk finds. Runs in a child process on an SQLite file, since other processes cannot see a test's in-memory
database or its open transaction."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from confide.audit import services

call_command("migrate", verbosity=0)
for i in range(3000):
    services.record("confide.client.listed", actor=None, detail={"count": i})
services.PARALLEL_MIN_ENTRIES = 0  # force the parallel path on a small log


def same(label):
    one, many = services.verify(workers=1), services.verify(workers=2)
    assert one == many, (label, one, many)
    print(label, one.ok, one.first_broken_seq, one.reason)


def sql(statement):
    with connection.cursor() as cursor:
        cursor.execute(statement)


same("clean")
sql("UPDATE audit_auditentry SET action = 'confide.test.forged' WHERE seq = 1500")
same("edited")
sql("UPDATE audit_auditentry SET action = 'confide.client.listed' WHERE seq = 1500")
same("restored")
# Stretch boundaries for 2 workers are at multiples of 3000 // 8 = 375: remove the first entry of a stretch.
sql("CREATE TABLE kept AS SELECT * FROM audit_auditentry WHERE seq = 751")
sql("DELETE FROM audit_auditentry WHERE seq = 751")
same("deleted_at_a_boundary")
sql("INSERT INTO audit_auditentry SELECT * FROM kept")
sql("UPDATE audit_auditentry SET seq = -1 WHERE seq = 1125")
sql("UPDATE audit_auditentry SET seq = 1125 WHERE seq = 1126")
sql("UPDATE audit_auditentry SET seq = 1126 WHERE seq = -1")
same("swapped_across_a_boundary")
"""


def test_parallel_verification_finds_what_one_walk_finds(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VAULT_DATABASE_URL")}
    env["CONFIDE_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert lines["clean"].startswith("True")
    assert lines["edited"].startswith("False 1500 ")
    assert lines["restored"].startswith("True")
    assert lines["deleted_at_a_boundary"].startswith("False 752 entries are missing")
    assert lines["swapped_across_a_boundary"].startswith("False 1125 ")
