"""Overlap warnings: a double booking of the clinician or the client is refused until confirmed, and is flagged."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from confide.clients.models import Client
from confide.lib.errors import Conflict, RuleViolation
from confide.people.models import User
from confide.sessions import services
from confide.sessions.models import Status, TherapySession

ZONE = ZoneInfo("America/New_York")
TEN = datetime(2027, 2, 1, 10, 0, tzinfo=ZONE)


def book(actor: User, client: Client, clinician: User, starts: datetime, **extra: Any) -> TherapySession:
    return services.schedule_session(
        actor=actor,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=extra.pop("minutes", 50)),
        service="individual",
        setting=extra.pop("setting", "in_person"),
        status=Status.SCHEDULED,
        **extra,
    )


@pytest.fixture
def second_client(clinician: User) -> Client:
    return Client.objects.create(
        first_name="Sky", last_name="Ortiz", date_of_birth=date(1992, 3, 3), primary_clinician=clinician
    )


def test_the_clinician_double_booked_is_refused_then_allowed_once_confirmed(
    clinician: User, client_of_record: Client, second_client: Client
) -> None:
    first = book(clinician, client_of_record, clinician, TEN)
    with pytest.raises(Conflict) as raised:
        book(clinician, second_client, clinician, TEN + timedelta(minutes=30), confirm_overlap=False)
    assert raised.value.code == "overlap"
    assert "the clinician already has a session" in raised.value.detail
    assert "Morgan" not in raised.value.detail  # the warning names no other client
    second = book(clinician, second_client, clinician, TEN + timedelta(minutes=30), confirm_overlap=True)
    assert second.overlap_confirmed
    flagged = dict(TherapySession.objects.with_overlap_flag().values_list("pk", "double_booked"))
    assert flagged == {first.pk: True, second.pk: True}


def test_the_client_double_booked_with_another_clinician(
    clinician: User, colleague: User, client_of_record: Client, front_desk: User
) -> None:
    book(front_desk, client_of_record, clinician, TEN)
    with pytest.raises(Conflict) as raised:
        book(front_desk, client_of_record, colleague, TEN + timedelta(minutes=10), confirm_overlap=False)
    assert "the client already has a session with another clinician" in raised.value.detail


def test_back_to_back_sessions_do_not_overlap(clinician: User, client_of_record: Client, second_client: Client) -> None:
    book(clinician, client_of_record, clinician, TEN)
    after = book(clinician, second_client, clinician, TEN + timedelta(minutes=50), confirm_overlap=False)
    assert not after.overlap_confirmed
    assert not any(TherapySession.objects.with_overlap_flag().values_list("double_booked", flat=True))


def test_a_cancelled_session_holds_no_time(clinician: User, client_of_record: Client, second_client: Client) -> None:
    first = book(clinician, client_of_record, clinician, TEN)
    services.cancel_session(actor=clinician, session=first, reason="Client ill")
    book(clinician, second_client, clinician, TEN, confirm_overlap=False)
    assert services.overlaps(
        clinician_id=clinician.pk, client_id=second_client.pk, starts_at=TEN, ends_at=TEN + timedelta(hours=1)
    ) == [TherapySession.objects.get(client=second_client)]
    flags = dict(TherapySession.objects.with_overlap_flag().values_list("pk", "double_booked"))
    assert flags[first.pk] is False


def test_moving_onto_another_session_asks_for_confirmation(
    clinician: User, client_of_record: Client, second_client: Client
) -> None:
    book(clinician, client_of_record, clinician, TEN)
    later = book(clinician, second_client, clinician, TEN + timedelta(hours=2))
    with pytest.raises(Conflict):
        services.move_session(actor=clinician, session=later, starts_at=TEN, ends_at=TEN + timedelta(minutes=50))
    later.refresh_from_db()
    assert later.starts_at == TEN + timedelta(hours=2)
    services.move_session(
        actor=clinician, session=later, starts_at=TEN, ends_at=TEN + timedelta(minutes=50), confirm_overlap=True
    )
    later.refresh_from_db()
    assert later.starts_at == TEN and later.overlap_confirmed


def test_a_session_does_not_overlap_itself_when_moved_a_little(clinician: User, client_of_record: Client) -> None:
    session = book(clinician, client_of_record, clinician, TEN)
    services.move_session(
        actor=clinician, session=session, starts_at=TEN + timedelta(minutes=15), ends_at=TEN + timedelta(minutes=65)
    )
    session.refresh_from_db()
    assert not session.overlap_confirmed


def test_recording_without_the_check_keeps_the_api_contract(clinician: User, client_of_record: Client) -> None:
    book(clinician, client_of_record, clinician, TEN)
    again = book(clinician, client_of_record, clinician, TEN)  # confirm_overlap omitted: a record, not checked
    assert not again.overlap_confirmed


def test_cancelling_needs_a_reason_and_leaves_no_codes(clinician: User, client_of_record: Client) -> None:
    session = book(clinician, client_of_record, clinician, TEN)
    with pytest.raises(RuleViolation) as raised:
        services.cancel_session(actor=clinician, session=session, reason="   ")
    assert raised.value.code == "reason_required"
    services.cancel_session(actor=clinician, session=session, reason="Client   ill")
    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.cpt_codes) == (Status.CANCELLED, "Client ill", [])
    with pytest.raises(Conflict):
        services.cancel_session(actor=clinician, session=session, reason="again")
    with pytest.raises(Conflict):
        services.move_session(actor=clinician, session=session, starts_at=TEN, ends_at=TEN + timedelta(minutes=50))


def test_a_telehealth_link_must_be_https(clinician: User, client_of_record: Client) -> None:
    with pytest.raises(RuleViolation) as raised:
        book(
            clinician, client_of_record, clinician, TEN, setting="telehealth", telehealth_link="http://video.example/r"
        )
    assert raised.value.code == "invalid_link"
    with pytest.raises(RuleViolation):
        book(clinician, client_of_record, clinician, TEN, telehealth_link="https://exa mple/")
    session = book(
        clinician, client_of_record, clinician, TEN, setting="telehealth", telehealth_link="https://video.example/r/1"
    )
    assert session.telehealth_link == "https://video.example/r/1"


def test_a_discharged_client_gets_no_new_session(clinician: User, client_of_record: Client) -> None:
    client_of_record.discharged_on = date(2027, 1, 15)
    client_of_record.save()
    with pytest.raises(RuleViolation) as raised:
        book(clinician, client_of_record, clinician, TEN)
    assert raised.value.code == "client_discharged"


def test_the_audit_of_a_cancellation_carries_no_reason(clinician: User, client_of_record: Client) -> None:
    from confide.audit.models import AuditEntry

    session = book(clinician, client_of_record, clinician, TEN)
    services.cancel_session(actor=clinician, session=session, reason="Divorce hearing ran long")
    entry = AuditEntry.objects.filter(action="confide.session.updated").latest("pk")
    assert entry.detail == {"fields": ["cancel_reason", "status"]}
    assert "Divorce" not in str(entry.detail)
