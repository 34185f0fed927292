"""`confide vault init` makes the recovery key once: private half to a 0600 file, never overwritten; only the
public half stays on the server. Without it, provisioning a clinician fails with a clear instruction."""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from confide.vault import crypto
from confide.vault.errors import VaultNotInitialized
from confide.vault.recovery import read_private_key_file
from confide.vault.services import recovery_public_key


def test_init_writes_the_private_key_once_with_mode_0600(settings: Any, tmp_path: Path) -> None:
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(tmp_path / "server" / "vault-recovery.pub")
    private = tmp_path / "custodian.txt"
    out = io.StringIO()
    call_command("vault", "init", "--out", str(private), stdout=out)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    key = read_private_key_file(private)
    assert crypto.public_of(key) == recovery_public_key()
    assert crypto.fingerprint(recovery_public_key()) in out.getvalue()
    public_text = (tmp_path / "server" / "vault-recovery.pub").read_text()
    assert crypto.recovery_key_text(key).splitlines()[1] not in public_text  # only the public half on the server
    assert "CONFIDE-RECOVERY-1" in private.read_text()


def test_init_refuses_to_run_twice(settings: Any, tmp_path: Path) -> None:
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(tmp_path / "vault-recovery.pub")
    call_command("vault", "init", "--out", str(tmp_path / "one.txt"), stdout=io.StringIO())
    before = (tmp_path / "vault-recovery.pub").read_text()
    with pytest.raises(CommandError):
        call_command("vault", "init", "--out", str(tmp_path / "two.txt"), stdout=io.StringIO())
    assert (tmp_path / "vault-recovery.pub").read_text() == before
    assert not (tmp_path / "two.txt").exists()
    call_command("vault", "init", "--if-missing", "--out", str(tmp_path / "two.txt"), stdout=io.StringIO())


def test_init_never_overwrites_an_existing_private_key_file(settings: Any, tmp_path: Path) -> None:
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(tmp_path / "vault-recovery.pub")
    existing = tmp_path / "custodian.txt"
    existing.write_text("the custodian's only copy")
    with pytest.raises(CommandError):
        call_command("vault", "init", "--out", str(existing), stdout=io.StringIO())
    assert existing.read_text() == "the custodian's only copy"


@pytest.mark.django_db(databases=["default", "vault"])
def test_a_clinician_cannot_be_provisioned_before_init(settings: Any, tmp_path: Path) -> None:
    from tests.conftest import make_user

    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(tmp_path / "missing.pub")
    with pytest.raises(VaultNotInitialized, match="confide vault init"):
        make_user("newbie", "clinician")
