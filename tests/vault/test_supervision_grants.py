"""Supervised training (164.508(a)(2)(i)(B)): the author grants a named supervisor one note, and can revoke it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from confide.audit.models import AuditEntry
from confide.lib.errors import NotFound, RuleViolation
from confide.people.models import User
from confide.vault import services as vault
from confide.vault.credential import VaultCredential

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def author(clinician: User, sign_in_vault: Callable[..., VaultCredential]) -> VaultCredential:
    return sign_in_vault(clinician)


@pytest.fixture
def written(clinician: User, therapy_session: Any, author: VaultCredential) -> str:
    note_id, _ = vault.write_note(actor=clinician, credential=author, session=therapy_session, body="transference")
    return note_id


def test_supervisor_with_grant_reads_the_note(
    clinician: User, supervisor: User, author: VaultCredential, written: str, sign_in_vault: Callable[..., Any]
) -> None:
    vault.grant(actor=clinician, credential=author, note_id=written, grantee_id=supervisor.pk)
    note = vault.read_note(actor=supervisor, credential=sign_in_vault(supervisor), note_id=written)
    assert note.body == "transference"
    assert not note.is_author
    assert note.grants == []  # a grantee does not see who else holds grants
    assert [n.id for n in vault.list_notes(actor=supervisor)] == [written]


def test_revocation_ends_the_supervisors_access(
    clinician: User, supervisor: User, author: VaultCredential, written: str, sign_in_vault: Callable[..., Any]
) -> None:
    vault.grant(actor=clinician, credential=author, note_id=written, grantee_id=supervisor.pk)
    vault.revoke(actor=clinician, note_id=written, grantee_id=supervisor.pk)
    with pytest.raises(NotFound):
        vault.read_note(actor=supervisor, credential=sign_in_vault(supervisor), note_id=written)
    assert vault.list_notes(actor=supervisor) == []


def test_a_grant_covers_only_the_chosen_note(
    clinician: User,
    supervisor: User,
    therapy_session: Any,
    author: VaultCredential,
    written: str,
    sign_in_vault: Callable[..., Any],
) -> None:
    other, _ = vault.write_note(actor=clinician, credential=author, session=therapy_session, body="another")
    vault.grant(actor=clinician, credential=author, note_id=written, grantee_id=supervisor.pk)
    with pytest.raises(NotFound):
        vault.read_note(actor=supervisor, credential=sign_in_vault(supervisor), note_id=other)


def test_the_author_sees_her_grants(
    clinician: User, supervisor: User, author: VaultCredential, written: str, sign_in_vault: Callable[..., Any]
) -> None:
    sign_in_vault(supervisor)
    vault.grant(actor=clinician, credential=author, note_id=written, grantee_id=supervisor.pk)
    note = vault.read_note(actor=clinician, credential=author, note_id=written)
    assert [(g.grantee_id, g.purpose) for g in note.grants] == [(supervisor.pk, "supervised_training")]


@pytest.mark.parametrize("who", ["biller", "front_desk", "admin"])
def test_grantees_must_be_clinicians(
    request: pytest.FixtureRequest, clinician: User, author: VaultCredential, written: str, who: str
) -> None:
    user: User = request.getfixturevalue(who)
    with pytest.raises(RuleViolation):
        vault.grant(actor=clinician, credential=author, note_id=written, grantee_id=user.pk)


def test_a_grant_is_only_for_supervised_training(
    clinician: User, supervisor: User, author: VaultCredential, written: str
) -> None:
    with pytest.raises(RuleViolation):
        vault.grant(actor=clinician, credential=author, note_id=written, grantee_id=supervisor.pk, purpose="payment")


def test_grant_and_revoke_are_audited(
    clinician: User, supervisor: User, author: VaultCredential, written: str, sign_in_vault: Callable[..., Any]
) -> None:
    vault.grant(actor=clinician, credential=author, note_id=written, grantee_id=supervisor.pk)
    vault.read_note(actor=supervisor, credential=sign_in_vault(supervisor), note_id=written)
    vault.revoke(actor=clinician, note_id=written, grantee_id=supervisor.pk)
    actions = list(AuditEntry.objects.filter(object_id=written).values_list("action", "actor_id", "detail"))
    assert (
        "confide.psychotherapy_note.granted",
        clinician.pk,
        {"grantee_id": supervisor.pk, "purpose": "supervised_training"},
    ) in actions
    assert ("confide.psychotherapy_note.read", supervisor.pk, {"as": "supervised_training"}) in actions
    assert ("confide.psychotherapy_note.revoked", clinician.pk, {"grantee_id": supervisor.pk}) in actions


def test_revoking_a_grant_that_does_not_exist_is_404(clinician: User, supervisor: User, written: str) -> None:
    with pytest.raises(NotFound):
        vault.revoke(actor=clinician, note_id=written, grantee_id=supervisor.pk)
