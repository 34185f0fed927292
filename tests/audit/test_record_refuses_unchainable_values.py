"""`record` refuses what could not be verified after a database round trip, and trims what the columns can't hold."""

from __future__ import annotations

import pytest

from confide.audit.chain import UnchainableValue
from confide.audit.models import AuditEntry
from confide.audit.services import _WIDTHS, record, verify
from confide.people.models import User


@pytest.mark.parametrize(
    "detail",
    [
        {"count": 12.5},
        {"count": float("nan")},
        {"count": "nul\x00byte"},
        {1: "int key"},
        {"count": object()},
    ],
    ids=["float", "nan", "nul", "int-key", "object"],
)
def test_detail_that_would_not_round_trip_is_refused(clinician: User, detail: dict[object, object]) -> None:
    with pytest.raises(UnchainableValue):
        record("confide.client.listed", actor=clinician, detail=detail)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "action", ["signed", "Confide.Note.Signed", "confide..x", "confide.note.", "confide.x" + "a" * 80]
)
def test_action_must_be_a_dotted_code(clinician: User, action: str) -> None:
    with pytest.raises(UnchainableValue):
        record(action, actor=clinician)


def test_outcome_must_be_one_of_ok_denied_failed(clinician: User) -> None:
    with pytest.raises(UnchainableValue):
        record("confide.client.viewed", actor=clinician, outcome="maybe")


def test_attacker_chosen_username_is_trimmed_not_refused(db: None) -> None:
    # A failed sign-in must always be logged, whatever was typed into the username box.
    entry = record("confide.sign_in.failed", actor=None, username="x\x00" * 500, outcome="failed", ip="203.0.113.9")
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_username == "x" * 150
    assert verify().ok


def test_trim_widths_match_the_columns() -> None:
    for field, width in _WIDTHS.items():
        assert AuditEntry._meta.get_field(field).max_length == width  # type: ignore[union-attr]
