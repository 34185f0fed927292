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
        parser.add_argument(
            "--recovery-key-out",
            default="confide-vault-recovery-key.txt",
            help="where `vault init` writes the PRIVATE recovery key if the practice has none yet (mode 0600)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Clinicians' vault keys are sealed to the practice recovery key, so it must exist before any clinician does.
        if not recovery_public_key_file().exists():
            call_command("vault", "init", "--out", options["recovery_key_out"], stdout=self.stdout)
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
