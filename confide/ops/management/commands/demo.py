"""`confide demo`: migrate, seed the demo practice (once), print the sign-ins, and serve on 127.0.0.1:8000."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from confide.ops.seed import DEMO_PASSWORD, DEMO_TRANSCRIPT, PEOPLE, seed_demo_practice


class Command(BaseCommand):
    help = "Set up and serve the demo practice (SQLite, MFA relaxed, a banner on every page)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="seed only")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("migrate", database="vault", interactive=False, verbosity=0)
        from confide.ops.vaultsetup import ensure_recovery_key

        note = ensure_recovery_key(stdout=self.stdout)
        result = seed_demo_practice(show_progress=True)
        self.stdout.write("Demo practice " + ("created." if result.created else "already there; nothing added."))
        if note:
            self.stdout.write(note)
        transcript = settings.DATA_DIR / "demo-session.vtt"
        transcript.write_text(DEMO_TRANSCRIPT)
        self.stdout.write(f"A session transcript to draft from: {transcript} (try `confide draft {transcript}`).")
        port = options["port"]
        self.stdout.write(f"\nSign in at http://127.0.0.1:{port}/ with any of (password for all: {DEMO_PASSWORD}):")
        for username, full_name, role, credentials, supervisor in PEOPLE:
            extra = f", supervised by {supervisor}" if supervisor else ""
            self.stdout.write(f"  {username:<8} {full_name} ({role}{', ' + credentials if credentials else ''}{extra})")
        self.stdout.write("Demo mode relaxes MFA and says so on every page. Never put real client data in it.\n")
        if options["no_serve"]:
            return
        os.environ["CONFIDE_DEMO"] = "1"
        call_command("serve", host="127.0.0.1", port=options["port"], workers=3)
