"""`confide retention due` and `confide retention destroy [--confirm]`: the official record's retention policy."""

from __future__ import annotations

import getpass
import json
from argparse import ArgumentParser
from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from confide.ops import retention


class Command(BaseCommand):
    help = "Charts due for destruction under the retention policy (due), and destroying them (destroy --confirm)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("due", "list the charts due for destruction (and those a legal hold keeps)"),
            ("destroy", "destroy the charts that are due; without --confirm, only say what would be destroyed"),
        ):
            command = sub.add_parser(name, help=text)
            command.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
            command.add_argument("--json", action="store_true", help="machine-readable output")
        sub.choices["destroy"].add_argument(
            "--confirm", action="store_true", help="really destroy (the default is a dry run)"
        )
        sub.choices["destroy"].add_argument(
            "--as", dest="as_user", metavar="USERNAME", help="the administrator on whose authority (recorded)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        due, held = retention.review(today=options["today"])
        if options["action"] == "due" or not options.get("confirm"):
            self._list(due, held, options, dry_run=options["action"] == "destroy")
            return
        actor = None
        if options["as_user"]:
            from confide.people.models import User

            actor = User.objects.filter(username=options["as_user"], role="admin", is_active=True).first()
            if actor is None:
                raise CommandError(f"{options['as_user']} is not an active administrator")
        operator = actor.get_username() if actor is not None else f"system account {getpass.getuser()}"
        tombstones = retention.destroy_due(
            today=options["today"], actor=actor, operator=operator, say=self.stdout.write
        )
        self.stdout.write(f"Destroyed {len(tombstones)} chart(s); {len(held)} kept under a legal hold.")

    def _list(
        self, due: list[retention.Due], held: list[retention.Due], options: dict[str, Any], *, dry_run: bool
    ) -> None:
        if options["json"]:
            rows = {"due": [asdict(d) for d in due], "legal_hold": [asdict(d) for d in held], "dry_run": dry_run}
            self.stdout.write(json.dumps(rows, default=str, indent=2))
            return
        verb = "would destroy" if dry_run else "due"
        for item in due:
            self.stdout.write(
                f"{verb}: client {item.client_id} ({item.initials}) last service {item.last_service} "
                f"due {item.due_on}: {item.why}"
            )
        for item in held:
            self.stdout.write(
                f"kept: client {item.client_id} ({item.initials}) last service {item.last_service} "
                f"due {item.due_on}: {item.why}"
            )
        if dry_run:
            self.stdout.write(f"Dry run: {len(due)} chart(s) would be destroyed. Nothing was changed; add --confirm.")
        else:
            self.stdout.write(f"{len(due)} chart(s) due, {len(held)} under a legal hold.")
