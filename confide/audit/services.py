"""The one door into the audit log. Call `record` inside the transaction of the change it describes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from confide.audit.chain import CHAINED_FIELDS, GENESIS, compute_mac
from confide.audit.models import AuditEntry, Outcome

# Serializes appends so the chain has one tail; held only for the length of the writing transaction.
_PG_LOCK_KEY = 0x434F4E46  # "CONF"


def _key() -> bytes:
    return str(settings.AUDIT_HMAC_KEY).encode()


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return int(actor.pk), str(actor.get_username())


def record(
    action: str,
    *,
    actor: Any,
    client_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    outcome: str = Outcome.OK,
    ip: str = "",
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry to the chain. Atomic with the caller's transaction when there is one."""
    actor_id, actor_username = _actor_fields(actor)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "mac").first()
        seq, prev_mac = (last[0] + 1, last[1]) if last else (1, GENESIS)
        fields: dict[str, Any] = {
            "seq": seq,
            "at": timezone.now().astimezone(UTC),
            "action": action,
            "outcome": str(outcome),
            "actor_id": actor_id,
            "actor_username": actor_username or username,
            "client_id": client_id,
            "object_type": object_type,
            "object_id": str(object_id) if object_id != "" else "",
            "ip": ip,
            "detail": detail or {},
        }
        mac = compute_mac(_key(), prev_mac, fields)
        return AuditEntry.objects.create(prev_mac=prev_mac, mac=mac, **fields)


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_broken_seq: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def _entries(batch: int) -> Iterator[tuple[Any, ...]]:
    columns = ("seq", *[f for f in CHAINED_FIELDS if f != "seq"], "prev_mac", "mac")
    last_seq = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq").values_list(*columns)[:batch])
        if not rows:
            return
        yield from rows
        last_seq = rows[-1][0]


def verify(*, batch: int = 20_000, progress: Any = None) -> VerifyResult:
    """Walk the chain in order; name the first entry whose MAC, link or sequence number is wrong."""
    key = _key()
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    names = ("seq", *[f for f in CHAINED_FIELDS if f != "seq"])
    for row in _entries(batch):
        fields = dict(zip(names, row[: len(names)], strict=True))
        prev_mac, mac = row[-2], row[-1]
        seq = fields["seq"]
        at = fields["at"]
        if isinstance(at, datetime):
            fields["at"] = at.astimezone(UTC)
        if seq != expected_seq:
            why = "an entry is missing before it" if seq > expected_seq else "sequence out of order"
            return VerifyResult(checked, seq, why)
        if prev_mac != expected_prev:
            return VerifyResult(checked, seq, "its link to the previous entry is broken")
        if compute_mac(key, prev_mac, fields) != mac:
            return VerifyResult(checked, seq, "its contents were changed after it was written")
        expected_prev = mac
        expected_seq += 1
        checked += 1
        if progress is not None:
            progress.update(1)
    return VerifyResult(checked, None, "")
