"""The supervisor's co-signature queue: every signed record of a supervisee awaiting this supervisor's co-signature
(progress notes and periodic summaries), the review step that records each opening, and co-signing what was
reviewed, one or several at once, with an attestation.

The rules are plain functions (tests call them directly); the pages in confide/web/supervision_views.py only parse
and call them. A batch co-signs only records the supervisor opened in the review step since their latest signing
(`CosignReview`, written by `open_for_review`/`open_summary_for_review`): the list of ids the form sends says what
the supervisor wants co-signed, never what they read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from confide.access import require, scope
from confide.lib.errors import Conflict, NotFound, RuleViolation
from confide.notes import services as notes
from confide.notes.models import CosignReview, NoteStatus, ProgressNote, ReviewKind
from confide.people.models import User

BATCH_MAX = 100  # more than any supervisor's queue; bounds the work one request may ask for


@dataclass(frozen=True)
class QueueItem:
    """One row of the queue: who signed what, for which client and when; no narrative."""

    kind: str  # a ReviewKind value
    pk: int
    supervisee: str
    client_id: int
    client_name: str
    when: date  # the session's date, or the summary's last day
    what: str  # the session's service, or the summary's span
    signed_at: datetime
    late_entry: bool
    reviewed: bool

    @property
    def key(self) -> str:
        """The value a batch form sends for this row: `progress_note:12`, `summary:3`."""
        return f"{self.kind}:{self.pk}"


def awaiting_notes(user: User) -> Any:
    return ProgressNote.objects.visible_to(user).awaiting_cosign_by(user)


def awaiting_summaries(user: User) -> Any:
    from confide.summaries.models import Summary

    return scope(user, Summary, "summary.read", to_client="client").filter(
        status=NoteStatus.AWAITING_COSIGN, author__supervisor=user
    )


def queue_count(user: User) -> int:
    """How many records wait for this user's co-signature (the navigation's badge): two counting queries."""
    if not getattr(user, "is_clinician", False) or not user.supervisees.exists():
        return 0
    return int(awaiting_notes(user).count() + awaiting_summaries(user).count())


def _reviews(user: User) -> dict[tuple[str, int], list[tuple[str, datetime]]]:
    found: dict[tuple[str, int], list[tuple[str, datetime]]] = {}
    rows = CosignReview.objects.filter(supervisor=user, cosigned_at__isnull=True).values_list(
        "kind", "object_id", "content_hash", "opened_at"
    )
    for kind, object_id, hash_then, opened_at in rows:
        found.setdefault((kind, object_id), []).append((hash_then, opened_at))
    return found


def _seen(
    reviews: dict[tuple[str, int], list[tuple[str, datetime]]],
    key: tuple[str, int],
    hash_now: str,
    signed_at: datetime | None,
) -> bool:
    return signed_at is not None and any(h == hash_now and at >= signed_at for h, at in reviews.get(key, []))


def queue(user: User) -> list[QueueItem]:
    """What awaits `user`'s co-signature, the longest-waiting first (by when it was signed): three queries."""
    reviews = _reviews(user)
    items: list[QueueItem] = []
    for n in awaiting_notes(user).select_related("session", "client", "author"):
        items.append(
            QueueItem(
                kind=ReviewKind.PROGRESS_NOTE,
                pk=n.pk,
                supervisee=n.author.display_name,
                client_id=n.client_id,
                client_name=n.client.name,
                when=timezone.localtime(n.session.starts_at).date(),
                what=n.session.get_service_display(),
                signed_at=n.signed_at or n.session.starts_at,
                late_entry=n.late_entry,
                reviewed=_seen(reviews, (ReviewKind.PROGRESS_NOTE, n.pk), n.content_hash, n.signed_at),
            )
        )
    for s in awaiting_summaries(user).select_related("client", "author"):
        items.append(
            QueueItem(
                kind=ReviewKind.SUMMARY,
                pk=s.pk,
                supervisee=s.author.display_name,
                client_id=s.client_id,
                client_name=s.client.name,
                when=s.period_end,
                what=f"Periodic summary, {s.period_start:%b} {s.period_start.day} to {s.period_end:%b} "
                f"{s.period_end.day}, {s.period_end.year}",
                signed_at=s.signed_at or timezone.now(),
                late_entry=s.late_entry,
                reviewed=_seen(reviews, (ReviewKind.SUMMARY, s.pk), s.content_hash, s.signed_at),
            )
        )
    return sorted(items, key=lambda i: (i.signed_at, i.when, i.kind, i.pk))


# --- The review step -----------------------------------------------------------------------------------------------


def open_summary_for_review(*, actor: User, summary_id: int, ip: str = "") -> Any:
    """The review step for a periodic summary: an audited read, and the opening recorded while it awaits
    co-signature."""
    from confide.summaries.services import visible_summary

    summary = visible_summary(actor, summary_id, "summary.cosign")
    require(actor, "summary.read", summary, ip=ip)
    if summary.status == NoteStatus.AWAITING_COSIGN:
        CosignReview.objects.create(
            supervisor=actor,
            kind=ReviewKind.SUMMARY,
            object_id=summary.pk,
            content_hash=summary.content_hash,
            opened_at=timezone.now(),
        )
    return summary


# --- Co-signing what was reviewed ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    cosigned: list[str] = field(default_factory=list)  # labels: "Sam Lee, LPC-A: Quinn Garcia, 4 Dec"
    not_reviewed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "label: why"


def parse_keys(values: list[str]) -> list[tuple[str, int]]:
    """`progress_note:12` / `summary:3` from a form; anything else is a RuleViolation (400-class, never a 500)."""
    if len(values) > BATCH_MAX:
        raise RuleViolation(f"co-sign at most {BATCH_MAX} records at once", "batch_too_large")
    keys: list[tuple[str, int]] = []
    for value in values:
        kind, _, number = value.partition(":")
        if kind not in ReviewKind.values or not number.isascii() or not number.isdigit() or len(number) > 18:
            raise RuleViolation("the selection names a record that is not in the queue", "invalid_selection")
        key = (kind, int(number))
        if key not in keys:
            keys.append(key)
    return keys


def _label(supervisee: str, client_name: str, when: date) -> str:
    return f"{supervisee}: {client_name}, {when:%b} {when.day}"


@transaction.atomic
def cosign_reviewed(*, actor: User, keys: list[tuple[str, int]], attestation: str) -> Outcome:
    """Co-sign each selected record that `actor` opened in the review step since its latest signing, recording the
    attestation with it. Records not opened are left waiting and named; every selected record must be one the actor
    may co-sign (a stranger's id is NotFound, and nothing is co-signed)."""
    from confide.summaries import services as summaries

    attestation = notes.clean_attestation(attestation)
    if not attestation:
        raise RuleViolation("tick the attestation to co-sign", "attestation_required")
    if not keys:
        raise RuleViolation("choose at least one reviewed record to co-sign", "nothing_selected")
    # Every check first, so that a forged id refuses the whole request before anything is signed.
    targets: list[tuple[str, Any]] = []
    for kind, pk in keys:
        if kind == ReviewKind.PROGRESS_NOTE:
            note = ProgressNote.objects.select_related("client", "session", "author").filter(pk=pk).first()
            if note is None:
                raise NotFound("no such progress note")
            require(actor, "note.cosign", note)
            targets.append((kind, note))
        else:
            summary = summaries.visible_summary(actor, pk, "summary.cosign")
            targets.append((kind, summary))
    outcome = Outcome()
    now = timezone.now()
    for kind, record in targets:
        if kind == ReviewKind.PROGRESS_NOTE:
            label = _label(
                record.author.display_name, record.client.name, timezone.localtime(record.session.starts_at).date()
            )
        else:
            label = _label(record.author.display_name, record.client.name, record.period_end)
        if record.status != NoteStatus.AWAITING_COSIGN:
            outcome.failed.append(f"{label}: it is not awaiting co-signature")
            continue
        if not notes.was_reviewed(actor, kind, record.pk, record.content_hash, record.signed_at):
            outcome.not_reviewed.append(label)
            continue
        try:
            with transaction.atomic():
                if kind == ReviewKind.PROGRESS_NOTE:
                    notes.cosign_note(actor=actor, note=record, attestation=attestation)
                else:
                    summaries.cosign_summary(actor=actor, summary_id=record.pk)
                CosignReview.objects.filter(
                    supervisor=actor, kind=kind, object_id=record.pk, cosigned_at__isnull=True
                ).update(attestation=attestation, cosigned_at=now)
        except Conflict as error:
            outcome.failed.append(f"{label}: {error.detail}")
            continue
        outcome.cosigned.append(label)
    return outcome


def summary_attestation(summary_id: int) -> str:
    """The attestation given with a summary's co-signature (its model has no column for it), or ""."""
    row = (
        CosignReview.objects.filter(kind=ReviewKind.SUMMARY, object_id=summary_id, cosigned_at__isnull=False)
        .order_by("-cosigned_at")
        .values_list("attestation", flat=True)
        .first()
    )
    return row or ""
