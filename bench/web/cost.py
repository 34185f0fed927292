"""bench/web/cost.py: where one request's time goes, in process, without the HTTP server or the load generator.

Runs N requests of each target through Django's own WSGI handler, one after the other, and prints for each: the
statements it sends, the application's CPU time per request (`time.process_time`), and on PostgreSQL the database
server's CPU time per request (read from /proc for this process's server backends, so the server must run on this
machine). With --cprofile, the functions that cost most. This is what sets the ceiling of bench/web/run.py's
ratio on a machine whose cores both the application and the database share.

Usage (after bench/seed/run.py into the same data dir / database):
  CONFIDE_DATA_DIR=/tmp/confide-bench [DATABASE_URL=...] .venv/bin/python bench/web/cost.py [--requests 300]
      [--cprofile chart [--by-own-time] [--only confide/]] [--explain]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web.settings")
os.environ.setdefault("MFA_REQUIRED_ROLES", "")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def backend_cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the database server processes serving our connections (Linux /proc, clock ticks)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def explain(connection: Any, sent: list[tuple[str, Any]]) -> None:
    """EXPLAIN ANALYZE each SELECT one request sent: its plan's first lines and its planning and execution time."""
    with connection.cursor() as cursor:
        for sql, params in sent:
            if not sql.lstrip().upper().startswith("SELECT") or "pg_advisory" in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [str(row[0]) for row in cursor.fetchall()]
            times = " · ".join(line.strip() for line in plan if line.startswith(("Planning Time", "Execution Time")))
            print(f"  {sql[:100]}\n    {times}")
            for line in plan[:6]:
                print(f"      {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--username", default="clin000")
    parser.add_argument("--cprofile", default="", help="a target to profile with cProfile: noop or chart")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each statement (PostgreSQL)")
    parser.add_argument("--only", default="", help="list only functions whose file matches this, e.g. confide/")
    parser.add_argument("--by-own-time", action="store_true", help="sort the profile by each function's own time")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections
    from django.test import Client as TestClient
    from django.test import RequestFactory

    from confide.clients.models import Client
    from confide.people.models import User

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(username=args.username)
    client_ids = list(Client.objects.filter(primary_clinician=user).values_list("pk", flat=True)[:100])
    signed_in = TestClient()
    signed_in.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={signed_in.cookies[settings.SESSION_COOKIE_NAME].value}"
    handler = WSGIHandler()
    factory = RequestFactory()

    def get(path: str, headers: dict[str, str]) -> int:
        environ = factory.get(path, **headers).environ  # type: ignore[arg-type]
        status: list[str] = []

        def start_response(code: str, _headers: Any, _info: Any = None) -> Callable[[bytes], object]:
            status.append(code)
            return lambda _: None

        body = handler(environ, start_response)
        b"".join(body)
        body.close()  # request_finished: what gunicorn does after each response
        return int(status[0].split()[0])

    targets: dict[str, Callable[[int], int]] = {
        "noop": lambda i: get("/bench/noop", {}),
        "chart": lambda i: get(f"/clients/{client_ids[i % len(client_ids)]}/", {"HTTP_COOKIE": cookie}),
    }
    vendor = connections["default"].vendor
    print(f"database: {vendor}; {args.requests} requests each, in process, one at a time")
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} on {os.cpu_count()} CPUs\n")
    for name, action in targets.items():
        for i in range(20):  # warm: connections open, templates and URL resolvers loaded
            assert action(i) == 200, f"{name} answered {action(i)}"
        pids: list[int] = []
        if vendor == "postgresql":
            for alias in ("default", "vault"):
                with connections[alias].cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    pids.append(int(cursor.fetchone()[0]))
        counts = {"default": 0, "vault": 0}

        sent: list[tuple[str, Any]] = []

        def counter(alias: str, counts: dict[str, int] = counts, sent: list[Any] = sent) -> Callable[..., Any]:
            def count(execute: Callable[..., Any], sql: str, params: Any, *rest: Any) -> Any:
                counts[alias] += 1
                if alias == "default":
                    sent.append((sql, params))
                return execute(sql, params, *rest)

            return count

        # (Not CaptureQueriesContext: every request_started signal empties the connection's query log.)
        with (
            connections["default"].execute_wrapper(counter("default")),
            connections["vault"].execute_wrapper(counter("vault")),
        ):
            action(0)
        if args.explain and vendor == "postgresql":
            explain(connections["default"], sent)
        walls: list[float] = []
        server_before = backend_cpu_seconds(pids) if pids else 0.0
        cpu_before = time.process_time()
        for i in range(args.requests):
            start = time.perf_counter()
            action(i)
            walls.append((time.perf_counter() - start) * 1000)
        app_cpu = (time.process_time() - cpu_before) / args.requests * 1000
        server_cpu = (backend_cpu_seconds(pids) - server_before) / args.requests * 1000 if pids else 0.0
        walls.sort()
        print(
            f"{name:<6} statements {counts['default']} main + {counts['vault']} vault"
            f" · application CPU {app_cpu:.2f} ms"
            f" · database server CPU {server_cpu:.2f} ms"
            f" · wall median {statistics.median(walls):.2f} ms, p95 {walls[int(len(walls) * 0.95)]:.2f} ms"
        )
        if name == args.cprofile:
            sort = "tottime" if args.by_own_time else "cumulative"
            profiler = cProfile.Profile(time.process_time)  # CPU, not time spent waiting for the database
            profiler.enable()
            for i in range(args.requests):
                action(i)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(sort)
            stats.print_stats(*([args.only] if args.only else []), 60)
            print(out.getvalue())
    print(
        "\nWith the application and the database on the same cores, a CPU-bound server answers at most"
        " cores / (application CPU + database CPU) requests a second per target; the ratio of two targets'"
        " rates can be no better than the inverse ratio of their costs."
    )


if __name__ == "__main__":
    main()
