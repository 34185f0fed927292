"""`confide vault init | recover | shred | status`: the vault's operator commands."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from confide.lib.errors import ConfideError


class Command(BaseCommand):
    help = "The psychotherapy-note vault: init (recovery key), recover (after a reset), shred (retention), status."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="make the practice recovery key pair (once)")
        # No default: a default file lands in whatever folder the command runs in, often the source tree.
        where = init.add_mutually_exclusive_group(required=True)
        where.add_argument(
            "--out",
            help="where to write the PRIVATE recovery key (mode 0600; never overwritten; outside the source tree, "
            "any git work tree and the data directory)",
        )
        where.add_argument(
            "--print", action="store_true", help="print the PRIVATE recovery key once to standard output instead"
        )
        init.add_argument("--if-missing", action="store_true", help="do nothing if the vault already has a key")

        recover = sub.add_parser("recover", help="re-open a locked clinician's vault with the recovery key")
        recover.add_argument("--user", required=True, help="the clinician's username")
        recover.add_argument("--recovery-key", required=True, help="the file `vault init` wrote (or a retyped copy)")
        recover.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the clinician's current password from standard input instead of prompting",
        )

        shred = sub.add_parser("shred", help="destroy the notes the retention policy says are due (crypto-shred)")
        shred.add_argument("--dry-run", action="store_true", help="list what is due, destroy nothing")
        shred.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

        sub.add_parser("status", help="recovery key fingerprint and clinicians' vault state (no content)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except ConfideError as error:
            raise CommandError(error.detail) from None

    def _init(self, options: dict[str, Any]) -> None:
        from confide.vault.recovery import AlreadyInitialized, initialize
        from confide.vault.services import recovery_public_key_file

        if options["print"]:
            private_out: Path | OutputWrapper = self.stdout
        else:
            private_out = Path(options["out"])
            problem = unsafe_key_location(private_out)
            if problem:
                raise CommandError(f"refusing to write the private recovery key to {private_out}: {problem}")
        try:
            files = initialize(private_out=private_out)
        except AlreadyInitialized as error:
            if options["if_missing"]:
                self.stdout.write(f"The vault already has a recovery key: {recovery_public_key_file()}")
                return
            raise CommandError(f"{error}. Nothing was changed.") from None
        except FileExistsError:
            raise CommandError(f"{options['out']} already exists: refusing to overwrite it") from None
        private = (
            f"PRIVATE half (mode 0600): {files.private}" if files.private else "PRIVATE half: printed above, not stored"
        )
        then = "delete it here" if files.private else "clear this terminal's scrollback"
        self.stdout.write(
            ("" if files.private else "\n")  # a blank line ends the printed key
            + self.style.SUCCESS(f"Recovery key made. Fingerprint {files.fingerprint}.")
            + f"\n  public half (kept on the server): {files.public}"
            + f"\n  {private}"
            + f"\nPrint the private key, give it to the practice's custodian to keep offline, then {then}."
        )

    def _recover(self, options: dict[str, Any]) -> None:
        from confide.people.models import User
        from confide.vault.recovery import read_private_key_file
        from confide.vault.services import recover

        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user named {options['user']!r}")
        try:
            recovery_key = read_private_key_file(Path(options["recovery_key"]))
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read the recovery key: {error}") from None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(f"{user.username}, type your current password: ")
        recover(user=user, recovery_private_key=recovery_key, password=password)
        self.stdout.write(self.style.SUCCESS(f"{user.username}'s vault is open again for their current password."))

    def _shred(self, options: dict[str, Any]) -> None:
        from confide.vault.retention import due_notes
        from confide.vault.services import purge_expired_key_sessions, shred_note

        purge_expired_key_sessions()
        due, held = due_notes(today=options["today"])
        for client_id in held:
            self.stdout.write(f"legal hold: client {client_id}'s notes kept")
        verb = "due" if options["dry_run"] else "shredded"
        for item in due:
            if not options["dry_run"]:
                shred_note(actor=None, note_id=item.note_id, reason="retention")
            self.stdout.write(
                f"{verb}: note {item.note_id} client {item.client_id} session {item.session_date} "
                f"(destroy on {item.destroy_on})"
            )
        if not options["dry_run"]:
            _compact_vault()
        self.stdout.write(f"{len(due)} note(s) {verb}; {len(held)} client(s) on legal hold.")

    def _status(self, options: dict[str, Any]) -> None:
        from confide.vault import crypto
        from confide.vault.models import ClinicianKey
        from confide.vault.services import recovery_public_key, recovery_public_key_file

        try:
            fingerprint = crypto.fingerprint(recovery_public_key())
            self.stdout.write(f"recovery key: {recovery_public_key_file()} (fingerprint {fingerprint})")
        except ConfideError as error:
            self.stdout.write(error.detail)
        keys = ClinicianKey.objects.count()
        locked = ClinicianKey.objects.filter(locked=True).count()
        self.stdout.write(f"clinician keys: {keys}, locked: {locked}")


def unsafe_key_location(path: Path) -> str:
    """Why a private recovery key must not be written at `path` ("" when it may).

    Inside the source tree or any git work tree it is one `git add` away from being published; inside the data
    directory it sits beside the vault database and in the same backups, which together read every note.
    """
    target = path.expanduser().resolve()
    places = {"the source tree": Path(settings.BASE_DIR), "the data directory": Path(settings.DATA_DIR)}
    for name, root in places.items():
        if target.is_relative_to(root.resolve()):
            return f"it is inside {name} ({root})"
    for folder in target.parents:
        if (folder / ".git").exists():
            return f"it is inside a git work tree ({folder})"
    return ""


def _compact_vault() -> None:
    """Shredding deletes rows; make the database engine forget the freed pages too, where it can."""
    from django.db import connections

    connection = connections["vault"]
    if connection.in_atomic_block:
        return  # neither engine vacuums inside a transaction; the next run does it
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            cursor.execute("VACUUM vault_psychotherapynote, vault_noterecipient")
