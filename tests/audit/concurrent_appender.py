"""Run by test_concurrent_appends_keep_one_tail.py in a child process: migrate a fresh practice database, then let
several processes (as gunicorn workers would) append to the audit chain at once, and report what verify finds.

Usage: python -m tests.audit.concurrent_appender PROCESSES EACH   (settings and database from the environment)
"""

from __future__ import annotations

import json
import multiprocessing
import sys


def _append(worker: int, each: int, start: multiprocessing.synchronize.Barrier) -> None:
    import django

    django.setup()
    from confide.audit.services import record

    start.wait(timeout=120)  # every worker set up and connected before any appends
    for i in range(each):
        record("confide.session.listed", actor=None, client_id=worker, detail={"count": i})


def main() -> None:
    processes, each = int(sys.argv[1]), int(sys.argv[2])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("migrate", database="vault", verbosity=0)
    connections.close_all()
    context = multiprocessing.get_context("spawn")  # each worker starts clean, with its own connection
    start = context.Barrier(processes)
    workers = [context.Process(target=_append, args=(n, each, start)) for n in range(processes)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=300)

    from confide.audit.models import AuditEntry
    from confide.audit.services import verify

    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    viewed = AuditEntry.objects.filter(action="confide.session.listed")
    clients = [int(c) for c in viewed.values_list("client_id", flat=True) if c is not None]
    result = verify()
    print(
        json.dumps(
            {
                "exit_codes": [p.exitcode for p in workers],
                "entries": len(seqs),
                "contiguous": seqs == list(range(1, len(seqs) + 1)),
                "per_worker": [clients.count(n) for n in range(processes)],
                "verified": result.ok,
                "vendor": connections["default"].vendor,
            }
        )
    )


if __name__ == "__main__":
    main()
