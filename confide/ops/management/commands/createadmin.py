"""`confide createadmin --username NAME --password-stdin`: the first administrator, non-interactively."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.lib.errors import ConfideError
from confide.people.models import Role
from confide.people.services import create_user, mfa_required
from confide.vault.services import recovery_public_key_file


class Command(BaseCommand):
    help = "Create an administrator. Reads the password from standard input; prints the TOTP enrollment URI."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="Practice Administrator")
        parser.add_argument("--password-stdin", action="store_true", required=True)
        # Needed only while the practice has no recovery key; no default, so the key never lands in the current folder.
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--recovery-key-out",
            help="if the practice has no recovery key yet: where `vault init` writes its PRIVATE half (mode 0600, "
            "outside the source tree)",
        )
        where.add_argument(
            "--print-recovery-key",
            action="store_true",
            help="if the practice has no recovery key yet: print its PRIVATE half once instead of writing a file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Clinicians' vault keys are sealed to the practice recovery key, so it must exist before any clinician does.
        if not recovery_public_key_file().exists():
            if options["print_recovery_key"]:
                call_command("vault", "init", "--print", stdout=self.stdout)
            elif options["recovery_key_out"]:
                call_command("vault", "init", "--out", options["recovery_key_out"], stdout=self.stdout)
            else:
                raise CommandError(
                    "the practice has no vault recovery key yet: pass --recovery-key-out PATH (outside the source "
                    "tree, for the custodian) or --print-recovery-key"
                )
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("no password on standard input")
        try:
            user = create_user(
                actor=None,
                username=options["username"],
                password=password,
                full_name=options["full_name"],
                role=Role.ADMIN,
            )
        except ConfideError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(f"Created administrator {user.username} (id {user.pk}).")
        if mfa_required(user):
            # The admin has no other way in: the device is confirmed now and the URI goes to their authenticator.
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
            self.stdout.write("Add this to the administrator's authenticator app (shown once):")
            self.stdout.write(str(device.config_url))
