"""Sign-in throttling: failures counted per username at one address, per username, and per address.

- A username at one address: LOCKOUT_THRESHOLD failures, then a cool-off of LOCKOUT_MINUTES, then counting starts
  again (someone mistyping at their own desk).
- A username from any address: past the same threshold each failure doubles the wait (1 s, 2 s, 4 s, ...), capped
  at LOCKOUT_MINUTES. Rotating addresses no longer buys unlimited guesses at one account.
- An address, for any username: the same slow-down past four times the threshold (one address trying many
  usernames; a clinic behind one NAT stays well inside it).

Nothing here is a permanent lock: the worst an attacker can do to a colleague is make them wait LOCKOUT_MINUTES.
Counts are forgotten a day after the last failure. Counters change with single UPDATE statements (F()), so
concurrent failures are each counted; `tests/people/test_throttle.py` shows it with parallel sign-ins.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from confide.people.models import SignInThrottle, ThrottleScope

FORGET_AFTER = timedelta(days=1)
ADDRESS_FACTOR = 4


def _keys(username: str, ip: str) -> list[tuple[str, str]]:
    name = username.lower()[:150]
    return [
        (ThrottleScope.PAIR, f"{name} {ip}"),
        (ThrottleScope.USERNAME, name),
        (ThrottleScope.ADDRESS, ip),
    ]


def _cap() -> timedelta:
    return timedelta(minutes=settings.LOCKOUT_MINUTES)


def _wait(scope: str, failures: int) -> timedelta | None:
    """How long to refuse further attempts after `failures` failures, or None."""
    threshold = settings.LOCKOUT_THRESHOLD * (ADDRESS_FACTOR if scope == ThrottleScope.ADDRESS else 1)
    if failures < threshold:
        return None
    if scope == ThrottleScope.PAIR:
        return _cap()
    doublings = min(failures - threshold, 30)  # 2**30 s is far past any cap; keeps the number small
    return min(timedelta(seconds=2**doublings), _cap())


def _stale(scope: str, now: datetime) -> Q:
    """A row whose count starts again: a passed cool-off (pair), or a day without failures (every scope)."""
    forgotten = Q(updated_at__lt=now - FORGET_AFTER)
    if scope == ThrottleScope.PAIR:
        return forgotten | Q(locked_until__isnull=False, locked_until__lte=now)
    return forgotten


def is_throttled(username: str, ip: str) -> bool:
    """One query: is any of the three counters waiting?"""
    match = Q()
    for scope, key in _keys(username, ip):
        match |= Q(scope=scope, key=key)
    return SignInThrottle.objects.filter(match, locked_until__gt=timezone.now()).exists()


def _count(scope: str, key: str, now: datetime) -> int:
    rows = SignInThrottle.objects.filter(scope=scope, key=key)
    stale = _stale(scope, now)
    bumped = rows.update(
        failures=Case(When(stale, then=Value(1)), default=F("failures") + 1),
        locked_until=Case(When(stale, then=Value(None)), default=F("locked_until")),
        updated_at=now,
    )
    if not bumped:
        try:
            with transaction.atomic():
                SignInThrottle.objects.create(scope=scope, key=key, failures=1, updated_at=now)
            return 1
        except IntegrityError:  # a concurrent failure created it first: count on top of theirs
            rows.update(failures=F("failures") + 1, updated_at=now)
    # Read inside the same transaction: the UPDATE holds the row, so this is our own count.
    return int(rows.values_list("failures", flat=True).get())


@transaction.atomic
def note_failure(username: str, ip: str) -> None:
    now = timezone.now()
    for scope, key in _keys(username, ip):
        wait = _wait(scope, _count(scope, key, now))
        if wait is not None:
            SignInThrottle.objects.filter(scope=scope, key=key).update(locked_until=now + wait)


def clear_failures(username: str, ip: str) -> None:
    """After a full sign-in (password and second factor): this user at this address, and this user anywhere, are
    fine. The address's own count stays: another username may still be being guessed from it."""
    pair, name, _address = _keys(username, ip)
    SignInThrottle.objects.filter(Q(scope=pair[0], key=pair[1]) | Q(scope=name[0], key=name[1])).delete()
