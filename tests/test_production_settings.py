"""Production refuses to boot without its secrets, with placeholders, or with unsafe switches on."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_SECRET = "k" * 20 + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c"


def boot(tmp_path: Path, code: str = "import config.settings", **env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a new process with this environment (production unless CONFIDE_ENV says otherwise)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "AUDIT_HMAC_KEY", "CONFIDE_"))}
    base.update({"CONFIDE_ENV": "production", "CONFIDE_DATA_DIR": str(tmp_path), "ALLOWED_HOSTS": "confide.test"})
    base.update(env)
    argv = [sys.executable, "-c", code, str(tmp_path)]
    return subprocess.run(argv, env=base, capture_output=True, text=True, check=False)


def develop(data_dir: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` under development settings on SQLite files in `data_dir`."""
    env = {"CONFIDE_ENV": "development", "DATABASE_URL": "", "VAULT_DATABASE_URL": "", **env}
    result = boot(data_dir, code, **env)
    assert result.returncode == 0, result.stderr
    return result


def test_production_boots_with_its_secrets(tmp_path: Path) -> None:
    result = boot(tmp_path, SECRET_KEY=GOOD_SECRET, AUDIT_HMAC_KEY=GOOD_SECRET[::-1])
    assert result.returncode == 0, result.stderr


def test_secrets_can_come_from_files(tmp_path: Path) -> None:
    (tmp_path / "s").write_text(GOOD_SECRET)
    (tmp_path / "a").write_text(GOOD_SECRET[::-1])
    result = boot(tmp_path, SECRET_KEY_FILE=str(tmp_path / "s"), AUDIT_HMAC_KEY_FILE=str(tmp_path / "a"))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"AUDIT_HMAC_KEY": GOOD_SECRET}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET}, "AUDIT_HMAC_KEY"),
        ({"SECRET_KEY": "django-insecure-change-me-please-0123456789", "AUDIT_HMAC_KEY": GOOD_SECRET}, "placeholder"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "DEBUG": "true"}, "DEBUG"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "CONFIDE_DEMO": "1"}, "CONFIDE_DEMO"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "VAULT_KDF_PROFILE": "test"}, "VAULT_KDF_PROFILE"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY_FILE": "/nonexistent/secret", "AUDIT_HMAC_KEY": GOOD_SECRET}, "cannot be read"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "MFA_REQUIRED_ROLES": ""}, "ALLOW_NO_MFA"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "IDLE_TIMEOUT_MINUTES": "0"}, "IDLE_TIMEOUT"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "IDLE_TIMEOUT_MINUTES": "100000"}, "IDLE_TIMEOUT"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "API_TOKEN_TTL_HOURS": "8760"}, "API_TOKEN_TTL"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "API_TOKEN_TTL_HOURS": "-1"}, "API_TOKEN_TTL"),
        (
            {"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "LOCKOUT_THRESHOLD": "1000000"},
            "LOCKOUT_THRESHOLD",
        ),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "LOCKOUT_THRESHOLD": "0"}, "LOCKOUT_THRESHOLD"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "LOCKOUT_MINUTES": "0"}, "LOCKOUT_MINUTES"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "LOCKOUT_MINUTES": "525600"}, "LOCKOUT_MINUTES"),
        ({"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET, "MFA_REQUIRED_ROLES": "clinican"}, "clinican"),
    ],
)
def test_production_refuses_to_boot(tmp_path: Path, env: dict[str, str], complaint: str) -> None:
    result = boot(tmp_path, **env)
    assert result.returncode != 0
    assert complaint in result.stderr
    assert GOOD_SECRET not in result.stderr  # a refusal never prints the secret


def test_an_empty_list_variable_means_an_empty_list_not_the_default() -> None:
    from confide.lib.env import Env

    assert Env({"MFA_REQUIRED_ROLES": ""}).list("MFA_REQUIRED_ROLES", ["admin"]) == []
    assert Env({}).list("MFA_REQUIRED_ROLES", ["admin"]) == ["admin"]
    assert Env({"X": "a, b,,c"}).list("X", []) == ["a", "b", "c"]


def test_production_boots_without_mfa_only_when_told_so(tmp_path: Path) -> None:
    secrets = {"SECRET_KEY": GOOD_SECRET, "AUDIT_HMAC_KEY": GOOD_SECRET[::-1], "MFA_REQUIRED_ROLES": ""}
    result = boot(tmp_path, **secrets, ALLOW_NO_MFA="true")
    assert result.returncode == 0, result.stderr


def test_every_role_may_be_named_in_mfa_required_roles(tmp_path: Path) -> None:
    from confide.people.models import Role

    roles = ",".join(str(role) for role in Role.values)
    result = develop(tmp_path, "import config.settings as s; print(s.MFA_REQUIRED_ROLES)", MFA_REQUIRED_ROLES=roles)
    assert result.stdout.strip() == str(list(Role.values))


def test_the_sign_in_limits_inside_their_bounds_boot_in_production(tmp_path: Path) -> None:
    limits = {
        "IDLE_TIMEOUT_MINUTES": "60",
        "API_TOKEN_TTL_HOURS": "24",
        "LOCKOUT_THRESHOLD": "3",
        "LOCKOUT_MINUTES": "1",
    }
    result = boot(tmp_path, SECRET_KEY=GOOD_SECRET, AUDIT_HMAC_KEY=GOOD_SECRET[::-1], **limits)
    assert result.returncode == 0, result.stderr


def test_vault_retention_years_are_read_from_their_own_names(tmp_path: Path) -> None:
    code = "import config.settings as s; print(s.VAULT_RETENTION_ADULT_YEARS, s.VAULT_RETENTION_MINOR_YEARS)"
    result = develop(tmp_path, code, VAULT_RETENTION_ADULT_YEARS="10", VAULT_RETENTION_MINOR_YEARS="5")
    assert result.stdout.split() == ["10", "5"]


def test_a_fresh_checkout_makes_its_own_private_development_secrets(tmp_path: Path) -> None:
    code = "import config.settings as s; print(s.SECRET_KEY, s.AUDIT_HMAC_KEY)"
    first = develop(tmp_path / "one", code).stdout.split()
    again = develop(tmp_path / "one", code).stdout.split()
    other = develop(tmp_path / "two", code).stdout.split()
    assert first == again  # made once, then kept
    assert set(first).isdisjoint(other)  # no two checkouts share a key
    assert len(set(first)) == 2 and all(len(key) >= 32 for key in first)
    assert stat.S_IMODE((tmp_path / "one").stat().st_mode) == 0o700
    for name in ("secret_key.dev-secret", "audit_hmac_key.dev-secret"):
        assert stat.S_IMODE((tmp_path / "one" / name).stat().st_mode) == 0o600


def test_sqlite_databases_and_their_journals_are_private(tmp_path: Path) -> None:
    # The modes are read while the connections are open: SQLite removes the -wal and -shm files when the last closes.
    code = (
        "import django, pathlib, stat, sys; django.setup()\n"
        "from django.db import connections\n"
        "for alias in ('default', 'vault'):\n"
        "    with connections[alias].cursor() as cursor:\n"
        "        cursor.execute('CREATE TABLE t (x INTEGER)'); cursor.execute('INSERT INTO t VALUES (1)')\n"
        "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.sqlite3*')):\n"
        "    print(path.name, oct(stat.S_IMODE(path.stat().st_mode)))\n"
    )
    result = develop(tmp_path, code, DJANGO_SETTINGS_MODULE="config.settings")
    modes = dict(line.split() for line in result.stdout.splitlines())
    assert {"confide.sqlite3", "confide.sqlite3-wal", "confide.sqlite3-shm", "vault.sqlite3"} <= set(modes)
    assert set(modes.values()) == {"0o600"}, modes


def test_a_database_made_readable_by_others_is_made_private_at_the_next_start(tmp_path: Path) -> None:
    database = tmp_path / "confide.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)
    develop(tmp_path, "import config.settings")
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_a_development_secret_is_written_once_and_never_overwritten(tmp_path: Path) -> None:
    from confide.lib.private_files import write_once

    secret = tmp_path / "secret_key.dev-secret"
    write_once(secret, "first")
    write_once(secret, "second")
    assert secret.read_text() == "first"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [secret.name]  # no temporary file left behind
