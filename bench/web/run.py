"""bench/web: p95 latency and requests/s of the chart page and the note API, beside a no-op Django view served by
the same gunicorn in the same run (the ratio is what the spec's goal is about: app rate >= 1/3 of no-op rate).

Usage (after bench/seed/run.py into the same data dir / database):
  CONFIDE_DATA_DIR=/tmp/confide-bench [DATABASE_URL=...] .venv/bin/python bench/web/run.py [--seconds 15]
      [--targets noop,api,sql,chart] [--repeat N]

`--repeat` measures the targets N times in turn against the same server and prints each round (with the load
average at its start) and the spread; the ratio is always to the same round's no-op.

Load comes from `wrk` (Debian package) on loopback, 8 connections, 2 threads; the server is gunicorn with
2 x cores + 1 sync workers. Each target's p95 comes from wrk's own latency histogram (a Lua `done` hook).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORT = 8765

REPORT_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.1f %d\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def lua_for(paths: list[str], headers: dict[str, str]) -> str:
    items = ",".join(json.dumps(p) for p in paths)
    header_lines = "".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n" for k, v in headers.items())
    return (
        header_lines
        + f"local paths = {{{items}}}\nlocal i = 0\n"
        + "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
        + REPORT_LUA
    )


def wrk(name: str, paths: list[str], headers: dict[str, str], seconds: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_for(paths, headers))
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "-s", script.name, f"http://127.0.0.1:{PORT}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)", out)
    assert match, out
    requests, duration_us, p50, p95, errors = match.groups()
    rate = int(requests) / (int(duration_us) / 1e6)
    return {"name": name, "rps": rate, "p50": float(p50), "p95": float(p95), "errors": int(errors)}  # type: ignore[dict-item]


def api_token(username: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request(
        "POST",
        "/api/v1/auth/token",
        body=json.dumps({"username": username, "password": password}),
        headers={"Content-Type": "application/json"},
    )
    response = conn.getresponse()
    body = json.loads(response.read())
    assert response.status == 201, body
    return str(body["token"])


def web_session(username: str, password: str) -> str:
    """Sign in through the real sign-in form; return the Cookie header."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request("GET", "/sign-in/")
    response = conn.getresponse()
    page = response.read().decode()
    cookies = {
        c.split("=", 1)[0]: c.split("=", 1)[1].split(";")[0] for c in response.headers.get_all("Set-Cookie") or []
    }
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "username": username, "password": password})
    conn.request(
        "POST",
        "/sign-in/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"http://127.0.0.1:{PORT}/sign-in/",
        },
    )
    response = conn.getresponse()
    response.read()
    for c in response.headers.get_all("Set-Cookie") or []:
        key, value = c.split("=", 1)
        cookies[key] = value.split(";")[0]
    assert "sessionid" in cookies, f"sign-in failed: {response.status}"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--username", default="clin000")
    parser.add_argument("--password", default="bench-password-0001")
    parser.add_argument(
        "--targets",
        default="noop,api,sql,chart",
        help="which to measure, in order (noop first for the ratio): noop, api, sql, chart",
    )
    parser.add_argument("--repeat", type=int, default=1, help="measure the targets this many times, in turn")
    args = parser.parse_args()
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = set(targets) - {"noop", "api", "sql", "chart"}
    if unknown or not targets:
        sys.exit(f"--targets: choose from noop, api, sql, chart (not {', '.join(sorted(unknown)) or 'nothing'})")
    rounds: list[tuple[int, tuple[float, float, float], list[dict[str, float]]]] = []
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.web.settings",
        "MFA_REQUIRED_ROLES": "",
        "LOG_LEVEL": "WARNING",
    }
    sys.path.insert(0, str(ROOT))
    os.environ.update({"DJANGO_SETTINGS_MODULE": "bench.web.settings", "MFA_REQUIRED_ROLES": ""})
    import django

    django.setup()
    from confide.clients.models import Client
    from confide.notes.models import ProgressNote
    from confide.people.models import User

    clinician = User.objects.get(username=args.username)
    client_ids = list(Client.objects.filter(primary_clinician=clinician).values_list("pk", flat=True)[:100])
    note_ids = list(ProgressNote.objects.filter(client_id__in=client_ids).values_list("pk", flat=True)[:400])
    workers = 2 * (os.cpu_count() or 1) + 1
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/bench/noop")
                break
            except OSError:
                time.sleep(0.2)
        token = api_token(args.username, args.password)
        bearer = {"Authorization": f"Bearer {token}"}
        cookie = ""
        if "chart" in targets:
            try:
                cookie = web_session(args.username, args.password)
            except AssertionError as error:
                print(f"(chart page not measured: {error})", file=sys.stderr)
                targets.remove("chart")
        plans = {
            "noop": ("no-op Django view", ["/bench/noop"], {}),
            "api": ("note API GET /progress-notes/{id}", [f"/api/v1/progress-notes/{n}" for n in note_ids], bearer),
            "sql": ("reference: the note read in plain SQL", [f"/bench/sql-note/{n}" for n in note_ids], bearer),
            "chart": ("chart page /clients/{id}/", [f"/clients/{c}/" for c in client_ids], {"Cookie": cookie}),
        }
        for round_number in range(1, args.repeat + 1):
            load = os.getloadavg()
            results = [wrk(*plans[name], args.seconds) for name in targets]
            rounds.append((round_number, load, results))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    header = f"{'target':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>6} {'errors':>6}"
    for round_number, load, results in rounds:
        noop_rate = results[0]["rps"] if targets[0] == "noop" else float("nan")
        print(f"\nround {round_number} (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at its start)")
        print(header)
        for row in results:
            print(
                f"{row['name']:<40} {row['rps']:>8.0f} {row['p50']:>8.1f} {row['p95']:>8.1f} "
                f"{row['rps'] / noop_rate:>6.2f} {row['errors']:>6}"
            )
    if len(rounds) > 1:
        print("\nspread over the rounds (min-max): req/s, p95 ms, ratio to the same round's no-op")
        for index, name in enumerate(targets):
            rows = [results[index] for _, _, results in rounds]
            ratios = [
                results[index]["rps"] / results[0]["rps"] if targets[0] == "noop" else float("nan")
                for _, _, results in rounds
            ]
            print(
                f"{plans[name][0]:<40} {min(r['rps'] for r in rows):.0f}-{max(r['rps'] for r in rows):.0f} req/s, "
                f"p95 {min(r['p95'] for r in rows):.1f}-{max(r['p95'] for r in rows):.1f} ms, "
                f"ratio {min(ratios):.2f}-{max(ratios):.2f}"
            )
    from django.db import connection

    print(
        f"database: {connection.vendor}; {workers} gunicorn workers; wrk -t2 -c8 -d{args.seconds}s;"
        f" load average at the end {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
