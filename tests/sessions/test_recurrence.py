"""Recurring sessions: the days a series falls on, its bounds, and that an exception touches one occurrence only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from confide.clients.models import Client
from confide.lib.errors import Conflict, RuleViolation
from confide.people.models import User
from confide.sessions import recurrence, services
from confide.sessions.models import Status, TherapySession

NEW_YORK = ZoneInfo("America/New_York")


def test_weekly_for_a_count() -> None:
    days = recurrence.Rule(date(2026, 12, 7), 1, count=4).days()
    assert days == [date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28)]


def test_every_other_week_until_a_date_includes_the_last_day() -> None:
    days = recurrence.Rule(date(2026, 12, 7), 2, until=date(2027, 1, 4)).days()
    assert days == [date(2026, 12, 7), date(2026, 12, 21), date(2027, 1, 4)]


@pytest.mark.parametrize(
    "rule",
    [
        recurrence.Rule(date(2026, 12, 7), 3, count=4),  # every third week is not offered
        recurrence.Rule(date(2026, 12, 7), 1),  # no end
        recurrence.Rule(date(2026, 12, 7), 1, count=4, until=date(2027, 1, 1)),  # two ends
        recurrence.Rule(date(2026, 12, 7), 1, count=1),  # one session is not a series
        recurrence.Rule(date(2026, 12, 7), 1, count=recurrence.MAX_OCCURRENCES + 1),
        recurrence.Rule(date(2026, 12, 7), 1, until=date(2026, 12, 7)),
        recurrence.Rule(date(2026, 12, 7), 1, until=date(2028, 12, 7)),  # over a year of weekly sessions
    ],
)
def test_bad_rules_are_refused(rule: recurrence.Rule) -> None:
    with pytest.raises(RuleViolation) as raised:
        rule.days()
    assert raised.value.code == "invalid_recurrence"


def test_a_fortnightly_series_may_run_two_years() -> None:
    assert len(recurrence.Rule(date(2026, 1, 5), 2, until=date(2027, 12, 27)).days()) == 52


def test_occurrences_keep_the_wall_clock_time_across_daylight_saving() -> None:
    # New York leaves daylight saving on 1 November 2026: 09:00 stays 09:00 local, so the UTC hour moves.
    spans = recurrence.occurrences(recurrence.Rule(date(2026, 10, 26), 1, count=2), time(9, 0), 50, NEW_YORK)
    assert [s.astimezone(NEW_YORK).hour for s, _ in spans] == [9, 9]
    assert spans[0][0].astimezone(ZoneInfo("UTC")).hour == 13
    assert spans[1][0].astimezone(ZoneInfo("UTC")).hour == 14
    assert all(end - start == timedelta(minutes=50) for start, end in spans)


def _series(actor: User, client: Client, clinician: User, **extra: Any) -> list[TherapySession]:
    _, sessions = services.schedule_series(
        actor=actor,
        client=client,
        clinician_id=clinician.pk,
        rule=extra.pop("rule", recurrence.Rule(date(2027, 1, 4), 1, count=4)),
        starts=time(9, 0),
        minutes=50,
        service="individual",
        setting="in_person",
        **extra,
    )
    return sessions


def test_a_series_books_scheduled_sessions_linked_to_it(client_of_record: Client, clinician: User) -> None:
    sessions = _series(clinician, client_of_record, clinician)
    assert len(sessions) == 4
    assert {s.status for s in sessions} == {Status.SCHEDULED}
    assert len({s.series_id for s in sessions}) == 1
    series = sessions[0].series
    assert series is not None and series.describe == "every week, 4 times"
    assert series.occurrences.count() == 4


def test_moving_one_occurrence_leaves_the_others(client_of_record: Client, clinician: User) -> None:
    sessions = _series(clinician, client_of_record, clinician)
    before = {s.pk: (s.starts_at, s.ends_at) for s in sessions}
    moved = sessions[1]
    new_start = moved.starts_at + timedelta(days=1, hours=2)
    services.move_session(
        actor=clinician, session=moved, starts_at=new_start, ends_at=new_start + timedelta(minutes=50)
    )
    for session in TherapySession.objects.filter(pk__in=before):
        if session.pk == moved.pk:
            assert session.starts_at == new_start
            assert session.series_id == moved.series_id  # still an occurrence of its series
        else:
            assert (session.starts_at, session.ends_at) == before[session.pk]


def test_skipping_one_occurrence_cancels_only_it(client_of_record: Client, clinician: User) -> None:
    sessions = _series(clinician, client_of_record, clinician)
    services.cancel_session(actor=clinician, session=sessions[2], reason="Clinic closed")
    statuses = dict(TherapySession.objects.filter(series=sessions[0].series).values_list("pk", "status"))
    assert statuses[sessions[2].pk] == Status.CANCELLED
    assert [statuses[s.pk] for s in sessions if s.pk != sessions[2].pk] == [Status.SCHEDULED] * 3
    assert TherapySession.objects.get(pk=sessions[2].pk).cancel_reason == "Clinic closed"


def test_a_series_is_all_or_nothing_when_an_occurrence_overlaps(client_of_record: Client, clinician: User) -> None:
    starts = datetime(2027, 1, 18, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    services.schedule_session(
        actor=clinician,
        client=client_of_record,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=50),
        service="individual",
        setting="in_person",
        status=Status.SCHEDULED,
    )
    with pytest.raises(Conflict) as raised:
        _series(clinician, client_of_record, clinician)
    assert raised.value.code == "overlap"
    assert TherapySession.objects.count() == 1
    confirmed = _series(clinician, client_of_record, clinician, confirm_overlap=True)
    assert len(confirmed) == 4


def test_a_series_stops_at_the_discharge(client_of_record: Client, clinician: User) -> None:
    client_of_record.discharged_on = date(2027, 1, 10)
    client_of_record.save()
    with pytest.raises(RuleViolation) as raised:
        _series(clinician, client_of_record, clinician)
    assert raised.value.code == "client_discharged"
