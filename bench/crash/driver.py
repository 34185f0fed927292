"""The crash driver: kill the real server (`confide serve`, gunicorn) with SIGKILL while clients write through the
JSON API, restart it on the same databases, and check that every acknowledged write is there, intact.

Shared by `bench/crash/run.py` (the full proof, 40+ kills) and `tests/ops/test_crash_safety.py` (a short run).
This module never imports Django: the server, the check (`bench/crash/check.py`) and the set-up
(`bench/crash/setup.py`) each run in their own process with the environment given here, as they would in
production, so nothing the driver holds in memory can stand in for what is on disk.

What a client counts as acknowledged: a 2xx answer read in full. A request cut off by the kill is not acknowledged,
whether or not its transaction committed; the check requires only that it committed whole or not at all.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[2]
# Request failures a kill causes on the client's side: refused, reset, or an answer cut off.
CUT_OFF = (OSError, http.client.HTTPException)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_url(db: dict[str, Any], name: str | None = None) -> str:
    """A URL for database `name` (default: the one `db` names) with the server, credentials and options of `db`,
    a Django DATABASES entry."""
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = str(db.get("HOST") or ""), str(db.get("PORT") or "")
    options = {k: str(v) for k, v in (db.get("OPTIONS") or {}).items() if isinstance(v, str | int)}
    if host.startswith("/"):  # a socket directory goes in the query, as libpq spells it
        options["host"], host = host, ""
    netloc = f"{credentials}{host}{':' + port if port and host else ''}"
    return f"postgres://{netloc}/{name or db['NAME']}" + (f"?{urlencode(options)}" if options else "")


def base_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment of every child: this one's, development settings, no second factor (the clients sign in
    with a password), quiet logs; then `extra` (the databases, data directory and secrets)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CONFIDE_ENV": "development",
            "MFA_REQUIRED_ROLES": "",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


# --- HTTP ------------------------------------------------------------------------------------------------------------


def call(
    port: int, method: str, path: str, body: Any = None, *, token: str = "", timeout: float = 30
) -> tuple[int, Any]:
    """One request on a new connection (gunicorn's sync workers close it after each answer); (status, the JSON body,
    or None for another kind). Raises one of CUT_OFF when the server is gone or the answer does not arrive whole."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    is_json = response.headers.get("Content-Type", "").startswith("application/json")
    return response.status, json.loads(raw) if raw and is_json else None


def sign_in(port: int, username: str, password: str) -> str:
    status, answer = call(port, "POST", "/api/v1/auth/token", {"username": username, "password": password})
    if status != 201:
        raise RuntimeError(f"sign-in answered {status}: {answer}")
    return str(answer["token"])


# --- The server ------------------------------------------------------------------------------------------------------


@dataclass
class Server:
    """`confide serve` in its own process group, so a kill reaches the master and every worker at once."""

    env: dict[str, str]
    port: int = field(default_factory=free_port)
    workers: int = 2
    graceful_timeout: int | None = None
    log: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        confide = Path(sys.executable).with_name("confide")
        program = [str(confide)] if confide.exists() else [sys.executable, str(ROOT / "manage.py")]
        argv = [*program, "serve", "--port", str(self.port), "--workers", str(self.workers)]
        if self.graceful_timeout is not None:
            argv += ["--graceful-timeout", str(self.graceful_timeout)]
        return argv

    def start(self, timeout: float = 90) -> float:
        """Start and wait until it answers; the seconds that took."""
        started = time.perf_counter()
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 - the child owns it
        try:
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        finally:
            if self.log:
                out.close()  # type: ignore[union-attr]
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode} while starting{self._tail()}")
            try:
                call(self.port, "GET", "/api/v1/auth/token", timeout=5)  # 405, from a worker: it serves
                return time.perf_counter() - started
            except CUT_OFF:
                if time.perf_counter() - started > timeout:
                    raise RuntimeError(f"the server did not answer within {timeout} s{self._tail()}") from None
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL to the master and all workers at the same instant: no handler runs, nothing is flushed."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def terminate(self) -> None:
        """SIGTERM to the master only, as systemd does with KillMode=mixed."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Stop whatever is left (the end of a run, or a failed test): SIGTERM, then SIGKILL after 15 s."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):  # a worker outliving its master would hold the port
            os.killpg(self.process.pid, signal.SIGKILL)

    def _tail(self) -> str:
        if not self.log or not self.log.exists():
            return ""
        return ":\n" + self.log.read_text(errors="replace")[-3000:]


# --- The clients -----------------------------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the clients were told: the acknowledged writes, and how many requests got no answer or a refusal."""

    acks: list[dict[str, Any]] = field(default_factory=list)
    cut_off: int = 0
    refused: Counter[int] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ack(self, kind: str, **what: Any) -> None:
        with self.lock:
            self.acks.append({"kind": kind, **what})

    def refuse(self, status: int) -> None:
        with self.lock:
            self.refused[status] += 1


def note_body(text: str) -> dict[str, Any]:
    return {
        "format": "SOAP",
        "sections": {
            "subjective": f"Reports a steadier week. ({text})",
            "objective": "Calm, good eye contact; affect congruent.",
            "assessment": "Improving; progress toward goal 1.",
            "plan": "Continue weekly CBT.",
        },
        "risk": {"suicidal_ideation": {"level": "none"}},
    }


def write_loop(port: int, token: str, session_id: int, name: str, stop: threading.Event, ledger: Ledger) -> None:
    """Until `stop`: start a note, sign it, add an addendum, read it back (each a write to the record and the audit
    chain, the read an audit entry only). Each step runs only after the previous one was acknowledged."""
    n = 0
    while not stop.is_set():
        n += 1
        text = f"{name}-{n}"
        try:
            status, note = call(
                port, "POST", f"/api/v1/sessions/{session_id}/progress-notes", note_body(text), token=token
            )
            if status != 201:
                ledger.refuse(status)
                continue
            note_id = int(note["id"])
            ledger.ack("note", note_id=note_id, subjective=note["sections"]["subjective"])
            status, signed = call(port, "POST", f"/api/v1/progress-notes/{note_id}/sign", token=token)
            if status != 200:
                ledger.refuse(status)
                continue
            ledger.ack("sign", note_id=note_id, content_hash=signed["content_hash"])
            status, addendum = call(
                port,
                "POST",
                f"/api/v1/progress-notes/{note_id}/addenda",
                {"text": f"Called PCP ({text})."},
                token=token,
            )
            if status != 201:
                ledger.refuse(status)
                continue
            ledger.ack(
                "addendum",
                note_id=note_id,
                addendum_id=int(addendum["id"]),
                text=addendum["text"],
                content_hash=addendum["content_hash"],
            )
            status, _ = call(port, "GET", f"/api/v1/progress-notes/{note_id}", token=token)
            if status != 200:
                ledger.refuse(status)
                continue
            ledger.ack("read", note_id=note_id)
        except CUT_OFF:
            with ledger.lock:
                ledger.cut_off += 1
            stop.wait(0.02)  # the server is gone; the driver is about to stop this loop


# --- Checks ----------------------------------------------------------------------------------------------------------


class Check:
    """bench/crash/check.py on the databases, started now and read later (it runs while the server restarts):
    every acknowledged write present and intact, no half-signed note, no change without its audit entry,
    `confide audit verify`."""

    def __init__(self, env: dict[str, str], acks: list[dict[str, Any]], folder: Path) -> None:
        self.acks_file = folder / f"acks-{len(acks)}.json"
        self.acks_file.write_text(json.dumps(acks))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.crash.check", str(self.acks_file)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def result(self) -> dict[str, Any]:
        out, err = self.process.communicate(timeout=600)
        self.acks_file.unlink(missing_ok=True)
        if self.process.returncode != 0:
            raise RuntimeError(f"the check failed to run ({self.process.returncode}):\n{err[-3000:]}")
        return dict(json.loads(out.strip().splitlines()[-1]))


def check_over_http(port: int, token: str, acks: list[dict[str, Any]]) -> list[str]:
    """Through the restarted server: each acknowledged signature and addendum reads back as acknowledged."""
    wrong: list[str] = []
    signed = {a["note_id"]: a["content_hash"] for a in acks if a["kind"] == "sign"}
    addenda: dict[int, set[int]] = {}
    for a in acks:
        if a["kind"] == "addendum":
            addenda.setdefault(a["note_id"], set()).add(a["addendum_id"])
    for note_id in sorted(set(signed) | set(addenda)):
        status, note = call(port, "GET", f"/api/v1/progress-notes/{note_id}", token=token)
        if status != 200:
            wrong.append(f"note {note_id}: {status}")
            continue
        if note_id in signed and (note["status"] != "signed" or note["content_hash"] != signed[note_id]):
            wrong.append(f"note {note_id}: {note['status']} {note['content_hash']!r}")
        missing = addenda.get(note_id, set()) - {int(x["id"]) for x in note["addenda"]}
        if missing:
            wrong.append(f"note {note_id}: addenda {sorted(missing)} missing")
    return wrong


# --- The run ---------------------------------------------------------------------------------------------------------


@dataclass
class Report:
    kills: int = 0
    acknowledged: Counter[str] = field(default_factory=Counter)
    cut_off: int = 0
    refused: dict[int, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    half_signed: int = 0
    bad_hash: int = 0
    unaudited: int = 0
    http_mismatches: list[str] = field(default_factory=list)
    audit_ok: bool = True
    audit_output: str = ""
    notes: int = 0
    audit_entries: int = 0
    start_seconds: list[float] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            self.kills > 0
            and not self.lost
            and self.half_signed == 0
            and self.bad_hash == 0
            and self.unaudited == 0
            and not self.http_mismatches
            and self.audit_ok
        )

    def lines(self) -> list[str]:
        acked = sum(self.acknowledged.values())
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.acknowledged.items()))
        starts = sorted(self.start_seconds)
        return [
            f"kills (SIGKILL to master and workers): {self.kills}",
            f"acknowledged writes: {acked} ({kinds})",
            f"requests cut off by a kill (not acknowledged): {self.cut_off}; refused: {self.refused or 'none'}",
            f"lost writes: {len(self.lost)}" + (f" {self.lost[:10]}" if self.lost else ""),
            f"half-signed notes: {self.half_signed}; hash mismatches: {self.bad_hash}; "
            f"changes without their audit entry: {self.unaudited}",
            f"read back through the restarted server: {len(self.http_mismatches)} mismatches",
            f"confide audit verify: {'OK' if self.audit_ok else 'FAILED'} ({self.audit_output})",
            f"in the database at the end: {self.notes} progress notes, {self.audit_entries} audit entries",
            f"server start to first answer: median {starts[len(starts) // 2]:.1f} s" if starts else "",
            f"elapsed: {self.elapsed:.1f} s",
        ]


def crash_run(
    env: dict[str, str],
    *,
    username: str,
    password: str,
    session_id: int,
    kills: int,
    clients: int = 4,
    workers: int = 2,
    kill_after: tuple[float, float] = (0.3, 1.5),
    min_acks: int = 0,
    seed: int = 13,
    log: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Start the server and sign in once; then `kills` cycles of: write with `clients` threads, SIGKILL the server
    after a random moment in `kill_after` seconds (counted once the cycle has `min_acks` acknowledged writes, so a
    slow machine still has work to lose), restart it on the same databases, check everything acknowledged so far
    (bench/crash/check.py) and read this cycle's signatures and addenda back through the restarted server."""
    rng = random.Random(seed)
    report = Report()
    ledger = Ledger()
    folder = Path(env["CONFIDE_DATA_DIR"])
    server = Server(env, workers=workers, log=log)
    started = time.perf_counter()
    try:
        report.start_seconds.append(server.start())
        token = sign_in(server.port, username, password)  # one token for the whole run: it outlives every restart
        for cycle in range(kills):
            since = len(ledger.acks)
            stop = threading.Event()
            threads = [
                threading.Thread(
                    target=write_loop,
                    args=(server.port, token, session_id, f"c{cycle}w{i}", stop, ledger),
                    daemon=True,
                )
                for i in range(clients)
            ]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 120
            while len(ledger.acks) - since < min_acks and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(*kill_after))
            server.kill()
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
            report.kills += 1
            # Nothing writes until the clients resume, so the check sees what the restarted server starts on.
            pending = Check(env, list(ledger.acks), folder)
            report.start_seconds.append(server.start())
            _record(report, pending.result(), check_over_http(server.port, token, ledger.acks[since:]))
            if progress:
                progress(f"kill {report.kills}/{kills}: {len(ledger.acks) - since} writes acknowledged in this cycle")
    finally:
        server.stop()
    report.acknowledged = Counter(a["kind"] for a in ledger.acks)
    report.cut_off = ledger.cut_off
    report.refused = dict(ledger.refused)
    report.elapsed = time.perf_counter() - started
    return report


def _record(report: Report, found: dict[str, Any], http_mismatches: list[str]) -> None:
    report.lost = sorted(set(report.lost) | set(found["lost"]))
    report.half_signed = max(report.half_signed, found["half_signed"])
    report.bad_hash = max(report.bad_hash, found["bad_hash"])
    report.unaudited = max(report.unaudited, found["unaudited"])
    report.audit_ok = report.audit_ok and found["audit_ok"]
    report.audit_output = found["audit_output"]
    report.notes, report.audit_entries = found["notes"], found["audit_entries"]
    report.http_mismatches += http_mismatches
