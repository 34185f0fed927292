"""`confide summaries due [--as USERNAME] [--json]`: the periodic progress summaries due, from each client's schedule.

With `--as`, one clinician's caseload (as `GET /api/v1/summaries/due` answers them); without it, every active
clinician's, for a practice manager's weekly check or a cron job that mails reminders.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from confide.people.models import Role, User
from confide.summaries.services import due_for


class Command(BaseCommand):
    help = "List the periodic progress summaries that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="the summaries due, soonest first")
        due.add_argument("--as", dest="username", help="one clinician's caseload (default: every clinician's)")
        due.add_argument("--json", action="store_true", help="one JSON list instead of lines")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["username"]:
            clinicians = list(User.objects.filter(username=options["username"], is_active=True, role=Role.CLINICIAN))
            if not clinicians:
                raise CommandError(f"no active clinician {options['username']!r}")
        else:
            clinicians = list(User.objects.filter(is_active=True, role=Role.CLINICIAN).order_by("username"))
        today = timezone.localdate()
        rows = [(c, d) for c in clinicians for d in due_for(c, today)]
        if options["json"]:
            out = [
                {
                    "clinician": c.username,
                    "client_id": d.client_id,
                    "client_name": d.client_name,
                    "period_start": d.period_start.isoformat(),
                    "period_end": d.period_end.isoformat(),
                    "due_on": d.due_on.isoformat(),
                    "overdue": d.overdue,
                    "summary_id": d.summary_id,
                }
                for c, d in rows
            ]
            self.stdout.write(json.dumps(out, indent=2))
            return
        if not rows:
            self.stdout.write("No summaries are due.")
            return
        for c, d in rows:
            state = "OVERDUE" if d.overdue else "due"
            started = f" (draft {d.summary_id})" if d.summary_id else ""
            self.stdout.write(
                f"{state} {d.due_on.isoformat()}  {c.username}  client {d.client_id} {d.client_name}: "
                f"{d.period_start.isoformat()} to {d.period_end.isoformat()}{started}"
            )
