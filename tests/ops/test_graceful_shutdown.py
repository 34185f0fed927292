"""Stopping the server (SIGTERM, as systemd does) finishes the request in flight and serves no new one; the
vault key session of a signed-in clinician survives the restart (docs/operations.md, "Crash safety").

The request in flight is a legitimate one sent slowly, as from a clinic on a poor connection: a new progress note
whose JSON body trickles in over two seconds, so SIGTERM arrives while a worker is reading it. No test-only view.
Then `--graceful-timeout` is shown to be passed through: at 1 second, a request that needs 3 is cut off.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from bench.crash.driver import CUT_OFF, Server, call, note_body, sign_in
from confide.people.models import User
from tests.conftest import PASSWORD
from tests.ops.liveserver import server_env

PRIVATE = "Countertransference: I noticed impatience when the client minimized the conflict with her sister."


class SlowRequest(threading.Thread):
    """POST a JSON body in `pieces` pieces spread over `seconds`; keeps the answer (or the failure) and its time."""

    def __init__(self, port: int, path: str, token: str, body: dict[str, Any], seconds: float, pieces: int = 20):
        super().__init__(daemon=True)
        self.port, self.path, self.token, self.seconds, self.pieces = port, path, token, seconds, pieces
        self.raw = json.dumps(body).encode()
        self.sending = threading.Event()
        self.status: int | None = None
        self.answer: Any = None
        self.error: BaseException | None = None
        self.finished_at = 0.0

    def run(self) -> None:
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Length: {len(self.raw)}\r\nConnection: close\r\n\r\n"
        )
        size = -(-len(self.raw) // self.pieces)
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
                sock.sendall(head.encode() + self.raw[:size])
                self.sending.set()
                for start in range(size, len(self.raw), size):
                    time.sleep(self.seconds / self.pieces)
                    sock.sendall(self.raw[start : start + size])
                response = http.client.HTTPResponse(sock)
                response.begin()
                self.status, self.answer = response.status, json.loads(response.read())
        except CUT_OFF as error:
            self.error = error
        finally:
            self.sending.set()
            self.finished_at = time.monotonic()


def not_served(port: int) -> bool:
    """A new request gets no answer: refused once the listener is closed, or reset when the last worker exits."""
    try:
        call(port, "GET", "/api/v1/auth/token", timeout=10)
    except CUT_OFF:
        return True
    return False


@pytest.mark.django_db(transaction=True, databases=["default", "vault"])
def test_sigterm_finishes_the_request_in_flight_and_the_vault_session_survives(
    clinician: User, therapy_session: Any, tmp_path: Path
) -> None:
    server = Server(server_env(tmp_path), graceful_timeout=10, log=tmp_path / "server.log")
    try:
        server.start()
        port = server.port
        token = sign_in(port, clinician.username, PASSWORD)
        status, written = call(
            port, "POST", f"/api/v1/sessions/{therapy_session.pk}/psychotherapy-notes", {"body": PRIVATE}, token=token
        )
        assert status == 201, written
        private_path = f"/api/v1/psychotherapy-notes/{written['id']}"
        assert call(port, "GET", private_path, token=token)[1]["body"] == PRIVATE

        # SIGTERM while a note's body is still arriving: that request completes, no new one is served.
        body = note_body("sent slowly") | {"interventions": ["cognitive restructuring"] * 40}
        slow = SlowRequest(port, f"/api/v1/sessions/{therapy_session.pk}/progress-notes", token, body, seconds=2.0)
        slow.start()
        assert slow.sending.wait(10) and slow.error is None
        time.sleep(0.4)  # an idle worker accepts within milliseconds
        server.terminate()
        terminated = time.monotonic()
        time.sleep(0.3)  # the master closes its listener at once
        assert not_served(port)
        slow.join(30)
        assert (slow.status, slow.error) == (201, None), slow.answer
        assert slow.finished_at > terminated + 1.0  # it really was in flight: most of the body came after SIGTERM
        assert server.wait(timeout=15) == 0
        assert not_served(port)

        # Restarted on the same databases, with a graceful timeout of 1 s: the same token still opens the vault,
        # and the note that finished during the shutdown is there.
        server.graceful_timeout = 1
        server.start()
        status, private = call(port, "GET", private_path, token=token)
        assert (status, private["body"]) == (200, PRIVATE)
        status, note = call(port, "GET", f"/api/v1/progress-notes/{slow.answer['id']}", token=token)
        assert (status, note["sections"], note["interventions"]) == (200, body["sections"], body["interventions"])

        # A request that needs 3 s more than the 1 s allowed is cut off, and the server is gone soon after.
        slow = SlowRequest(port, f"/api/v1/sessions/{therapy_session.pk}/progress-notes", token, body, seconds=3.0)
        slow.start()
        assert slow.sending.wait(10) and slow.error is None
        time.sleep(0.4)
        server.terminate()
        terminated = time.monotonic()
        server.wait(timeout=15)
        slow.join(30)
        assert slow.status is None and slow.error is not None
        assert slow.finished_at - terminated < 2.5
    finally:
        server.stop()


@pytest.mark.parametrize("value", ["0", "-5", "3601", "soon", "1.5"])
def test_the_graceful_timeout_is_whole_seconds_up_to_an_hour(value: str) -> None:
    with pytest.raises(CommandError, match="graceful-timeout"):
        call_command("serve", "--graceful-timeout", value)
