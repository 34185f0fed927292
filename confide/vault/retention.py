"""When a client's psychotherapy notes are due for destruction (crypto-shredding), per the practice's policy.

The default is the APA's where state law sets nothing: 7 years after the last service for an adult, 3 years after
the age of majority for a minor, whichever is later. A legal hold overrides destruction. The numbers are settings
(state law may be stricter): VAULT_RETENTION_ADULT_YEARS, VAULT_RETENTION_MINOR_YEARS, AGE_OF_MAJORITY.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Max
from django.utils import timezone


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def destruction_date(*, date_of_birth: date, last_service: date) -> date:
    adult_years = settings.VAULT_RETENTION_ADULT_YEARS
    minor_years = settings.VAULT_RETENTION_MINOR_YEARS
    majority = settings.AGE_OF_MAJORITY
    after_service = _years_after(last_service, adult_years)
    after_majority = _years_after(_years_after(date_of_birth, majority), minor_years)
    return max(after_service, after_majority)


@dataclass(frozen=True)
class DueNote:
    note_id: str
    client_id: int
    session_date: date
    destroy_on: date


def due_notes(*, today: date | None = None) -> tuple[list[DueNote], list[int]]:
    """(notes due for shredding, client ids held back by a legal hold)."""
    from confide.clients.models import Client
    from confide.sessions.models import TherapySession
    from confide.vault.services import live_notes_by_client

    today = today or timezone.localdate()
    by_client = live_notes_by_client()
    clients = {c.pk: c for c in Client.objects.filter(pk__in=list(by_client))}
    last_sessions = dict(
        TherapySession.objects.filter(client_id__in=list(by_client))
        .values("client_id")
        .annotate(last=Max("starts_at"))
        .values_list("client_id", "last")
    )
    due: list[DueNote] = []
    held: list[int] = []
    for client_id, notes in sorted(by_client.items()):
        client = clients.get(client_id)
        last_note = max(session_date for _, session_date in notes)
        last_session = last_sessions.get(client_id)
        last_service = max(last_note, timezone.localdate(last_session)) if last_session else last_note
        if client is None:
            # The chart is gone (destroyed under its own policy): keep counting from the last service we know of.
            destroy_on = destruction_date(date_of_birth=date(1900, 1, 1), last_service=last_service)
        else:
            if bool(getattr(client, "legal_hold", False)):
                held.append(client_id)
                continue
            destroy_on = destruction_date(date_of_birth=client.date_of_birth, last_service=last_service)
        if destroy_on <= today:
            due.extend(DueNote(note_id, client_id, session_date, destroy_on) for note_id, session_date in notes)
    return due, held
