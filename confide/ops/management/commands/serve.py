"""`confide serve`: a production-grade server (gunicorn), never runserver."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Confide with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        # Two workers per core, plus one: the usual gunicorn guidance for I/O-bound Django views.
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            # Access logs carry paths (ids only) and status, never bodies or query strings with content. `%(h)s` is
            # the TCP peer: behind nginx, the proxy. gunicorn never rewrites REMOTE_ADDR from X-Forwarded-For (its
            # --forwarded-allow-ips trusts the proxy's scheme header only); Confide reads the client's address itself,
            # from X-Forwarded-For when the peer is in TRUSTED_PROXIES (confide/lib/http.py, docs/configuration.md).
            "--access-logformat",
            '%(h)s "%(m)s %(U)s" %(s)s %(L)ss',
        ]
        self.stdout.write(f"Confide on http://{options['host']}:{options['port']}/ ({options['workers']} workers)")
        self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
