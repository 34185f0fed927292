"""An administrator's password reset locks the vault; the custodian's recovery ceremony re-opens it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from confide.lib.errors import NotFound, RuleViolation
from confide.people.models import User
from confide.people.services import change_password, reset_password
from confide.vault import crypto
from confide.vault import services as vault
from confide.vault.credential import VaultCredential
from confide.vault.errors import VaultLocked
from confide.vault.recovery import RecoveryKeyFiles, initialize, read_private_key_file
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

NEW_PASSWORD = "a brand new passphrase 77"


@pytest.fixture
def written(clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]) -> str:
    note_id, _ = vault.write_note(
        actor=clinician, credential=sign_in_vault(clinician), session=therapy_session, body="countertransference"
    )
    return note_id


def test_admin_reset_locks_the_vault(
    admin: User, clinician: User, written: str, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    before = sign_in_vault(clinician)
    reset_password(actor=admin, user=clinician, new_password=NEW_PASSWORD)
    with pytest.raises(VaultLocked):  # the session opened before the reset is gone too
        vault.read_note(actor=clinician, credential=before, note_id=written)
    after = sign_in_vault(clinician, NEW_PASSWORD)  # sign-in still works; the vault stays locked
    with pytest.raises(VaultLocked):
        vault.read_note(actor=clinician, credential=after, note_id=written)


def test_the_admin_cannot_read_even_after_resetting(admin: User, clinician: User, written: str) -> None:
    reset_password(actor=admin, user=clinician, new_password=NEW_PASSWORD)
    with pytest.raises(NotFound):
        vault.read_note(actor=admin, credential=None, note_id=written)


def test_recovery_restores_the_authors_access(
    admin: User,
    clinician: User,
    written: str,
    recovery_key: RecoveryKeyFiles,
    sign_in_vault: Callable[..., VaultCredential],
) -> None:
    reset_password(actor=admin, user=clinician, new_password=NEW_PASSWORD)
    clinician.refresh_from_db()
    vault.recover(
        user=clinician, recovery_private_key=read_private_key_file(recovery_key.private), password=NEW_PASSWORD
    )
    credential = sign_in_vault(clinician, NEW_PASSWORD)
    assert vault.read_note(actor=clinician, credential=credential, note_id=written).body == "countertransference"


def test_recover_command_reopens_the_vault(
    admin: User,
    clinician: User,
    written: str,
    recovery_key: RecoveryKeyFiles,
    sign_in_vault: Callable[..., VaultCredential],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    reset_password(actor=admin, user=clinician, new_password=NEW_PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(NEW_PASSWORD + "\n"))
    out = io.StringIO()
    call_command(
        "vault",
        "recover",
        "--user",
        "rivera",
        "--recovery-key",
        str(recovery_key.private),
        "--password-stdin",
        stdout=out,
    )
    assert "open again" in out.getvalue()
    credential = sign_in_vault(clinician, NEW_PASSWORD)
    assert vault.read_note(actor=clinician, credential=credential, note_id=written).body == "countertransference"


def test_recovery_needs_the_users_current_password(
    admin: User, clinician: User, recovery_key: RecoveryKeyFiles
) -> None:
    reset_password(actor=admin, user=clinician, new_password=NEW_PASSWORD)
    clinician.refresh_from_db()
    with pytest.raises(RuleViolation):
        vault.recover(
            user=clinician, recovery_private_key=read_private_key_file(recovery_key.private), password="guess"
        )


def test_a_different_recovery_key_is_refused(admin: User, clinician: User, tmp_path: Path) -> None:
    other = initialize(private_out=tmp_path / "other.txt", public_file=tmp_path / "other.pub")
    reset_password(actor=admin, user=clinician, new_password=NEW_PASSWORD)
    clinician.refresh_from_db()
    with pytest.raises(RuleViolation):
        vault.recover(user=clinician, recovery_private_key=read_private_key_file(other.private), password=NEW_PASSWORD)


def test_password_change_rewraps(clinician: User, written: str, sign_in_vault: Callable[..., VaultCredential]) -> None:
    change_password(user=clinician, old_password=PASSWORD, new_password=NEW_PASSWORD)
    credential = sign_in_vault(clinician, NEW_PASSWORD)
    assert vault.read_note(actor=clinician, credential=credential, note_id=written).body == "countertransference"
    stale = sign_in_vault(clinician, PASSWORD)  # the old password no longer opens the key (and so locks it: audited)
    with pytest.raises(VaultLocked):
        vault.read_note(actor=clinician, credential=stale, note_id=written)


def test_printable_recovery_key_survives_retyping(recovery_key: RecoveryKeyFiles) -> None:
    key = read_private_key_file(recovery_key.private)
    text = crypto.recovery_key_text(key)
    retyped = text.lower().replace(" ", "").replace("\n", "  ")
    assert crypto.parse_recovery_key_text(retyped) == key
    head, body = text.split("\n", 1)
    typo = head + "\n" + ("B" if body[0] != "B" else "C") + body[1:]  # a slip in the first group
    with pytest.raises(ValueError):
        crypto.parse_recovery_key_text(typo)


def test_recover_command_with_a_wrong_file_says_so(clinician: User, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("not a key")
    with pytest.raises(CommandError):
        call_command("vault", "recover", "--user", "rivera", "--recovery-key", str(bad), "--password-stdin")
