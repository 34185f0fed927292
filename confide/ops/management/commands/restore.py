"""`confide restore DIR [--key KEYFILE] [--force]`: into empty databases, then verify (docs/operations.md)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from confide.ops.backup import BackupError
from confide.ops.restore import read_manifest, restore


class Command(BaseCommand):
    help = "Restore a backup into empty databases and verify it: hashes, row counts, audit chain, notes, vault."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path, help="the folder `confide backup --out` wrote")
        parser.add_argument("--key", type=Path, metavar="KEYFILE", help="the backup PRIVATE key (encrypted backups)")
        parser.add_argument(
            "--force", action="store_true", help="replace databases that are not empty (their rows are lost)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        try:
            result = restore(
                folder,
                key=options["key"],
                force=options["force"],
                show_progress=not options["no_progress"] and sys.stderr.isatty(),
                say=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        for line in result.checked:
            self.stdout.write(f"OK: {line}")
        for line in result.problems:
            self.stdout.write(f"FAILED: {line}")
        if not result.ok:
            raise CommandError(f"the restored data failed {len(result.problems)} check(s): see FAILED above")
        manifest = read_manifest(folder)
        from confide.audit.services import record

        record(
            "confide.backup.restored",
            actor=None,
            detail={
                "created_at": manifest["created_at"],
                "audit_head": manifest["audit_head"] or "",
                "forced": bool(options["force"]),
            },
        )
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}. Next: `confide migrate` (both databases) if this "
            "Confide is newer, then `confide audit verify --reset-anchor` to anchor the restored log."
        )
