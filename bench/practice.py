"""A throwaway practice for a benchmark: a fresh SQLite data folder, migrated, with a vault recovery key and one
clinician. Call `start()` before importing anything that needs Django's settings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any


def start(prefix: str) -> Path:
    """Make the data folder, set up Django on it, migrate both databases, initialize the vault. Returns the folder."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("CONFIDE_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    for alias in ("default", "vault"):
        call_command("migrate", database=alias, verbosity=0)
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(data_dir / "vault-recovery.pub")
    settings.VAULT_KDF_PROFILE = "test"
    from confide.vault.recovery import initialize

    initialize(private_out=data_dir / "recovery-key.txt")
    return data_dir


def clinician() -> Any:
    """The bench's one clinician, Dana Rivera, PhD."""
    from confide.people.services import create_user

    return create_user(
        actor=None,
        username="bench-rivera",
        password="correct horse battery staple 42",
        full_name="Dana Rivera",
        role="clinician",
        validate=False,
        credentials="PhD",
    )
