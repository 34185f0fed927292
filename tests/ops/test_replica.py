"""A PostgreSQL streaming replica for lag-tolerant reads (confide/lib/replica.py, docs/operations.md "A streaming
replica").

On every database: without REPLICA_DATABASE_URL there is no `replica` alias and the router changes nothing, and the
routing rule refuses the replica wherever a read must see the present. In the PostgreSQL run, the test also starts
a primary (wal_level=replica) and a standby made by `pg_basebackup -R`, and a separate process (replica_probe.py) runs
Confide on the pair: the biller's list reads the standby, sign-in and the audit append use the primary, a read after
a write stays on the primary, and with replay paused the standby is seen to be behind while everything else works.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.lib.env import ConfigurationError
from confide.lib.replica import PRIMARY_ONLY_APPS, REPLICA_DB, read_alias, replica_reads, wrote
from confide.people.models import User
from confide.vault.models import PsychotherapyNote

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def test_without_a_replica_the_router_changes_nothing(client_of_record: Client) -> None:
    assert REPLICA_DB not in settings.DATABASES
    assert settings.DATABASE_ROUTERS[0] == "confide.lib.replica.ReplicaRouter"
    with replica_reads():
        assert Client.objects.all().db == "default"
        assert User.objects.all().db == "default"
        assert AuditEntry.objects.all().db == "default"
        assert PsychotherapyNote.objects.all().db == "vault"  # the vault's router still decides
        assert Client.objects.get(pk=client_of_record.pk).last_name == "Morgan"
    assert wrote()  # the fixture's writes were seen: a replica, were there one, would not be read now


@pytest.mark.parametrize(
    ("app", "opted_in", "wrote_", "in_transaction", "configured", "expected"),
    [
        ("clients", True, False, False, True, REPLICA_DB),  # the one case that reads the replica
        ("clients", False, False, False, True, None),  # nothing reads it implicitly
        ("clients", True, True, False, True, None),  # read-your-writes
        ("clients", True, False, True, True, None),  # inside a transaction
        ("clients", True, False, False, False, None),  # no replica configured: a no-op
    ]
    + [(app, True, False, False, True, None) for app in sorted(PRIMARY_ONLY_APPS)],
)
def test_reads_that_must_see_the_present_stay_on_the_primary(
    app: str, opted_in: bool, wrote_: bool, in_transaction: bool, configured: bool, expected: str | None
) -> None:
    got = read_alias(app, opted_in=opted_in, wrote=wrote_, in_transaction=in_transaction, configured=configured)
    assert got == expected


def test_the_replica_alias_exists_only_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(ROOT / "config" / "settings.py")
    monkeypatch.setenv("DATABASE_URL", "postgres://confide@db.example:5432/confide")
    monkeypatch.setenv("REPLICA_DATABASE_URL", "postgres://confide@standby.example:5432/confide")
    read = runpy.run_path(path)
    assert read["DATABASES"]["replica"]["HOST"] == "standby.example"
    assert read["DATABASES"]["replica"]["TEST"] == {"MIRROR": "default"}  # tests read the test database through it
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(Path(settings.DATA_DIR) / "confide.sqlite3"))
    with pytest.raises(ConfigurationError, match="REPLICA_DATABASE_URL"):
        runpy.run_path(path)
    monkeypatch.delenv("REPLICA_DATABASE_URL")
    assert "replica" not in runpy.run_path(path)["DATABASES"]


if POSTGRES:  # the streaming pair needs PostgreSQL's binaries and a PostgreSQL test database to copy

    def _free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    class Cluster:
        """A throwaway cluster like scripts/pg.sh's: loopback only, run as `postgres` when we are root."""

        def __init__(self, base: Path, name: str) -> None:
            self.bindir = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1])
            self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
            self.base, self.data, self.port = base, base / name, _free_port()

        def run(self, tool: str, *args: str) -> None:
            subprocess.run([*self.as_postgres, str(self.bindir / tool), *args], check=True, capture_output=True)

        def start(self, *options: str) -> None:
            server_options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} -c fsync=off"
            log = str(self.base / f"{self.data.name}.log")
            self.run(
                "pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", " ".join([server_options, *options]), "start"
            )

        def stop(self) -> None:
            if (self.data / "postmaster.pid").exists():
                self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")

        def url(self, database: str) -> str:
            return f"postgres://confide@127.0.0.1:{self.port}/{database}"

    @pytest.fixture
    def streaming_pair() -> Iterator[tuple[Cluster, Cluster]]:
        base = Path(tempfile.mkdtemp(prefix="confide-replica-"))
        primary, standby = Cluster(base, "primary"), Cluster(base, "standby")
        if primary.as_postgres:
            shutil.chown(base, "postgres")
        try:
            primary.run("initdb", "--no-sync", "-D", str(primary.data), "-U", "confide", "--auth=trust", "-E", "UTF8")
            primary.start("-c wal_level=replica -c max_wal_senders=4")
            for alias, name in (("default", "confide"), ("vault", "confide_vault")):
                _copy_test_database(alias, primary, name)
            # -R writes primary_conninfo and standby.signal: the copy starts as a streaming standby.
            standby.run(
                "pg_basebackup", *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "confide"),
                *("-D", str(standby.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
            )  # fmt: skip
            standby.start("-c hot_standby=on")
            yield primary, standby
        finally:
            standby.stop()
            primary.stop()
            shutil.rmtree(base, ignore_errors=True)

    def _copy_test_database(alias: str, primary: Cluster, name: str) -> None:
        """The suite's migrated test database, schema and rows, into a new database on the primary: seconds faster
        than migrating afresh, and the same schema by construction."""
        source: dict[str, Any] = connections[alias].settings_dict
        env = {**os.environ, "PGPASSWORD": str(source.get("PASSWORD") or "")}
        where = ["-h", str(source["HOST"] or "127.0.0.1"), "-p", str(source["PORT"] or 5432), "-U", str(source["USER"])]
        dump = subprocess.run(
            [str(primary.bindir / "pg_dump"), *where, "--no-owner", "--no-privileges", "-d", str(source["NAME"])],
            check=True,
            capture_output=True,
            env=env,
        ).stdout
        psql = str(primary.bindir / "psql")
        target = ["-h", "127.0.0.1", "-p", str(primary.port), "-U", "confide", "-q", "-v", "ON_ERROR_STOP=1"]
        subprocess.run([psql, *target, "-d", "postgres", "-c", f'CREATE DATABASE "{name}"'], check=True)
        subprocess.run([psql, *target, "-d", name], input=dump, check=True, capture_output=True)

    def test_lag_tolerant_reads_come_from_a_streaming_replica(
        streaming_pair: tuple[Cluster, Cluster], tmp_path: Path
    ) -> None:
        primary, standby = streaming_pair
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CONFIDE_DATA_DIR": str(tmp_path),
            "DATABASE_URL": primary.url("confide"),
            "VAULT_DATABASE_URL": primary.url("confide_vault"),
            "REPLICA_DATABASE_URL": standby.url("confide"),
            "MFA_REQUIRED_ROLES": "",
            "VAULT_KDF_PROFILE": "test",
            "LOG_LEVEL": "WARNING",
        }
        done = subprocess.run(
            [sys.executable, "-m", "tests.ops.replica_probe"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]
        seen = json.loads(done.stdout.strip().splitlines()[-1])

        assert seen["aliases"] == ["default", "replica", "vault"]
        assert seen["standby_in_recovery"] is True and seen["primary_in_recovery"] is False
        assert seen["plain_read_alias"] == "default"  # nothing reads the replica unless it opts in
        assert seen["opted_in"] == {
            "client": "replica",
            "client_found": True,  # streamed from the primary and read from the standby
            "user": "default",
            "audit": "default",
            "vault": "vault",
        }
        # Replay paused: the standby is behind, and only the lag-tolerant reads show it.
        assert seen["after_write"] == {"alias": "default", "found": True}
        assert seen["behind"] == {"alias": "replica", "found": False}
        assert seen["sign_in"] == {"status": 302, "replica_queries": 0}  # an account made after the pause signs in
        assert seen["billing_paused"]["status"] == 200 and seen["billing_paused"]["replica_queries"] > 0
        assert seen["billing_paused"]["shows_replicated"] and not seen["billing_paused"]["shows_lagging"]
        assert seen["export_paused"]["status"] == 200 and seen["export_paused"]["replica_queries"] > 0
        assert seen["export_paused"]["shows_replicated"] and not seen["export_paused"]["shows_lagging"]
        appended = seen["audit_appended_on_primary"]
        assert "confide.billing.listed" in appended and "confide.billing.exported" in appended
        assert seen["audit_on_standby"] < seen["audit_on_primary"]  # the appends happened where the standby lags
        assert "read-only" in seen["standby_write"]
        # The standby unreachable: the same reads come from the primary (which has the client the standby lacks).
        assert seen["standby_down"] == {"alias": "default", "found": True}
        assert seen["billing_standby_down"] == {"status": 200, "shows_lagging": True}
        assert seen["billing_caught_up"] == {"status": 200, "shows_lagging": True}
