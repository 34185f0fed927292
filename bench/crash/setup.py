"""A fresh practice for bench/crash/run.py: migrate both databases, make the vault's recovery key (in the data
directory, as the demo does), one clinician, one client and one session to write notes on. Prints one JSON line.

Run by bench/crash/run.py in its own process, with the environment that names the databases.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from confide.clients.models import Client  # noqa: E402
from confide.ops.vaultsetup import ensure_recovery_key  # noqa: E402
from confide.people.services import create_user  # noqa: E402
from confide.sessions.services import schedule_session  # noqa: E402

USERNAME = "crash_clinician"
PASSWORD = "crash-bench-password-2026"


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("migrate", database="vault", interactive=False, verbosity=0)
    ensure_recovery_key(stdout=sys.stderr)
    clinician = create_user(
        actor=None,
        username=USERNAME,
        password=PASSWORD,
        full_name="Casey Crash",
        role="clinician",
        credentials="LCSW",
        validate=False,
    )
    client = Client.objects.create(
        first_name="Robin", last_name="Reyes", date_of_birth=date(1991, 3, 14), primary_clinician=clinician
    )
    starts = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    session = schedule_session(
        actor=clinician,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=53),
        service="individual",
        setting="in_person",
    )
    print(json.dumps({"username": USERNAME, "password": PASSWORD, "session_id": session.pk}))


if __name__ == "__main__":
    main()
