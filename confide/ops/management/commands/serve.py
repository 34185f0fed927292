"""`confide serve`: a production-grade server (gunicorn), never runserver."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def _seconds(text: str) -> int:
    """A whole number of seconds from 1 to an hour: 0 would cut every request in flight, as a crash does."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number of seconds, not {text!r}") from None
    if not 1 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"between 1 and 3600 seconds, not {value}")
    return value


class Command(BaseCommand):
    help = "Serve Confide with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        # Two workers per core, plus one: the usual gunicorn guidance for I/O-bound Django views.
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
        # On SIGTERM gunicorn stops accepting connections at once and lets each worker finish the request it is
        # serving for this many seconds before killing it: a clinician's signature in flight completes (docs/
        # operations.md, "Crash safety"). A service manager's stop timeout must be longer (systemd TimeoutStopSec).
        parser.add_argument(
            "--graceful-timeout",
            type=_seconds,
            default=30,
            metavar="SECONDS",
            help="on SIGTERM, how long requests in flight may take to finish (default 30)",
        )

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
            "--graceful-timeout",
            str(options["graceful_timeout"]),
            # gunicorn's control socket lives in the user's home and is shared by every gunicorn that user runs;
            # Confide does not use it, and two servers would unlink each other's.
            "--no-control-socket",
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
