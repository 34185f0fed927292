"""The vault's web pages: the private-note panel on the session page, "My private notes", and one note with its
grants. HTTP only: authenticate, parse, call one service, choose the response."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from confide.access import allows
from confide.lib.errors import ConfideError, NotFound
from confide.people.models import User
from confide.vault import services
from confide.vault.boundary import boundary_warnings
from confide.vault.credential import credential_from_request
from confide.vault.errors import VaultClosed, VaultLocked
from confide.web.guards import acting_user, is_htmx, same_site_path, signed_in

View = Callable[..., HttpResponse]


def vault_errors(view: View) -> View:
    """A closed or locked vault is a state to explain, not an error page: say why and what to do."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (VaultClosed, VaultLocked) as error:
            return render(request, "vault/closed.html", {"error": error}, status=error.status)

    return guarded


def session_panel_context(request: HttpRequest, session: Any) -> dict[str, Any] | None:
    """What the session page needs for the private panel, or None when the viewer is not the session's clinician
    (then the page shows no trace of the vault)."""
    user = acting_user(request)
    if session.clinician_id != user.pk:
        return None
    status = services.vault_status(user=user, credential=credential_from_request(request))
    return {
        "session": session,
        "notes": services.notes_for_session(actor=user, session_id=session.pk),
        "vault": status,
    }


@require_GET
@signed_in
@allows("vault.note.write")
def session_panel(request: HttpRequest, session_id: int) -> HttpResponse:
    """The panel alone (htmx `hx-get`): empty for anyone but the session's clinician."""
    from confide.sessions.services import visible_session

    if not services.valid_id(session_id):
        raise NotFound("no such session")
    context = session_panel_context(request, visible_session(acting_user(request), session_id))
    if context is None:
        return HttpResponse("")
    return render(request, "vault/_session_panel.html", {"panel": context})


@require_POST
@signed_in
@allows("vault.note.write")
@vault_errors
def note_create(request: HttpRequest, session_id: int) -> HttpResponse:
    try:
        note_id, warnings = services.write_note(
            actor=acting_user(request),
            credential=credential_from_request(request),
            session=session_id,
            body=str(request.POST.get("body", "")),
        )
    except ConfideError as error:
        if error.status == 404:
            raise
        messages.error(request, error.detail)
        return HttpResponseRedirect(same_site_path(request.POST.get("next"), reverse("vault:my_notes")))
    if warnings:
        messages.warning(request, "Saved in the vault. The boundary check found content for the progress note.")
    else:
        messages.success(request, "Saved in the vault.")
    target = reverse("vault:note", args=[note_id])
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


@require_GET
@signed_in
@allows("vault.note.list")
def my_notes(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    notes = services.list_notes(actor=user, credential=credential_from_request(request))
    labels = services.note_labels(notes, acting_user(request))
    rows = [{"note": n, "label": labels.get(n.id, {})} for n in notes]
    return render(request, "vault/my_notes.html", {"rows": rows, "nav": "private_notes"})


@require_GET
@signed_in
@allows("vault.note.read")
@vault_errors
def note_page(request: HttpRequest, note_id: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    note = services.read_note(actor=user, credential=credential_from_request(request), note_id=note_id)
    context: dict[str, Any] = {
        "note": note,
        "nav": "private_notes",
        "label": services.note_labels([note], acting_user(request))[note.id],
    }
    if note.is_author:
        context["warnings"] = boundary_warnings(note.body)
        names = services.people_names([g.grantee_id for g in note.grants])
        context["grants"] = [{"grant": g, "name": names.get(g.grantee_id, "")} for g in note.grants]
        granted = {g.grantee_id for g in note.grants}
        # A supervisee is nobody's supervisor, so is never offered here (even as the author's own, should an
        # older record say so): people.services refuses to make one a supervisor.
        context["candidates"] = [
            c for c in services.grant_candidates(actor=user) if c.pk not in granted and c.supervisor_id is None
        ]
    response = render(request, "vault/note.html", context)
    response["Cache-Control"] = "no-store"  # a private note must not linger in the browser's cache
    return response


@require_POST
@signed_in
@allows("vault.grant")
@vault_errors
def grant_add(request: HttpRequest, note_id: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    try:
        grantee_id = int(str(request.POST.get("user_id", "")))
    except ValueError:
        grantee_id = 0
    try:
        services.grant(actor=user, credential=credential_from_request(request), note_id=note_id, grantee_id=grantee_id)
    except ConfideError as error:
        if error.status == 404:
            raise
        messages.error(request, error.detail)
    else:
        grantee = User.objects.filter(pk=grantee_id).first()
        messages.success(request, f"{grantee.display_name if grantee else 'The supervisor'} may now read this note.")
    return HttpResponseRedirect(reverse("vault:note", args=[note_id]))


@require_POST
@signed_in
@allows("vault.grant")
def grant_revoke(request: HttpRequest, note_id: uuid.UUID, user_id: int) -> HttpResponse:
    services.revoke(actor=acting_user(request), note_id=note_id, grantee_id=user_id)
    messages.success(request, "Access revoked.")
    return HttpResponseRedirect(reverse("vault:note", args=[note_id]))
