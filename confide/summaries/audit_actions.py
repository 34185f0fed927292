"""Audit action codes of periodic summaries beyond those in confide/audit/actions.py (declared the same way).

Imported by confide/summaries/models.py, so they are declared whenever the app registry is loaded, before any record().
"""

from __future__ import annotations

from confide.audit.actions import ACTIONS, About, Kind, _declare

if "confide.summary.returned" not in ACTIONS:
    # The supervisor sent a supervisee's summary back to draft (like confide.progress_note.returned): no comment text.
    _declare("confide.summary.returned", Kind.CHANGE, About.RECORD, client=True, objects=("summary",))
