"""The vault's test support: a practice recovery key, and signing a clinician into the vault without HTTP."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from confide.people.models import User
from confide.vault.credential import VaultCredential
from confide.vault.recovery import RecoveryKeyFiles
from tests.conftest import PASSWORD

BOTH_DATABASES = ["default", "vault"]


@pytest.fixture
def recovery_key(settings: Any, vault_recovery_key: RecoveryKeyFiles) -> RecoveryKeyFiles:
    """The practice has run `confide vault init` (tests/conftest.py makes the key once per run); the custodian's
    private key file is `recovery_key.private`."""
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(vault_recovery_key.public)
    return vault_recovery_key


@pytest.fixture
def sign_in_vault() -> Callable[..., VaultCredential]:
    """Open a vault key session for `user` as sign-in does, and return what the browser/token would hold."""

    def open_for(user: User, password: str = PASSWORD) -> VaultCredential:
        from confide.vault.services import open_key_session

        credential = VaultCredential(session_ref=f"test:{secrets.token_hex(8)}", client_secret=secrets.token_bytes(32))
        open_key_session(
            user=user,
            password=password,
            session_ref=credential.session_ref,
            client_secret=credential.client_secret,
            expires_at=timezone.now() + timedelta(hours=1),
        )
        return credential

    return open_for


@pytest.fixture
def marker() -> str:
    """A random string planted in notes, to be searched for everywhere it must not be."""
    return f"MARKER{secrets.token_hex(12)}"


@pytest.fixture(autouse=True)
def _okafor_supervises_training(settings: Any) -> None:
    # The cast's supervisor (Dr. Okafor) is on the practice's list of training supervisors, so grants to her are
    # allowed whoever the author is; test_grants_go_only_to_supervisors checks who is refused without the list.
    settings.VAULT_TRAINING_SUPERVISORS = ["okafor"]
