"""Sign-in throttling: per username across addresses, per address across usernames, a slow-down with a cap (never a
permanent lock), concurrent failures all counted, and unknown usernames costing a real password hash."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client as HttpClient
from django.utils import timezone

from confide.audit.models import AuditEntry
from confide.people import throttle
from confide.people.models import SignInThrottle, ThrottleScope, User
from tests.conftest import PASSWORD
from tests.support.hashers import FastArgon2PasswordHasher


def sign_in(username: str, password: str, address: str) -> int:
    http = HttpClient(REMOTE_ADDR=address)
    return http.post("/sign-in/", {"username": username, "password": password}).status_code


def wait_left(scope: str, key: str) -> timedelta:
    row = SignInThrottle.objects.get(scope=scope, key=key)
    assert row.locked_until is not None
    return row.locked_until - timezone.now()


def let_time_pass() -> None:
    """Every wait runs out (what a clock would do; nothing else about the rows changes)."""
    SignInThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))


@pytest.fixture(autouse=True)
def _one_factor(settings: Any) -> None:
    settings.MFA_REQUIRED_ROLES = []
    settings.LOCKOUT_THRESHOLD = 3
    settings.LOCKOUT_MINUTES = 2


def test_rotating_addresses_does_not_give_unlimited_guesses(clinician: User) -> None:
    for n in range(3):
        assert sign_in("rivera", "wrong password", f"198.51.100.{n}") == 401
    # A fourth address, even with the right password, waits: the username is slowed down everywhere.
    assert sign_in("rivera", PASSWORD, "198.51.100.99") == 401
    assert AuditEntry.objects.filter(action="confide.sign_in.throttled").exists()
    let_time_pass()
    assert sign_in("rivera", PASSWORD, "198.51.100.99") == 302


def test_the_slow_down_doubles_and_is_capped(db: None) -> None:
    waits = []
    for _ in range(12):
        throttle.note_failure("rivera", "203.0.113.5")
        let_time_pass_for_username = SignInThrottle.objects.get(scope=ThrottleScope.USERNAME, key="rivera")
        if let_time_pass_for_username.locked_until is not None:
            waits.append(round(wait_left(ThrottleScope.USERNAME, "rivera").total_seconds()))
    assert waits[:4] == [1, 2, 4, 8]
    assert max(waits) <= 120 and waits[-1] >= 119  # LOCKOUT_MINUTES is the cap


def test_no_lock_is_permanent(clinician: User) -> None:
    for _ in range(30):
        sign_in("rivera", "wrong password", "203.0.113.5")
    assert sign_in("rivera", PASSWORD, "203.0.113.5") == 401
    let_time_pass()
    assert sign_in("rivera", PASSWORD, "203.0.113.5") == 302
    # A full sign-in clears the username's count: the next mistake is not punished for the attacker's.
    assert not SignInThrottle.objects.filter(scope=ThrottleScope.USERNAME, key="rivera").exists()
    assert sign_in("rivera", "one typo", "203.0.113.5") == 401
    assert sign_in("rivera", PASSWORD, "203.0.113.5") == 302


def test_one_address_trying_many_usernames_slows_down(clinician: User, colleague: User) -> None:
    for n in range(12):  # four times the threshold, each name tried once
        assert sign_in(f"guess{n}", "password", "192.0.2.66") == 401
    assert sign_in("chen", PASSWORD, "192.0.2.66") == 401
    assert sign_in("chen", PASSWORD, "192.0.2.67") == 302  # another address is not held back


def test_a_cool_off_elsewhere_does_not_lock_a_colleague_out(clinician: User) -> None:
    for _ in range(2):
        sign_in("rivera", "wrong password", "192.0.2.1")
    assert sign_in("rivera", PASSWORD, "192.0.2.2") == 302


def test_unknown_usernames_cost_a_password_hash(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["tests.people.test_throttle.CountingHasher"]
    CountingHasher.calls = 0
    assert sign_in("nobody-here", "whatever it is", "192.0.2.9") == 401
    assert CountingHasher.calls >= 1


class CountingHasher(FastArgon2PasswordHasher):
    calls = 0

    def verify(self, password: str, encoded: str) -> bool:
        type(self).calls += 1
        return bool(super().verify(password, encoded))


@pytest.mark.django_db(transaction=True, databases=["default", "vault"])
def test_concurrent_failures_are_all_counted(settings: Any) -> None:
    # The in-memory SQLite test database is one connection that threads may not share: there the workers run one
    # after another (SQLite serializes writes anyway); on PostgreSQL they race, which is what F() must survive.
    one_connection = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]
    settings.LOCKOUT_THRESHOLD = 1000
    threads, each = 6, 10
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def fail_many(n: int) -> None:
        try:
            start.wait(timeout=30)
            for _ in range(each):
                throttle.note_failure("rivera", f"198.51.100.{n}")
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    def fail_many_here(n: int) -> None:
        for _ in range(each):
            throttle.note_failure("rivera", f"198.51.100.{n}")

    if one_connection:
        for n in range(threads):
            fail_many_here(n)
    else:
        workers = [threading.Thread(target=fail_many, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
    assert not errors, errors
    assert SignInThrottle.objects.get(scope=ThrottleScope.USERNAME, key="rivera").failures == threads * each
