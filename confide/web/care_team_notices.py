"""Care-team changes someone other than the clinician of record made: shown on the chart and on that clinician's
day view, so nobody joins a client's care team (and gains the chart) without the clinician of record seeing it.

The audit log is the source: every care-team change is an entry with the client's id
(`confide.client.care_team_added`, declared in confide/audit/actions.py to appear in the access report too), so
these notices cannot drift from what the log says happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.people.models import User

CARE_TEAM_ADDED = "confide.client.care_team_added"
# The day view shows a fortnight of changes: long enough to be seen after a holiday, short enough to stay news.
DAY_VIEW_DAYS = 14
DAY_VIEW_LIMIT = 10


@dataclass(frozen=True)
class CareTeamChange:
    at: datetime
    client_id: int
    client_name: str
    changed_by: str
    added: str


def _names(user_ids: set[int]) -> dict[int, str]:
    rows = User.objects.filter(pk__in=user_ids).values_list("pk", "full_name", "username", "credentials")
    return {pk: User.display_name_of(full, name, cred) for pk, full, name, cred in rows}


def _changes(entries: list[AuditEntry], clients: dict[int, str]) -> list[CareTeamChange]:
    people = _names({int(e.object_id) for e in entries if e.object_id.isdigit()} | {e.actor_id or 0 for e in entries})
    return [
        CareTeamChange(
            at=entry.at,
            client_id=int(entry.client_id or 0),
            client_name=clients.get(int(entry.client_id or 0), ""),
            changed_by=people.get(entry.actor_id or 0, entry.actor_username),
            added=people.get(int(entry.object_id), "") if entry.object_id.isdigit() else "",
        )
        for entry in entries
    ]


def on_chart(client: Client) -> list[CareTeamChange]:
    """Every care-team change to this client not made by its clinician of record, newest first."""
    entries = list(
        AuditEntry.objects.filter(action=CARE_TEAM_ADDED, client_id=client.pk)
        .exclude(actor_id=client.primary_clinician_id)
        .order_by("-seq")
    )
    return _changes(entries, {client.pk: client.name})


def for_clinician_of_record(user: User) -> list[CareTeamChange]:
    """Recent care-team changes others made to the clients this clinician is the clinician of record for."""
    names = {client.pk: client.name for client in Client.objects.filter(primary_clinician=user)}
    if not names:
        return []
    since = timezone.now() - timedelta(days=DAY_VIEW_DAYS)
    entries = list(
        AuditEntry.objects.filter(action=CARE_TEAM_ADDED, client_id__in=list(names), at__gte=since)
        .exclude(actor_id=user.pk)
        .order_by("-seq")[:DAY_VIEW_LIMIT]
    )
    return _changes(entries, names)
