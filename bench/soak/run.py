"""bench/soak: a mixed workload at a fixed request rate for N minutes against `confide serve` (gunicorn), printing
throughput, p50/p95/p99 per operation, errors (goal: none) and the server's memory (the RSS of gunicorn's master and
workers, from /proc) over the run (goal: flat within 10 % from the end of the warm-up to the end).

Usage (PostgreSQL; seeds the database with bench/seed/run.py first when it is empty):
  CONFIDE_DATA_DIR=/tmp/confide-soak DATABASE_URL=postgres://…/soak VAULT_DATABASE_URL=postgres://…/soak_vault \\
    .venv/bin/python bench/soak/run.py [--minutes 30 --rate 20 --warmup 60]

The mix, per 100 operations (`MIX`): chart pages (the web page), session scheduling, progress-note drafts written and
signed, drafting from jotted points, psychotherapy notes (the vault), releases under the treatment basis (a PDF and
a FHIR bundle each), and sign-ins with their sign-outs, spread over the seeded clinicians. The load is open-loop:
each operation starts at its scheduled time (1/rate apart) whether or not earlier ones have finished, so a slow
server shows as latency, not as a lower offered rate; `behind` says how late the generator itself started requests.
At most --max-in-flight requests wait on the server at once: past that the server is over capacity, and the
operation is not sent but counted as `shed` (so an overloaded run ends on time instead of queueing without bound).
Sign-in and the chart page reuse bench/web/run.py's helpers.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.web import run as web  # noqa: E402  (api_token, web_session)

PASSWORD = "bench-password-0001"  # bench/seed/run.py's
MIX = {  # operation -> share of the requests. Sign-ins are rare in a working day but cost two Argon2 hashes each.
    "chart open": 35,
    "session schedule": 10,
    "note write": 15,
    "note sign": 13,
    "draft": 10,
    "vault write": 10,
    "release": 3,
    "sign-in": 2,
    "sign-out": 2,
}
SECTIONS = {
    "subjective": "Reports sleeping better; work stress persists but is more manageable this week.",
    "objective": "Engaged, cooperative; affect congruent; thought process linear and goal directed.",
    "assessment": "Gradual progress toward goal 1; coping skills used twice since the last session.",
    "plan": "Continue weekly CBT; thought record daily; review progress in two weeks.",
}
RISK = {
    "suicidal_ideation": {"level": "none", "plan": False, "intent": False, "means": False},
    "homicidal_ideation": {"level": "none", "plan": False, "intent": False, "means": False},
    "self_harm": {"level": "none", "plan": False, "intent": False, "means": False},
    "protective_factors": "Supportive partner; engaged in treatment.",
    "actions": "",
}
POINTS = (
    "- client reports sleep improved to six hours\n- practiced paced breathing in session, anxiety 6/10 to 3/10\n"
    "- discussed conflict with manager; identified two thinking traps\n- plan: thought record daily, next week"
)


@dataclass
class Clinician:
    user_id: int
    username: str
    token: str
    cookie: str
    clients: list[int]
    sessions: list[tuple[int, int]]  # (session id, client id), appended to as the run schedules more
    drafts: list[int] = field(default_factory=list)  # note ids written and not yet signed
    lock: threading.Lock = field(default_factory=threading.Lock)


def request(port: int, method: str, path: str, headers: dict[str, str], body: Any = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        payload = None if body is None else json.dumps(body)
        sent = {**headers, **({"Content-Type": "application/json"} if payload is not None else {})}
        conn.request(method, path, body=payload, headers=sent)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def server_rss_kib(master: int) -> int:
    """Resident memory of gunicorn's master and its workers (its children), in KiB, from /proc."""
    pids = [master]
    with contextlib.suppress(OSError):  # no children file (the master is gone, or the kernel lacks it): master only
        pids += [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue  # a worker that just exited
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Workload:
    def __init__(self, port: int, clinicians: list[Clinician], rng: random.Random) -> None:
        self.port, self.clinicians, self.rng = port, clinicians, rng
        self.spare_tokens: list[str] = []  # signed in by "sign-in", signed out by "sign-out"
        self.spare_lock = threading.Lock()

    def api(self, who: Clinician, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        return request(self.port, method, f"/api/v1{path}", {"Authorization": f"Bearer {who.token}"}, body)

    def run(self, op: str, who: Clinician) -> tuple[str, int]:
        """One operation; returns the operation actually done (a sign with no draft waiting writes one) and status."""
        if op == "note sign":
            with who.lock:
                note_id = who.drafts.pop(0) if who.drafts else None
            if note_id is None:
                op = "note write"
            else:
                return op, self.api(who, "POST", f"/progress-notes/{note_id}/sign")[0]
        if op == "chart open":
            path = f"/clients/{self.rng.choice(who.clients)}/"
            return op, request(self.port, "GET", path, {"Cookie": who.cookie})[0]
        if op == "session schedule":
            client_id = self.rng.choice(who.clients)
            starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=self.rng.randint(2, 240))
            status, answer = self.api(
                who,
                "POST",
                f"/clients/{client_id}/sessions",
                {
                    "clinician_id": who.user_id,
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + timedelta(minutes=53)).isoformat(),
                    "service": "individual",
                    "setting": "in_person",
                },
            )
            if status == 201:
                with who.lock:
                    who.sessions.append((int(json.loads(answer)["id"]), client_id))
            return op, status
        session_id, client_id = self.rng.choice(who.sessions[-200:])
        if op == "note write":
            body = {"format": "SOAP", "sections": SECTIONS, "risk": RISK, "interventions": ["thought record"]}
            status, answer = self.api(who, "POST", f"/sessions/{session_id}/progress-notes", body)
            if status == 201:
                with who.lock:
                    who.drafts.append(int(json.loads(answer)["id"]))
            return op, status
        if op == "draft":
            body = {"transcript": POINTS, "transcript_format": "points", "note_format": "SOAP"}
            return op, self.api(who, "POST", f"/sessions/{session_id}/drafts", body)[0]
        if op == "vault write":
            text = "Countertransference: noticed impatience when the client minimized; explore in supervision."
            return op, self.api(who, "POST", f"/sessions/{session_id}/psychotherapy-notes", {"body": text})[0]
        if op == "release":
            body = {"recipient": {"name": "Dr. Pat Outside, primary care"}, "basis": "treatment"}
            return op, self.api(who, "POST", f"/clients/{client_id}/disclosures", body)[0]
        if op == "sign-in":
            status, answer = request(
                self.port, "POST", "/api/v1/auth/token", {}, {"username": who.username, "password": PASSWORD}
            )
            if status == 201:
                with self.spare_lock:
                    self.spare_tokens.append(str(json.loads(answer)["token"]))
            return op, status
        if op == "sign-out":
            with self.spare_lock:
                token = self.spare_tokens.pop(0) if self.spare_tokens else None
            if token is None:
                return self.run("sign-in", who)
            return op, request(self.port, "DELETE", "/api/v1/auth/token", {"Authorization": f"Bearer {token}"})[0]
        raise ValueError(op)


EXPECTED = {"chart open": 200, "note sign": 200, "sign-out": 204}  # every other operation answers 201
SHED = -1  # the status of a request never sent: --max-in-flight requests were already waiting on the server


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rate", type=float, default=20, help="requests per second, offered at fixed intervals")
    parser.add_argument("--warmup", type=float, default=60, help="seconds of the same load before measuring")
    parser.add_argument("--clinicians", type=int, default=8, help="seeded clinicians the load is spread over")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument(
        "--max-in-flight", type=int, default=32, help="requests waiting on the server at once; past it, shed"
    )
    parser.add_argument("--seed-clients", type=int, default=500)
    parser.add_argument("--seed-notes", type=int, default=10_000)
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MFA_REQUIRED_ROLES": "",
        "LOG_LEVEL": "WARNING",
    }
    seeded = subprocess.run(
        [
            *(sys.executable, str(ROOT / "bench/seed/run.py"), "--clients", str(args.seed_clients)),
            *("--notes", str(args.seed_notes), "--clinicians", str(max(args.clinicians, 10))),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if seeded.returncode != 0:
        sys.exit(seeded.stderr[-2000:])
    print(seeded.stdout.strip().splitlines()[0])
    os.environ.update({"DJANGO_SETTINGS_MODULE": "config.settings", "MFA_REQUIRED_ROLES": ""})
    import django

    django.setup()
    from django.db import connection

    from confide.clients.models import Client
    from confide.people.models import User
    from confide.sessions.models import TherapySession

    port = free_port()
    web.PORT = port  # bench/web's sign-in helpers talk to this server
    server_log = Path(tempfile.mkstemp(prefix="confide-soak-server-", suffix=".log")[1])
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "confide"), "serve", "--port", str(port), "--workers", str(args.workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the access log: a line per request
        stderr=server_log.open("w"),  # gunicorn's and Django's errors, counted below
        start_new_session=True,
    )
    samples: list[tuple[float, int]] = []
    try:
        for _ in range(300):
            try:
                request(port, "GET", "/sign-in/", {})
                break
            except OSError:
                time.sleep(0.2)
        rss_ready = server_rss_kib(server.pid)
        rng = random.Random(30)
        clinicians = []
        users = list(User.objects.filter(role="clinician").order_by("username")[: args.clinicians])
        for user in users:
            clients = list(Client.objects.filter(primary_clinician=user).values_list("pk", flat=True)[:60])
            sessions = list(
                TherapySession.objects.filter(clinician=user, client_id__in=clients)
                .order_by("-starts_at")
                .values_list("pk", "client_id")[:200]
            )
            token = web.api_token(user.username, PASSWORD)
            cookie = web.web_session(user.username, PASSWORD)
            clinicians.append(Clinician(user.pk, user.username, token, cookie, clients, sessions))
        workload = Workload(port, clinicians, rng)
        ops = list(MIX)
        weights = [MIX[op] for op in ops]
        results: list[tuple[str, float, float, int, float]] = []  # op, started, seconds, status, behind
        results_lock = threading.Lock()

        slots = threading.BoundedSemaphore(args.max_in_flight)

        def one(op: str, who: Clinician, due: float) -> None:
            started = time.monotonic()
            try:
                done, status = workload.run(op, who)
            except Exception as error:  # a refused connection or a timeout: an error, reported
                done, status = op, 0
                print(f"{op}: {type(error).__name__}: {error}", file=sys.stderr)
            finally:
                slots.release()
            with results_lock:
                results.append((done, started, time.monotonic() - started, status, started - due))

        total_seconds = args.warmup + args.minutes * 60
        interval = 1 / args.rate
        begin = time.monotonic()
        next_sample = begin
        with ThreadPoolExecutor(max_workers=args.max_in_flight) as pool:
            i = 0
            while (due := begin + i * interval) < begin + total_seconds:
                now = time.monotonic()
                if now >= next_sample:
                    samples.append((now - begin, server_rss_kib(server.pid)))
                    next_sample += 10
                if due > now:
                    time.sleep(due - now)
                op, who = rng.choices(ops, weights)[0], rng.choice(clinicians)
                if slots.acquire(blocking=False):
                    pool.submit(one, op, who, due)
                else:  # every slot waits on the server: not sent, counted as shed (the server is over capacity)
                    with results_lock:
                        results.append((op, due, 0.0, SHED, 0.0))
                i += 1
        end = time.monotonic()
        samples.append((end - begin, server_rss_kib(server.pid)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    measured_from = begin + args.warmup
    measured = [r for r in results if r[1] >= measured_from]
    span = end - measured_from
    by_op: dict[str, list[tuple[float, int]]] = defaultdict(list)
    shed: dict[str, int] = defaultdict(int)
    for op, _, seconds, status, _ in measured:
        if status == SHED:
            shed[op] += 1
        else:
            by_op[op].append((seconds, status))
    print(
        f"\n{args.minutes:g} min measured after a {args.warmup:g} s warm-up; offered {args.rate:g} req/s; "
        f"database {connection.vendor}; {args.workers} gunicorn workers; {len(clinicians)} clinicians"
    )
    print(
        f"{'operation':<18} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'shed':>6}"
    )
    errors_total = 0
    for op in ops:
        rows = by_op.get(op, [])
        latencies = [s * 1000 for s, _ in rows]
        errors = sum(1 for _, status in rows if status != EXPECTED.get(op, 201))
        errors_total += errors
        print(
            f"{op:<18} {len(rows):>7} {len(rows) / span:>7.2f} {percentile(latencies, 0.50):>8.1f} "
            f"{percentile(latencies, 0.95):>8.1f} {percentile(latencies, 0.99):>8.1f} {errors:>7} {shed[op]:>6}"
        )
    sent = [r for r in measured if r[3] != SHED]
    everything = [s * 1000 for _, _, s, _, _ in sent]
    print(
        f"{'all':<18} {len(sent):>7} {len(sent) / span:>7.2f} {percentile(everything, 0.50):>8.1f} "
        f"{percentile(everything, 0.95):>8.1f} {percentile(everything, 0.99):>8.1f} {errors_total:>7} "
        f"{sum(shed.values()):>6}"
    )
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for op, _, _, status, _ in sent:
        if status != EXPECTED.get(op, 201):
            statuses[op][status] += 1
    for op, counts in statuses.items():
        print(f"  {op} errors by status: {dict(counts)}")
    behind = [r[4] * 1000 for r in sent]
    print(f"generator behind schedule: p99 {percentile(behind, 0.99):.1f} ms, max {max(behind, default=0):.1f} ms")
    # One sample swings by a tenth as requests allocate and free (a release's PDF), and a leak raises the floor:
    # compare the lowest sample in the first tenth of the measured window (at least 3 samples) with the last tenth's.
    window = [kib for at, kib in samples if at >= args.warmup] or [samples[-1][1]]
    k = max(3, len(window) // 10)
    after_warmup, last = min(window[:k]), min(window[-k:])
    change = 100 * (last - after_warmup) / after_warmup
    print(
        f"server RSS (master + {args.workers} workers): {rss_ready / 1024:.0f} MiB when ready; floor "
        f"{after_warmup / 1024:.0f} MiB after the warm-up, {last / 1024:.0f} MiB at the end ({change:+.1f} %; goal "
        f"within 10 %); highest {max(window) / 1024:.0f} MiB"
    )
    print("RSS every 30 s (MiB): " + " ".join(f"{kib / 1024:.0f}" for _, kib in samples[::3]))
    logged = server_log.read_text()
    print(f"server errors logged: {logged.count('Traceback')} tracebacks ({server_log})")
    if "Traceback" in logged:
        first = logged[logged.index("Traceback") :].splitlines()
        print("first traceback, last lines:\n  " + "\n  ".join(first[:60][-12:]))


if __name__ == "__main__":
    main()
