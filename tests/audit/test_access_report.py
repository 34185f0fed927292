"""The access report lists who looked at one client's chart — reads, views, exports, break-the-glass, refused
attempts included — and nothing else."""

from __future__ import annotations

from collections.abc import Callable

from confide.audit.services import access_report, record
from confide.clients.models import Client
from confide.people.models import User


def test_report_lists_reads_views_and_break_glass_oldest_first(
    client_of_record: Client, clinician: User, outsider: User
) -> None:
    cid = client_of_record.pk
    record("confide.client.viewed", actor=clinician, client_id=cid, ip="10.0.0.5")
    record("confide.progress_note.read", actor=clinician, client_id=cid, object_type="progress_note", object_id=3)
    record("confide.client.break_glass", actor=outsider, client_id=cid, detail={"reason": "on call, crisis line"})
    record("confide.record.exported", actor=clinician, client_id=cid)
    report = access_report(cid)
    assert [(row["actor_username"], row["action"]) for row in report] == [
        ("rivera", "confide.client.viewed"),
        ("rivera", "confide.progress_note.read"),
        ("outsider", "confide.client.break_glass"),
        ("rivera", "confide.record.exported"),
    ]
    assert report[0]["ip"] == "10.0.0.5"


def test_report_rows_carry_exactly_when_who_what_outcome_and_where(client_of_record: Client, clinician: User) -> None:
    record("confide.client.viewed", actor=clinician, client_id=client_of_record.pk)
    (row,) = access_report(client_of_record.pk)
    assert set(row) == {"at", "actor_id", "actor_username", "action", "outcome", "ip"}
    assert row["actor_id"] == clinician.pk


def test_refused_attempts_to_read_are_in_the_report(client_of_record: Client, outsider: User) -> None:
    record("confide.progress_note.read", actor=outsider, client_id=client_of_record.pk, outcome="denied")
    assert [row["outcome"] for row in access_report(client_of_record.pk)] == ["denied"]


def test_changes_are_not_views(client_of_record: Client, clinician: User) -> None:
    record("confide.progress_note.signed", actor=clinician, client_id=client_of_record.pk)
    record("confide.session.scheduled", actor=clinician, client_id=client_of_record.pk)
    record("confide.access_report.generated", actor=clinician, client_id=client_of_record.pk)
    assert access_report(client_of_record.pk) == []


def test_other_clients_views_are_not_in_the_report(
    client_of_record: Client, supervisee_client: Client, supervisee: User
) -> None:
    record("confide.client.viewed", actor=supervisee, client_id=supervisee_client.pk)
    assert access_report(client_of_record.pk) == []


def test_the_report_selects_by_declared_kind_not_by_the_words_of_the_code(
    client_of_record: Client, clinician: User, declare_action: Callable[..., str]
) -> None:
    # A change whose code happens to contain "read" is not a read; only the declaration's kind counts.
    record(declare_action("confide.read_receipt.read"), actor=clinician, client_id=client_of_record.pk)
    assert access_report(client_of_record.pk) == []
