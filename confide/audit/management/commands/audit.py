"""`confide audit verify` walks the chain (or, `--since-anchor`, only what was written since the anchor) and checks
it against the head checkpoint and heads kept off the server; `confide audit head` prints the head, and
`confide audit export-head` appends it, signed, to a file or sends it to syslog, for safekeeping off the server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from confide.audit import services
from confide.audit.anchor import AnchorUnreadable, Checkpoint, anchor_path, read_anchor, write_anchor
from confide.audit.chain import canonical_at
from confide.audit.heads import (
    ExportedHead,
    HeadsUnreadable,
    append_head,
    read_heads,
    send_to_syslog,
    syslog_address,
)


class Command(BaseCommand):
    help = "Check the audit log's hash chain (verify), print its head (head) or export it off the server."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,head,export-head}")
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
        verify.add_argument(
            "--since-anchor",
            action="store_true",
            help="walk only the entries from the anchor on (the nightly job); the whole log when there is no anchor",
        )
        verify.add_argument(
            "--heads", metavar="FILE", help="also require every head in FILE (as `audit export-head` wrote them)"
        )
        verify.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
        commands.add_parser("head", help="print the newest entry as SEQ:MAC")
        export = commands.add_parser("export-head", help="append the newest entry, signed, to a file or syslog")
        export.add_argument("--to", metavar="FILE", help="append one signed line to FILE (kept off the server)")
        export.add_argument("--syslog", action="store_true", help="send the signed line to syslog")
        export.add_argument(
            "--syslog-address",
            metavar="PATH|HOST:PORT",
            default="/dev/log",
            help="the syslog socket, or a host and UDP port (default /dev/log)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "head":
            self._head()
        elif options["subcommand"] == "export-head":
            self._export_head(options)
        else:
            self._verify(options)

    def _head(self) -> None:
        result = services.verify()
        if result.broken is not None:
            raise CommandError(f"the chain is broken, so it has no trustworthy head: {result.broken}")
        if result.head is None:
            raise CommandError("the audit log is empty")
        self.stdout.write(str(result.head))

    def _export_head(self, options: dict[str, Any]) -> None:
        if not options["to"] and not options["syslog"]:
            raise CommandError("say where to export the head: --to FILE, --syslog, or both")
        try:
            address = syslog_address(options["syslog_address"]) if options["syslog"] else None
        except HeadsUnreadable as error:
            raise CommandError(str(error)) from error
        result = services.verify_tail()
        if result.broken is not None:
            raise CommandError(f"the newest entry is broken, so it is not exported: {result.broken}")
        if result.head is None:
            raise CommandError("the audit log is empty")
        tail = result.head
        head = ExportedHead(tail.seq, tail.mac, tail.action, tail.at, canonical_at(timezone.now()))
        line = head.line(services.audit_key())
        sent = []
        try:
            if options["to"]:
                append_head(Path(options["to"]), line)
                sent.append(str(options["to"]))
            if address is not None:
                send_to_syslog(line, address)
                sent.append(f"syslog ({options['syslog_address']})")
        except OSError as error:
            raise CommandError(f"the head could not be exported: {error}") from error
        self.stdout.write(f"Exported head {tail} to {' and '.join(sent)}")

    def _verify(self, options: dict[str, Any]) -> None:
        path = anchor_path()
        reset = bool(options["reset_anchor"])
        since = bool(options["since_anchor"])
        if reset and since:
            raise CommandError("--reset-anchor walks the whole log; it does not go with --since-anchor")
        try:
            anchor = None if reset else read_anchor(path)
            against = Checkpoint.parse(options["against"]) if options["against"] else None
            heads = read_heads(Path(options["heads"]), services.audit_key()) if options["heads"] else []
        except (AnchorUnreadable, HeadsUnreadable) as error:
            raise CommandError(str(error)) from error
        kept = [checkpoint for checkpoint in (against, *(head.checkpoint() for head in heads)) if checkpoint]
        show = not options["no_progress"] and sys.stderr.isatty()
        incremental = since and anchor is not None
        if since and anchor is None:
            self.stdout.write("No anchor yet: walking the whole log.")
        start = anchor.seq if incremental and anchor is not None else 1
        total = services.count_entries(since=start) if show else None
        with tqdm(total=total, unit=" entries", unit_scale=True, file=sys.stderr, disable=not show) as bar:
            if incremental and anchor is not None:
                result = services.verify_since(anchor, progress=bar, checkpoints=kept)
            else:
                checkpoints = [checkpoint for checkpoint in (anchor, *kept) if checkpoint is not None]
                result = services.verify(progress=bar, checkpoints=checkpoints)
        broken = result.broken or (None if reset else services.check_anchor(result, anchor, str(path)))
        if broken is not None:
            self.stdout.write(f"BROKEN: {broken}")
            self.stdout.write(f"{result.checked} entries before it verified." if result.broken else _RESET_HINT)
            sys.exit(1)
        if incremental:
            self.stdout.write(
                f"OK: {result.read} entries verified since the anchor at #{start} (the log holds {result.checked})"
            )
        else:
            self.stdout.write(f"OK: {result.checked} entries verified")
        if heads:
            self.stdout.write(f"{len(heads)} exported heads matched.")
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
