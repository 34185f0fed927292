"""The vault's private recovery key goes where the operator says, never by default into the current folder, the
source tree, a git work tree or the data directory; or it is printed once. Setting up twice never trips on it."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from confide.ops.vaultsetup import DEMO_KEY_NAME, ensure_recovery_key
from confide.people.models import User
from confide.vault import crypto
from confide.vault.services import recovery_public_key

ADMIN_PASSWORD = "a long admin password 2026\n"


@pytest.fixture
def fresh_vault(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A practice with no recovery key yet, the command run from an empty folder of its own."""
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(tmp_path / "server" / "vault-recovery.pub")
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_init_wants_to_be_told_where_the_private_key_goes(fresh_vault: Path) -> None:
    with pytest.raises(CommandError, match=r"--out|--print"):
        call_command("vault", "init", stdout=io.StringIO())
    assert not Path(django_settings.VAULT_RECOVERY_PUBLIC_KEY_FILE).exists()
    assert list(fresh_vault.iterdir()) == []


def test_init_prints_the_private_key_once_and_stores_it_nowhere(fresh_vault: Path) -> None:
    out = io.StringIO()
    call_command("vault", "init", "--print", stdout=out)
    printed = out.getvalue()
    assert "CONFIDE-RECOVERY-1" in printed
    lines = printed.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("CONFIDE-RECOVERY-1"))
    end = lines.index("", start)  # the key's lines run to the blank line after them
    key = crypto.parse_recovery_key_text("\n".join(lines[start:end]))
    assert crypto.public_of(key) == recovery_public_key()
    assert "printed above, not stored" in printed
    assert list(fresh_vault.iterdir()) == []
    server = Path(django_settings.VAULT_RECOVERY_PUBLIC_KEY_FILE).parent
    assert [p.name for p in server.iterdir()] == ["vault-recovery.pub"]


@pytest.mark.parametrize("place", ["source tree", "data directory", "git work tree"])
def test_init_refuses_to_write_the_private_key_where_it_would_leak(
    fresh_vault: Path, settings: Any, tmp_path: Path, place: str
) -> None:
    if place == "source tree":
        target = Path(settings.BASE_DIR) / "confide-vault-recovery-key.txt"
    elif place == "data directory":
        settings.DATA_DIR = tmp_path / "data"
        target = settings.DATA_DIR / "recovery-key.txt"
    else:
        (tmp_path / "checkout" / ".git").mkdir(parents=True)
        target = tmp_path / "checkout" / "docs" / "key.txt"
    with pytest.raises(CommandError, match=f"inside (the|a) {place}"):
        call_command("vault", "init", "--out", str(target), stdout=io.StringIO())
    assert not target.exists()
    assert not Path(settings.VAULT_RECOVERY_PUBLIC_KEY_FILE).exists()  # nothing half-made


@pytest.mark.django_db
def test_createadmin_without_a_recovery_key_says_what_to_pass_and_creates_nobody(
    fresh_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(ADMIN_PASSWORD))
    with pytest.raises(CommandError, match=r"--recovery-key-out PATH.*--print-recovery-key"):
        call_command("createadmin", "--username", "boss", "--password-stdin", stdout=io.StringIO())
    assert not User.objects.filter(username="boss").exists()
    assert list(fresh_vault.iterdir()) == []


@pytest.mark.django_db
def test_createadmin_can_print_the_recovery_key(fresh_vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(ADMIN_PASSWORD))
    out = io.StringIO()
    call_command("createadmin", "--username", "boss", "--password-stdin", "--print-recovery-key", stdout=out)
    assert "CONFIDE-RECOVERY-1" in out.getvalue()
    assert User.objects.get(username="boss").role == "admin"
    assert list(fresh_vault.iterdir()) == []


@pytest.mark.django_db
def test_a_second_createadmin_in_the_same_folder_does_not_trip_over_the_first_key(
    fresh_vault: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key_file = tmp_path / "custodian" / "recovery-key.txt"
    key_file.parent.mkdir()
    for username in ("boss", "deputy"):
        monkeypatch.setattr(sys, "stdin", io.StringIO(ADMIN_PASSWORD))
        call_command(
            "createadmin",
            "--username",
            username,
            "--password-stdin",
            "--recovery-key-out",
            str(key_file),
            stdout=io.StringIO(),
        )
    monkeypatch.setattr(sys, "stdin", io.StringIO(ADMIN_PASSWORD))
    call_command("createadmin", "--username", "third", "--password-stdin", stdout=io.StringIO())
    assert set(User.objects.values_list("username", flat=True)) == {"boss", "deputy", "third"}
    assert "CONFIDE-RECOVERY-1" in key_file.read_text()


def test_the_demo_replaces_a_leftover_demo_key_whose_public_half_is_gone(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(tmp_path / "vault-recovery.pub")
    (tmp_path / DEMO_KEY_NAME).write_text("left over from an earlier demo")
    note = ensure_recovery_key(stdout=io.StringIO())
    assert DEMO_KEY_NAME in note
    assert "CONFIDE-RECOVERY-1" in (tmp_path / DEMO_KEY_NAME).read_text()
    assert ensure_recovery_key(stdout=io.StringIO()) == ""  # and a second demo leaves it be
