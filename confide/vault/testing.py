"""Test support: a recovery key for the test suite, made once per directory (tests have no operator to run init)."""

from __future__ import annotations

from pathlib import Path

from confide.vault.recovery import RecoveryKeyFiles, initialize


def ensure_recovery_key_for_tests(directory: Path) -> RecoveryKeyFiles:
    """Make (or reuse) a recovery key pair in `directory`. Point settings.VAULT_RECOVERY_PUBLIC_KEY_FILE at
    `.public` so provisioning works; `.private` is the custodian's file for recovery tests."""
    from confide.vault import crypto
    from confide.vault.services import read_public_key_text

    public, private = directory / "vault-recovery.pub", directory / "vault-recovery-key.txt"
    if public.exists() and private.exists():
        fingerprint = crypto.fingerprint(read_public_key_text(public.read_text()))
        return RecoveryKeyFiles(public=public, private=private, fingerprint=fingerprint)
    directory.mkdir(parents=True, exist_ok=True)
    return initialize(private_out=private, public_file=public)
