"""Only the author (and grantees) can read or list a psychotherapy note; everyone else gets 404, and is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from confide.audit.models import AuditEntry
from confide.lib.errors import Forbidden, NotFound
from confide.people.models import User
from confide.vault import services as vault
from confide.vault.credential import VaultCredential

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

OTHERS = ["colleague", "supervisor", "outsider", "admin", "biller", "front_desk"]


@pytest.fixture
def written(clinician: User, therapy_session: Any, sign_in_vault: Callable[..., VaultCredential]) -> str:
    note_id, _ = vault.write_note(
        actor=clinician, credential=sign_in_vault(clinician), session=therapy_session, body="private"
    )
    return note_id


@pytest.mark.parametrize("who", OTHERS)
def test_anyone_but_the_author_gets_404(request: pytest.FixtureRequest, written: str, who: str) -> None:
    user: User = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        vault.read_note(actor=user, credential=None, note_id=written)
    denial = AuditEntry.objects.get(action="confide.psychotherapy_note.read", actor_id=user.pk)
    assert denial.outcome == "denied"


@pytest.mark.parametrize("who", OTHERS)
def test_anyone_but_the_author_lists_nothing(request: pytest.FixtureRequest, written: str, who: str) -> None:
    user: User = request.getfixturevalue(who)
    assert vault.list_notes(actor=user, credential=None) == []


def test_supervisor_without_grant_gets_404(
    supervisor: User, written: str, sign_in_vault: Callable[..., VaultCredential]
) -> None:
    with pytest.raises(NotFound):
        vault.read_note(actor=supervisor, credential=sign_in_vault(supervisor), note_id=written)


def test_unknown_and_malformed_ids_get_404(clinician: User) -> None:
    for note_id in ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"]:
        with pytest.raises(NotFound):
            vault.read_note(actor=clinician, credential=None, note_id=note_id)


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_can_grant_or_revoke(request: pytest.FixtureRequest, written: str, who: str) -> None:
    user: User = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        vault.grant(actor=user, credential=None, note_id=written, grantee_id=user.pk)
    with pytest.raises(NotFound):
        vault.revoke(actor=user, note_id=written, grantee_id=user.pk)


def test_break_the_glass_never_opens_psychotherapy_notes(outsider: User, written: str) -> None:
    # Break-the-glass widens the chart, never the vault: the vault knows only authors and grantees.
    with pytest.raises(NotFound):
        vault.read_note(actor=outsider, credential=None, note_id=written)


def test_a_grantee_may_not_regrant(
    clinician: User,
    supervisor: User,
    colleague: User,
    written: str,
    sign_in_vault: Callable[..., VaultCredential],
) -> None:
    sign_in_vault(colleague)  # colleague has a key
    vault.grant(actor=clinician, credential=sign_in_vault(clinician), note_id=written, grantee_id=supervisor.pk)
    with pytest.raises(Forbidden):
        vault.grant(actor=supervisor, credential=sign_in_vault(supervisor), note_id=written, grantee_id=colleague.pk)
