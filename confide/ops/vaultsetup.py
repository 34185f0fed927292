"""The vault's recovery key for the demo: made once, beside the demo database (a real practice runs
`confide vault init` and hands the private file to its custodian)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command

from confide.vault.services import recovery_public_key_file


def ensure_recovery_key(*, stdout: Any) -> str:
    if recovery_public_key_file().exists():
        return ""
    private = settings.DATA_DIR / "demo-vault-recovery-key.txt"
    call_command("vault", "init", "--out", str(private), stdout=stdout)
    return f"Demo recovery key written to {private} (a real practice keeps it offline)."
