"""Opening and saving a psychotherapy note cost a fixed, small number of statements (bench/vault: the time of both
is database round trips, not cryptography). A regression that adds a lookup fails here.

Transaction control (BEGIN, COMMIT, savepoints) is left out of the count: the test runs inside the test case's
transaction, where each commit of the real path is a savepoint, and PostgreSQL's driver sends BEGIN and COMMIT
without a statement Django sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from confide.audit.models import AuditEntry
from confide.lib.errors import NotFound
from confide.people.models import User
from confide.vault import services as vault
from confide.vault.credential import VaultCredential

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.IGNORECASE)


class Counted:
    main: list[str]
    vault: list[str]


@contextmanager
def statements() -> Iterator[Counted]:
    """The statements sent to each database inside the block, transaction control left out."""
    counted = Counted()
    with CaptureQueriesContext(connections["default"]) as main, CaptureQueriesContext(connections["vault"]) as vlt:
        yield counted
    counted.main = [q["sql"] for q in main.captured_queries if not _CONTROL.match(q["sql"])]
    counted.vault = [q["sql"] for q in vlt.captured_queries if not _CONTROL.match(q["sql"])]


def _vault_inserts() -> int:
    # The note and its author's key: one query string on PostgreSQL (one round trip), two statements on SQLite.
    return 1 if connections["vault"].vendor == "postgresql" else 2


def test_save_is_a_key_lookup_the_inserts_and_the_audit_entry(
    clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    credential = sign_in_vault(clinician)
    with statements() as sent:
        note_id, _ = vault.write_note(actor=clinician, credential=credential, session=therapy_session, body="A door.")
    # Main: the audit chain's tail and the entry (the access decision needs no query for the session's clinician).
    assert len(sent.main) == 2, sent.main
    # Vault: the author's public key, then the note and its sealed key.
    assert len(sent.vault) == 1 + _vault_inserts(), sent.vault
    assert AuditEntry.objects.filter(action="confide.psychotherapy_note.written", object_id=note_id).count() == 1
    assert vault.read_note(actor=clinician, credential=credential, note_id=note_id).body == "A door."


def test_save_by_session_id_adds_only_the_session(
    clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    credential = sign_in_vault(clinician)
    with statements() as sent:
        vault.write_note(actor=clinician, credential=credential, session=therapy_session.pk, body="By id.")
    assert len(sent.main) == 3, sent.main
    assert len(sent.vault) == 1 + _vault_inserts(), sent.vault


def test_open_is_one_vault_query_and_the_audit_entry(
    clinician: User, supervisor: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    credential = sign_in_vault(clinician)
    note_id, _ = vault.write_note(actor=clinician, credential=credential, session=therapy_session, body="Opened.")
    sign_in_vault(supervisor)
    vault.grant(actor=clinician, credential=credential, note_id=note_id, grantee_id=supervisor.pk)
    with statements() as sent:
        note = vault.read_note(actor=clinician, credential=credential, note_id=note_id)
    assert note.body == "Opened."
    assert [g.grantee_id for g in note.grants] == [supervisor.pk]  # the grants come with the same query
    # Vault: every key of the note with the caller's key session beside it. Main: the audit chain's tail and entry.
    assert len(sent.vault) == 1, sent.vault
    assert len(sent.main) == 2, sent.main
    reads = AuditEntry.objects.filter(
        action="confide.psychotherapy_note.read", object_id=note_id, actor_id=clinician.pk
    )
    assert reads.count() == 1


def test_a_refused_open_is_still_404_and_audited(
    clinician: User, colleague: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    note_id, _ = vault.write_note(
        actor=clinician, credential=sign_in_vault(clinician), session=therapy_session, body="Mine."
    )
    with pytest.raises(NotFound):
        vault.read_note(actor=colleague, credential=sign_in_vault(colleague), note_id=note_id)
    denied = AuditEntry.objects.filter(action="confide.psychotherapy_note.read", actor_id=colleague.pk)
    assert denied.get().outcome == "denied"
