"""The vault's recovery key for the demo: made once, beside the demo database (a real practice runs
`confide vault init --out PATH` and hands the private file to its custodian)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from confide.vault.recovery import initialize
from confide.vault.services import recovery_public_key_file

DEMO_KEY_NAME = "demo-vault-recovery-key.txt"


def ensure_recovery_key(*, stdout: Any) -> str:
    """The demo's key pair, both halves in the data directory (ignored by git; demo data only).

    `vault init` refuses the data directory for a real practice's private key; the demo holds no real notes, so it
    calls the library directly. A private half left over from an earlier demo whose public half is gone unlocks
    nothing any more, so it is replaced rather than stopping the demo.
    """
    if recovery_public_key_file().exists():
        return ""
    private = settings.DATA_DIR / DEMO_KEY_NAME
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    private.unlink(missing_ok=True)
    files = initialize(private_out=private)
    stdout.write(f"Demo recovery key made. Fingerprint {files.fingerprint}.")
    return f"Demo recovery key written to {private} (a real practice keeps it offline)."
