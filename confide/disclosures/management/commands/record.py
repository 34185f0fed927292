"""`confide record export CLIENT_ID --format pdf|fhir --out PATH --as USERNAME`: the client's official record.

The designated record set (45 CFR 164.524) as a PDF or a FHIR R4 Bundle, never a psychotherapy note. The export is
made on behalf of a clinician who may see the chart (`--as`): the access policy applies as on the web, and the
export is audited under their name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from confide.clients.models import Client
from confide.disclosures.services import client_record
from confide.lib.errors import ConfideError
from confide.people.models import User


class Command(BaseCommand):
    help = "Export a client's official record (never a psychotherapy note) as PDF or FHIR R4 JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the client's record to a file")
        export.add_argument("client_id", type=int)
        export.add_argument("--format", choices=("pdf", "fhir"), default="pdf")
        export.add_argument("--out", required=True, help="the file to write (mode 0600; refused if it exists)")
        export.add_argument("--as", dest="username", required=True, help="the clinician the export is made for")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {options['username']!r}")
        client = Client.objects.filter(pk=options["client_id"]).first()
        if client is None:
            raise CommandError(f"no client {options['client_id']}")
        out = Path(options["out"])
        if out.exists():
            raise CommandError(f"{out} exists: choose a new file")
        try:
            data = client_record(actor=actor, client=client, fmt=options["format"])
        except ConfideError as error:
            raise CommandError(f"{options['username']} may not export this record: {error.detail}") from None
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        self.stdout.write(f"wrote {len(data):,} bytes ({options['format']}) to {out}")
