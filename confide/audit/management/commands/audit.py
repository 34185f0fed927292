"""`confide audit verify` walks the chain and checks it against the head checkpoint; `confide audit head` prints
the head for safekeeping off the server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from confide.audit import services
from confide.audit.anchor import AnchorUnreadable, Checkpoint, anchor_path, read_anchor, write_anchor


class Command(BaseCommand):
    help = "Check the audit log's hash chain (verify) or print its head checkpoint (head)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,head}")
        verify = commands.add_parser("verify", help="walk the whole chain; exit 1 naming the first broken entry")
        verify.add_argument(
            "--against",
            metavar="SEQ:MAC",
            help="also require this checkpoint (as printed by `audit head`, kept off the server)",
        )
        verify.add_argument(
            "--keep-anchor", action="store_true", help="do not advance the anchor file after a clean walk"
        )
        verify.add_argument(
            "--reset-anchor",
            action="store_true",
            help="start a new anchor although the log says one should exist (after restoring a backup or moving "
            "the anchor); recorded in the log",
        )
        verify.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
        commands.add_parser("head", help="print the newest entry as SEQ:MAC")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "head":
            self._head()
        else:
            self._verify(options)

    def _head(self) -> None:
        result = services.verify()
        if result.broken is not None:
            raise CommandError(f"the chain is broken, so it has no trustworthy head: {result.broken}")
        if result.head is None:
            raise CommandError("the audit log is empty")
        self.stdout.write(str(result.head))

    def _verify(self, options: dict[str, Any]) -> None:
        path = anchor_path()
        reset = bool(options["reset_anchor"])
        try:
            anchor = None if reset else read_anchor(path)
            against = Checkpoint.parse(options["against"]) if options["against"] else None
        except AnchorUnreadable as error:
            raise CommandError(str(error)) from error
        checkpoints = [checkpoint for checkpoint in (anchor, against) if checkpoint is not None]
        show = not options["no_progress"] and sys.stderr.isatty()
        total = services.count_entries() if show else None
        with tqdm(total=total, unit=" entries", unit_scale=True, file=sys.stderr, disable=not show) as bar:
            result = services.verify(progress=bar, checkpoints=checkpoints)
        broken = result.broken or (None if reset else services.check_anchor(result, anchor, str(path)))
        if broken is not None:
            self.stdout.write(f"BROKEN: {broken}")
            self.stdout.write(f"{result.checked} entries before it verified." if result.broken else _RESET_HINT)
            sys.exit(1)
        self.stdout.write(f"OK: {result.checked} entries verified")
        if _on_the_data_volume(path):
            self.stdout.write(f"Note: the anchor {path} is in the data directory; keep it off the data volume.")
        if result.head is None:
            return
        if options["keep_anchor"]:
            self.stdout.write(f"Head: {result.head} (anchor left as it was)")
            return
        head = services.anchor_head(result.head, str(path), reset=reset)
        write_anchor(head, path)
        self.stdout.write(f"Head: {head}, anchored in {path}")


_RESET_HINT = (
    "If a backup was restored or the anchor moved, check the log against a head kept off the server "
    "(`audit verify --against SEQ:MAC`), then start a new anchor with `audit verify --reset-anchor`."
)


def _on_the_data_volume(path: Path) -> bool:
    """In production, an anchor beside the database is deleted with it by whoever can delete the database."""
    data_dir = Path(settings.DATA_DIR).resolve()
    return bool(settings.PRODUCTION) and path.resolve().is_relative_to(data_dir)
