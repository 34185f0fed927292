"""No installation's keys, secrets or databases are in the repository, and git would refuse to pick them up."""

from __future__ import annotations

import fnmatch
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRIVATE_PATTERNS = ("*.sqlite3", "*.sqlite3-*", "*.dev-secret", "*recovery-key*", "*.pem", "*.key")

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout"
)


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)


def test_no_database_secret_or_key_is_tracked() -> None:
    tracked = git("ls-files").stdout.splitlines()
    leaked = [path for path in tracked if any(fnmatch.fnmatch(Path(path).name, p) for p in PRIVATE_PATTERNS)]
    assert leaked == []


@pytest.mark.parametrize(
    "path",
    [
        "confide-vault-recovery-key.txt",
        "docs/demo-vault-recovery-key.txt",
        "var/confide.sqlite3",
        "confide.sqlite3",
        "vault.sqlite3-wal",
        "secret_key.dev-secret",
    ],
)
def test_git_ignores_what_an_installation_makes(path: str) -> None:
    assert git("check-ignore", "--no-index", "-q", path).returncode == 0, f"{path} is not ignored"
