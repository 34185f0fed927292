"""The audit action codes of backup, restore and retention (declared like those in confide/audit/actions.py).

Imported by confide/ops/models.py, so they are declared whenever the app registry is loaded, before any record().
"""

from __future__ import annotations

from confide.audit.actions import ACTIONS, About, Kind, _declare

if "confide.backup.created" not in ACTIONS:
    _declare("confide.backup.created", Kind.EXPORT, About.PRACTICE, detail=("encrypted", "files", "audit_head"))
    _declare("confide.backup.restored", Kind.CHANGE, About.PRACTICE, detail=("created_at", "audit_head", "forced"))
    # One client's official record destroyed under the retention policy: counts per category and the policy only.
    _declare(
        "confide.record.destroyed",
        Kind.CHANGE,
        About.RECORD,
        client=True,
        objects=("client",),
        detail=("counts", "policy", "last_service", "due_on", "operator"),
    )
