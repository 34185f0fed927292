"""Which router serves which part of /api/v1/. Each domain app owns its router in its own `api.py`."""

from __future__ import annotations

from ninja import Router

from confide.amendments.api import router as amendments
from confide.audit.api import router as audit
from confide.clients.api import router as clients
from confide.disclosures.api import router as disclosures
from confide.drafts.api import router as drafts
from confide.measures.api import router as measures
from confide.notes.api import router as notes
from confide.people.api import router as people
from confide.plans.api import router as plans
from confide.sessions.api import router as sessions
from confide.summaries.api import router as summaries
from confide.vault.api import router as vault

ROUTERS: list[tuple[str, Router]] = [
    ("", people),
    ("", clients),
    ("", sessions),
    ("", plans),
    ("", notes),
    ("", audit),
    ("", vault),
    ("", drafts),
    ("", disclosures),
    ("", amendments),
    ("", measures),
    ("", summaries),
]
