"""Signing locks the note's own row, never the rows it joins.

`select_for_update()` with `select_related("author")` locks the author's user row too (FOR UPDATE without OF). While
one request held that lock and waited for the audit chain, another request of the same clinician held the chain and,
at COMMIT, waited on the user row for its foreign-key check: a deadlock, a 500 in the soak benchmark. The lock
names its table (FOR UPDATE OF), so a second request can only wait for the note.
"""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from confide.clients.models import Client
from confide.notes import services as notes
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import draft_note, signed_note


def _locks(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]


def _every_lock_names_its_table(locks: list[str]) -> None:
    if connection.vendor == "postgresql":
        assert locks, "signing must lock the note"
        for sql in locks:
            assert re.search(r"FOR UPDATE OF \"?\w+\"?\s*$", sql), sql
    else:
        assert locks == []  # SQLite serializes writers; it has no row locks to take


def test_signing_a_note_locks_the_note_only(clinician: User, client_of_record: Client) -> None:
    note = draft_note(session_for(client_of_record, clinician), clinician)
    with CaptureQueriesContext(connection) as captured:
        notes.sign_note(actor=clinician, note=note)
    _every_lock_names_its_table(_locks(captured))


def test_a_cosign_locks_the_note_only(supervisor: User, supervisee: User, supervisee_client: Client) -> None:
    note = signed_note(session_for(supervisee_client, supervisee), supervisee)
    with CaptureQueriesContext(connection) as captured:
        notes.cosign_note(actor=supervisor, note=note, attestation=notes.COSIGN_ATTESTATION)
    _every_lock_names_its_table(_locks(captured))
