"""Production refuses to boot without its secrets, with placeholders, or with unsafe switches on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_SECRET = "k" * 20 + "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c"


def boot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "AUDIT_HMAC_KEY", "CONFIDE_"))}
    base.update({"CONFIDE_ENV": "production", "CONFIDE_DATA_DIR": str(tmp_path), "ALLOWED_HOSTS": "confide.test"})
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"], env=base, capture_output=True, text=True, check=False
    )


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
