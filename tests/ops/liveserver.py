"""The environment for a real `confide serve` (bench/crash/driver.Server) on this test's databases.

The server is another process, so it sees only committed data: tests that use this are `transaction=True`. On
PostgreSQL it serves the test databases themselves. The suite's SQLite databases are in memory, where no other
process can reach them, so they are copied to files (`VACUUM INTO`, schema and the fixtures' rows) and the server
runs on the copies. The secrets are this process's, so the chain the fixtures began verifies in the children.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import connections

from bench.crash.driver import base_env, postgres_url


def database_url(alias: str, folder: Path) -> str:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return postgres_url(connection.settings_dict)
    copy = folder / f"{alias}.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    return f"sqlite:///{copy}"


def server_env(tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    return base_env(
        {
            "CONFIDE_DATA_DIR": str(data),
            "DATABASE_URL": database_url("default", tmp_path),
            "VAULT_DATABASE_URL": database_url("vault", tmp_path),
            "SECRET_KEY": str(settings.SECRET_KEY),
            "AUDIT_HMAC_KEY": str(settings.AUDIT_HMAC_KEY),
            "VAULT_RECOVERY_PUBLIC_KEY_FILE": str(settings.VAULT_RECOVERY_PUBLIC_KEY_FILE),
            "VAULT_KDF_PROFILE": "test",
        }
    )
