"""Lag-tolerant reads from a PostgreSQL streaming replica, by explicit opt-in only (docs/operations.md, "A streaming
replica").

Nothing reads from the replica unless the code says so, around a read that may be a few seconds behind:

    with replica_reads():
        rows = list(queries.billing_sessions(user, filters))

Even inside such a block a read stays on the primary when it must see the present (`read_alias`): sign-in, sessions,
MFA devices and API tokens (`people`, `auth`, `sessions`, `otp_*`), the audit chain (its tail decides the next entry,
and a lagging copy would look like a cut-off tail to `confide audit verify`), the vault (its own database), any read
inside a transaction (it may be about to write, or must see what it wrote), and every read after this request wrote
anything (read-your-writes). Writes are never routed here: `db_for_write` answers None, so the vault's router decides.

With no `REPLICA_DATABASE_URL` there is no `replica` alias and every answer is None: SQLite and single-PostgreSQL
installations route exactly as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA_DB = "replica"
# Apps whose rows are read only from the primary, opt-in or not: who may sign in and with what (a password changed,
# a token revoked, a session ended a second ago must count now), the audit chain, the vault.
PRIMARY_ONLY_APPS = frozenset({"people", "auth", "sessions", "otp_totp", "otp_static", "django_otp", "audit", "vault"})

# A standby that cannot be reached is left alone this long and its reads go to the primary meanwhile: a page that
# may lag need not fail because the copy is down (30 s: long enough not to retry on every request, short enough
# that a restarted standby is used again soon).
DOWN_SECONDS = 30.0

_opted_in: ContextVar[bool] = ContextVar("confide_replica_reads", default=False)
_wrote: ContextVar[bool] = ContextVar("confide_wrote", default=False)
_down_until = 0.0


def read_alias(app_label: str, *, opted_in: bool, wrote: bool, in_transaction: bool, configured: bool) -> str | None:
    """Where one read goes: the replica only when a replica is configured, the code opted in, the model may lag,
    nothing was written in this request and no transaction is open; otherwise None (the next router decides)."""
    if configured and opted_in and not wrote and not in_transaction and app_label not in PRIMARY_ONLY_APPS:
        return REPLICA_DB
    return None


def replica_configured() -> bool:
    return REPLICA_DB in connections.settings


def replica_reachable() -> bool:
    """Whether the standby answers a connection; if not, say so once in the log and skip it for DOWN_SECONDS."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    connection = connections[REPLICA_DB]
    try:
        connection.close_if_health_check_failed()  # once a request (conn_health_checks): a standby that went away
        connection.ensure_connection()
    except DatabaseError as error:
        _down_until = time.monotonic() + DOWN_SECONDS
        log.warning(
            "the replica cannot be reached (%s); its reads use the primary for %d s", type(error).__name__, DOWN_SECONDS
        )
        return False
    return True


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let the reads inside this block come from the replica (a no-op without one). For pages and reports that may
    be a few seconds behind and that write nothing the block's reads decide: never an access check before a write."""
    token = _opted_in.set(True)
    try:
        yield
    finally:
        _opted_in.reset(token)


def forget_writes(**_: Any) -> None:
    """A new unit of work: reads may use the replica again. Called when each request starts; a long-running job
    that opts in may call it between units."""
    _wrote.set(False)


def wrote() -> bool:
    """Whether this request (or unit of work) has written: its later reads all go to the primary."""
    return _wrote.get()


request_started.connect(forget_writes, dispatch_uid="confide.lib.replica.forget_writes")


class ReplicaRouter:
    """Comes first in DATABASE_ROUTERS: it answers only for opted-in reads and the replica's migrations, and
    leaves everything else to `confide.vault.router.VaultRouter`."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _opted_in.get():  # the common case, one context-variable read
            return None
        alias = read_alias(
            model._meta.app_label,
            opted_in=True,
            wrote=_wrote.get(),
            in_transaction=connections[DEFAULT_DB_ALIAS].in_atomic_block,
            configured=replica_configured(),
        )
        return alias if alias is None or replica_reachable() else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        _wrote.set(True)  # the audit append asks too (confide/audit/services.py), so an audited request counts
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if db == REPLICA_DB else None  # a standby is read-only: it replays the primary's schema
