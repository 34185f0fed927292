"""bench/crash: SIGKILL the real server at random moments while clients sign notes, add addenda and read them back
through the JSON API; after each kill, restart on the same databases and check every acknowledged write.

Usage:
  .venv/bin/python bench/crash/run.py [--kills 40]                       # SQLite, in a temporary folder
  .venv/bin/python bench/crash/run.py --kills 40 --postgres "$PG_URL"     # two new databases on that server

`--postgres` takes a server URL without a database (`source scripts/pg.sh; pg_start` sets $PG_URL); the run makes
two fresh databases there and drops them afterwards (`--keep` keeps them, and the data folder). Prints the kills,
the acknowledged writes, the lost ones (goal 0), half-signed notes (goal 0), `confide audit verify`, elapsed time.
Exits 1 unless every check passed. The driver is bench/crash/driver.py (shared with tests/ops/test_crash_safety.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.crash.driver import ROOT, base_env, crash_run


def _postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4, help="client threads writing at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server URL (no database); default SQLite")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and databases")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="confide-crash-"))
    extra = {"CONFIDE_DATA_DIR": str(data_dir)}
    names: list[str] = []
    if args.postgres:
        base = f"confide_crash_{uuid.uuid4().hex[:10]}"
        names = [base, f"{base}_vault"]
        for name in names:
            _postgres(args.postgres, f'CREATE DATABASE "{name}"')
        extra["DATABASE_URL"] = f"{args.postgres.rstrip('/')}/{names[0]}"
        extra["VAULT_DATABASE_URL"] = f"{args.postgres.rstrip('/')}/{names[1]}"
    else:
        for name in ("DATABASE_URL", "VAULT_DATABASE_URL"):
            os.environ.pop(name, None)  # SQLite files in the data folder
    env = base_env(extra)
    try:
        made = subprocess.run(
            [sys.executable, "-m", "bench.crash.setup"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if made.returncode != 0:
            sys.exit(f"bench/crash/setup.py failed:\n{made.stderr[-3000:]}")
        practice = json.loads(made.stdout.strip().splitlines()[-1])
        report = crash_run(
            env,
            username=practice["username"],
            password=practice["password"],
            session_id=practice["session_id"],
            kills=args.kills,
            clients=args.clients,
            workers=args.workers,
            seed=args.seed,
            log=data_dir / "server.log",
            progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            for name in names:
                _postgres(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"database: {database}; {args.workers} gunicorn workers; {args.clients} client threads; seed {args.seed}")
    for line in report.lines():
        if line:
            print(line)
    print("RESULT: " + ("PASS" if report.ok else "FAIL"))
    if args.keep:
        print(f"data folder: {data_dir}" + (f"; databases {', '.join(names)}" if names else ""))
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
