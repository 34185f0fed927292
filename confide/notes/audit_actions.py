"""Audit action codes of the progress-note editor's own steps (declared like those in confide/audit/actions.py).

Imported by confide/notes/models.py, so they are declared whenever the app registry is loaded, before any record().
"""

from __future__ import annotations

from confide.audit.actions import ACTIONS, About, Kind, _declare

if "confide.progress_note.started_from_last" not in ACTIONS:
    # "Start from my last note" (docs/editor.md): the new draft and the note its structure came from, by id only.
    _declare(
        "confide.progress_note.started_from_last",
        Kind.CHANGE,
        About.RECORD,
        client=True,
        objects=("progress_note",),
        detail=("source_note_id", "format"),
    )
