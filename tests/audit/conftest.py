"""Helpers for the audit tests: an anchor file per test, a way to tamper as an attacker would, and the verifier as
the `confide audit verify` command runs it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from confide.audit import actions
from confide.audit.services import record
from confide.people.models import User

TABLE = "audit_auditentry"

Tamper = Callable[..., None]
Verify = Callable[..., tuple[int, str]]


@pytest.fixture(autouse=True)
def anchor_file(settings: Any, tmp_path: Path) -> Path:
    # Never touch the real data directory's anchor from a test database.
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchor.json"
    return Path(settings.AUDIT_ANCHOR_FILE)


@pytest.fixture
def tamper() -> Tamper:
    """Run SQL against the log as someone with direct database access. On PostgreSQL that takes a superuser who
    first switches off the append-only triggers, which is exactly what the chain must still catch."""

    def run(*statements: str | tuple[str, Sequence[Any]]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            for statement in statements:
                sql, params = (statement, ()) if isinstance(statement, str) else statement
                cursor.execute(sql, params)
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")

    return run


@pytest.fixture
def run_verify() -> Verify:
    """`confide audit verify [args]` → (exit status, what it printed)."""

    def run(*args: str) -> tuple[int, str]:
        out = io.StringIO()
        try:
            call_command("audit", "verify", "--no-progress", *args, stdout=out)
        except SystemExit as exit:
            return int(exit.code or 0), out.getvalue()
        return 0, out.getvalue()

    return run


@pytest.fixture
def five_entries(clinician: User, colleague: User) -> list[int]:
    """A short day at the clinic, on top of the entries the cast's creation wrote. Returns their seqs."""
    entries = [
        record("confide.client.viewed", actor=clinician, client_id=7, ip="10.0.0.5"),
        record("confide.progress_note.created", actor=clinician, client_id=7, object_type="progress_note", object_id=1),
        record("confide.progress_note.signed", actor=clinician, client_id=7, object_type="progress_note", object_id=1),
        record("confide.progress_note.read", actor=colleague, client_id=7, outcome="denied", ip="10.0.0.9"),
        record("confide.sign_out", actor=clinician, detail={"reason": "idle"}),
    ]
    return [entry.seq for entry in entries]


@pytest.fixture
def declare_action() -> Iterator[Callable[..., str]]:
    """Declare an action code for one test: tests of the chain itself carry deliberately odd detail keys."""
    added: list[str] = []

    def declare(code: str, *, detail: Sequence[str] = (), client: bool = True) -> str:
        actions.ACTIONS[code] = actions.Action(
            code, actions.Kind.CHANGE, actions.About.PRACTICE, client, frozenset(), frozenset(detail), frozenset()
        )
        added.append(code)
        return code

    yield declare
    for code in added:
        actions.ACTIONS.pop(code, None)
