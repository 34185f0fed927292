"""The note editor's own pages beyond saving: "start from my last note for this client".

Thin views over the plain functions in confide/notes/structure.py, which decide what is copied and audit the read
and the new draft; the view adds the step's own entry (confide.progress_note.started_from_last: both notes' ids).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from confide.access import allows
from confide.audit.services import record
from confide.lib.errors import Correctable
from confide.notes import structure
from confide.sessions.services import visible_session
from confide.web import queries
from confide.web.guards import acting_user, client_ip, signed_in


@require_POST
@signed_in
@allows("note.write")
def note_from_last(request: HttpRequest, session_id: int) -> HttpResponse:
    """A new draft for the session with the structure of the clinician's last note for the client, then the editor."""
    user = acting_user(request)
    session = visible_session(user, session_id)
    current = {o.pk for _, objectives in queries.plan_objectives(session.client) for o in objectives}
    try:
        with transaction.atomic():  # the copy and its own audit entry stand or fall together
            new, source = structure.start_from_last(
                actor=user, session=session, current_objective_ids=current, ip=client_ip(request)
            )
            # Which note the structure came from, by id (docs/editor.md): never a word of either note.
            record(
                "confide.progress_note.started_from_last",
                actor=user,
                ip=client_ip(request),
                client_id=new.client_id,
                object_type="progress_note",
                object_id=new.pk,
                detail={"source_note_id": source.pk, "format": new.format},
            )
    except Correctable as error:
        messages.error(request, error.detail[:1].upper() + error.detail[1:] + ".")
    else:
        day = dateformat.format(timezone.localtime(source.session.starts_at), "j M Y")
        messages.success(
            request,
            f"Started from your {source.format} note of {day}: its structure is copied, not its text or risk "
            "assessment. Assess risk for this session and review every part before signing.",
        )
    return redirect("web:session", session_id=session.pk)
