"""The `confide` command: Django's manage.py from any folder, plus `confide draft` which needs no database."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "draft":
        # Drafting is a plain library: it runs with no settings, no database and no network.
        from confide.drafting.cli import main as draft_main

        return draft_main(args[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0
