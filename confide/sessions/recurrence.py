"""Recurring sessions: which days a series falls on. Plain functions, no database.

A series is weekly or every other week, for a number of occurrences or until a date. Each occurrence keeps the
series' wall-clock time in the practice's zone, so a 09:00 series stays at 09:00 across a daylight-saving change.
Occurrences become ordinary sessions when the series is scheduled (confide/sessions/services.py), so an exception
(moving or skipping one occurrence) is a change to that one session and touches no other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.utils import timezone

from confide.lib.errors import RuleViolation

# A year of weekly sessions: a longer course is booked again when it is reviewed (and a bound keeps one request
# from writing thousands of rows).
MAX_OCCURRENCES = 52
INTERVALS = (1, 2)


@dataclass(frozen=True)
class Rule:
    first_day: date
    interval_weeks: int = 1
    count: int | None = None
    until: date | None = None

    def days(self) -> list[date]:
        return occurrence_days(self)


def check(rule: Rule) -> None:
    """Refuse a rule that is not weekly or fortnightly, has neither or both ends, or runs past MAX_OCCURRENCES."""
    if rule.interval_weeks not in INTERVALS:
        raise RuleViolation("a series repeats every week or every other week", "invalid_recurrence")
    if (rule.count is None) == (rule.until is None):
        raise RuleViolation(
            "a series ends after a number of sessions or on a date (one of the two)", "invalid_recurrence"
        )
    if rule.count is not None and not 2 <= rule.count <= MAX_OCCURRENCES:
        raise RuleViolation(f"a series has 2 to {MAX_OCCURRENCES} sessions", "invalid_recurrence")
    if rule.until is not None:
        if rule.until <= rule.first_day:
            raise RuleViolation("a series ends after its first session", "invalid_recurrence")
        weeks = (rule.until - rule.first_day).days // 7
        if weeks // rule.interval_weeks + 1 > MAX_OCCURRENCES:
            raise RuleViolation(f"a series has at most {MAX_OCCURRENCES} sessions", "invalid_recurrence")


def occurrence_days(rule: Rule) -> list[date]:
    """The days of the series, first day included, in order."""
    check(rule)
    step = timedelta(weeks=rule.interval_weeks)
    days: list[date] = []
    day = rule.first_day
    while len(days) < MAX_OCCURRENCES:
        if rule.until is not None and day > rule.until:
            break
        days.append(day)
        if rule.count is not None and len(days) == rule.count:
            break
        day += step
    return days


def at(day: date, clock: time, zone: tzinfo | None = None) -> datetime:
    """`day` at the wall-clock time `clock` in the practice's zone (settings.TIME_ZONE by default)."""
    return timezone.make_aware(datetime.combine(day, clock), zone or timezone.get_default_timezone())


def occurrences(rule: Rule, starts: time, minutes: int, zone: tzinfo | None = None) -> list[tuple[datetime, datetime]]:
    """(starts_at, ends_at) of every occurrence: the same local time and length on each day."""
    spans = []
    for day in occurrence_days(rule):
        start = at(day, starts, zone)
        spans.append((start, start + timedelta(minutes=minutes)))
    return spans
