"""`confide backup --out DIR [--encrypt-to KEYFILE]`, and `confide backup --make-key PATH` (the practice's key pair)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from confide.ops.backup import BackupError, backup, make_key_pair


class Command(BaseCommand):
    help = "Back up both databases and the attachments to a new folder, with a manifest (docs/operations.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--out", type=Path, help="a new or empty folder for the backup")
        what.add_argument(
            "--make-key",
            type=Path,
            metavar="PATH",
            help="write a new backup key pair: the PRIVATE key to PATH (keep it offline), the public one to PATH.pub",
        )
        parser.add_argument(
            "--encrypt-to", type=Path, metavar="KEYFILE", help="encrypt every file to this backup PUBLIC key"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["make_key"]:
                private, public = make_key_pair(options["make_key"])
                self.stdout.write(f"PRIVATE backup key (mode 0600): {private}\nPUBLIC backup key: {public}")
                self.stdout.write("Keep the private key off the server; back up with --encrypt-to the public one.")
                return
            manifest = backup(
                options["out"],
                encrypt_to=options["encrypt_to"],
                show_progress=not options["no_progress"] and sys.stderr.isatty(),
                say=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        from confide.audit.services import record

        record(
            "confide.backup.created",
            actor=None,
            detail={
                "encrypted": manifest["encryption"] is not None,
                "files": len(manifest["files"]),
                "audit_head": manifest["audit_head"] or "",
            },
        )
        self.stdout.write(f"Backup written to {options['out']} (audit head {manifest['audit_head']})")
        if manifest["encryption"] is None:
            self.stdout.write("Not encrypted: keep it where only the practice's operators can read it.")
