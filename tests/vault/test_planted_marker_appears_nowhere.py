"""A random marker written in psychotherapy notes is found nowhere but in the author's own reads: not in either
database, not in any SQL sent to them, not in the audit log, not in log output."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from confide.people.models import User
from confide.vault import services as vault
from confide.vault.credential import VaultCredential
from tests.vault.at_rest import contains, database_bytes, postgres_files_contain

pytestmark = pytest.mark.django_db(databases=["default", "vault"], transaction=True)


def test_marker_is_in_no_database_no_query_and_no_log(
    clinician: User,
    supervisor: User,
    therapy_session: Any,
    sign_in_vault: Callable[..., VaultCredential],
    marker: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    credential = sign_in_vault(clinician)
    with CaptureQueriesContext(connections["default"]) as main, CaptureQueriesContext(connections["vault"]) as kept:
        note_id, _ = vault.write_note(
            actor=clinician,
            credential=credential,
            session=therapy_session,
            body=f"{marker} — she said the word twice; PHQ-9 of 20 {marker}",
        )
        vault.grant(actor=clinician, credential=credential, note_id=note_id, grantee_id=supervisor.pk)
        assert marker in vault.read_note(actor=clinician, credential=credential, note_id=note_id).body
        assert marker in vault.read_note(actor=supervisor, credential=sign_in_vault(supervisor), note_id=note_id).body
        vault.list_notes(actor=clinician, credential=credential)
    for query in [*main.captured_queries, *kept.captured_queries]:
        assert marker not in query["sql"]
    for alias in ("default", "vault"):
        assert not contains(database_bytes(alias), marker), f"marker found in the {alias} database"
        assert postgres_files_contain(alias, marker) in (None, False), "marker found in PostgreSQL's files"
    assert marker not in caplog.text
    for record in caplog.records:
        assert marker not in str(record.args)


def test_marker_never_reaches_the_main_database_even_in_a_failed_write(
    clinician: User, therapy_session: Any, marker: str
) -> None:
    from confide.lib.errors import RuleViolation

    with pytest.raises(RuleViolation):
        vault.write_note(actor=clinician, credential=None, session=therapy_session, body=marker * 20_000)
    for alias in ("default", "vault"):
        assert not contains(database_bytes(alias), marker)


def test_the_database_search_finds_a_marker_that_is_there(clinician: User, marker: str) -> None:
    """The control: the same search does find a marker stored in clear (here, in a client's name)."""
    from datetime import date

    from confide.clients.models import Client
    from tests.vault.at_rest import postgres_files_contain

    Client.objects.create(
        first_name="Control", last_name=marker, date_of_birth=date(1990, 1, 1), primary_clinician=clinician
    )
    assert contains(database_bytes("default"), marker)
    found = postgres_files_contain("default", marker)
    print(f"PostgreSQL cluster files searched: {found is not None}")
    assert found in (None, True)
