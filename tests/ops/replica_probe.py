"""Run by tests/ops/test_replica.py in its own process, against a primary and a streaming replica that the test
started: DATABASE_URL is the primary, REPLICA_DATABASE_URL the standby. Prints one JSON object of what it saw; the
test asserts on it. Not collected by pytest (no test_ prefix)."""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import django

PASSWORD = "correct horse battery staple 42"


def _scalar(alias: str, sql: str, params: list[Any] | None = None) -> Any:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def wait_for_replay(timeout: float = 10.0) -> float:
    """Seconds until the standby has replayed everything the primary has written so far."""
    lsn = _scalar("default", "SELECT pg_current_wal_lsn()::text")
    started = time.monotonic()
    while not _scalar("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]):
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"the standby did not replay {lsn} in {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test import Client as Http
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from confide.audit.models import AuditEntry
    from confide.clients.models import Client
    from confide.lib import replica
    from confide.lib.replica import forget_writes, replica_reads
    from confide.people.models import User
    from confide.people.services import create_user
    from confide.sessions.services import schedule_session
    from confide.vault.models import PsychotherapyNote
    from confide.vault.recovery import initialize

    initialize(private_out=Path(settings.DATA_DIR) / "recovery-key.txt")
    out: dict[str, Any] = {"aliases": sorted(settings.DATABASES), "routers": settings.DATABASE_ROUTERS}

    def person(username: str, role: str) -> User:
        return create_user(
            actor=None, username=username, password=PASSWORD, full_name=username.title(), role=role, validate=False
        )

    def booked(last_name: str, clinician: User) -> Client:
        client = Client.objects.create(
            first_name="Alex", last_name=last_name, date_of_birth=date(1990, 4, 2), primary_clinician=clinician
        )
        starts = timezone.now().replace(microsecond=0) - timedelta(hours=2)
        schedule_session(
            actor=clinician,
            client=client,
            clinician_id=clinician.pk,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=53),
            service="individual",
            setting="in_person",
        )
        return client

    clinician = person("rivera", "clinician")
    person("biller", "biller")
    replicated = booked("Replicated", clinician)
    out["first_replay_seconds"] = wait_for_replay()
    out["standby_in_recovery"] = _scalar("replica", "SELECT pg_is_in_recovery()")
    out["primary_in_recovery"] = _scalar("default", "SELECT pg_is_in_recovery()")

    forget_writes()
    out["plain_read_alias"] = Client.objects.all().db
    with replica_reads():
        found = Client.objects.filter(pk=replicated.pk)
        out["opted_in"] = {
            "client": found.db,
            "client_found": found.exists(),
            "user": User.objects.all().db,
            "audit": AuditEntry.objects.all().db,
            "vault": PsychotherapyNote.objects.all().db,
        }

    # Stop replay: from here the standby is behind, as a replica under load is, until resumed.
    _scalar("replica", "SELECT pg_wal_replay_pause()::text")
    while _scalar("replica", "SELECT pg_get_wal_replay_pause_state()") != "paused":
        time.sleep(0.02)
    lagging = booked("Lagging", clinician)
    person("newbiller", "biller")  # exists on the primary only
    with replica_reads():  # the same unit of work wrote: read-your-writes from the primary
        just_written = Client.objects.filter(pk=lagging.pk)
        out["after_write"] = {"alias": just_written.db, "found": just_written.exists()}
    forget_writes()
    with replica_reads():  # a new unit of work: the replica, which has not seen the client yet
        stale = Client.objects.filter(pk=lagging.pk)
        out["behind"] = {"alias": stale.db, "found": stale.exists()}

    http = Http()
    audit_before = AuditEntry.objects.using("default").order_by("-seq").values_list("seq", flat=True).first() or 0
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        signed_in = http.post("/sign-in/", {"username": "newbiller", "password": PASSWORD})
    out["sign_in"] = {"status": signed_in.status_code, "replica_queries": len(on_replica.captured_queries)}
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        page = http.get("/billing/")
    text = page.content.decode()
    out["billing_paused"] = {
        "status": page.status_code,
        "replica_queries": len(on_replica.captured_queries),
        "shows_replicated": "Replicated" in text,
        "shows_lagging": "Lagging" in text,
    }
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        export = http.get("/billing/export.csv")
    csv_text = export.content.decode()
    out["export_paused"] = {
        "status": export.status_code,
        "replica_queries": len(on_replica.captured_queries),
        "shows_replicated": "Replicated" in csv_text,
        "shows_lagging": "Lagging" in csv_text,
    }
    appended = AuditEntry.objects.using("default").filter(seq__gt=audit_before).order_by("seq")
    out["audit_appended_on_primary"] = list(appended.values_list("action", flat=True))
    table = AuditEntry._meta.db_table
    out["audit_on_standby"] = _scalar("replica", f"SELECT count(*) FROM {table}")  # noqa: S608 (a model's table)
    out["audit_on_primary"] = AuditEntry.objects.using("default").count()
    try:
        _scalar("replica", "CREATE TABLE refused (x int)")
        out["standby_write"] = "accepted"
    except Exception as error:  # psycopg's ReadOnlySqlTransaction, wrapped by Django
        out["standby_write"] = type(error).__name__ + ": " + str(error).splitlines()[0]

    # The standby unreachable (its port now refuses): lag-tolerant reads fall back to the primary, not to an error.
    standby = connections["replica"]
    standby.close()
    port = standby.settings_dict["PORT"]
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        standby.settings_dict["PORT"] = unused.getsockname()[1]
    forget_writes()
    with replica_reads():
        fallback = Client.objects.filter(pk=lagging.pk)
        out["standby_down"] = {"alias": fallback.db, "found": fallback.exists()}
    page = http.get("/billing/")
    out["billing_standby_down"] = {"status": page.status_code, "shows_lagging": "Lagging" in page.content.decode()}
    standby.settings_dict["PORT"] = port
    replica._down_until = 0.0  # as when DOWN_SECONDS have passed

    _scalar("replica", "SELECT pg_wal_replay_resume()::text")
    out["catch_up_seconds"] = wait_for_replay()
    page = http.get("/billing/")
    out["billing_caught_up"] = {"status": page.status_code, "shows_lagging": "Lagging" in page.content.decode()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
