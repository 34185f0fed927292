"""Never lose what a clinician typed: the note editor's autosave, its format switch, and the idle keep-alive.

Autosave and the format switch save through the same note services as the editor's "Save draft" (`start_note`,
`edit_note`), so a draft saved while typing is the draft the clinician reviews and signs. The keep-alive is what
"Stay signed in" and typing outside the editor send; it is a request like any other, so the idle middleware
(confide/people/middleware.py) counts it, while background polls still do not.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_http_methods, require_POST

from confide.access import allows
from confide.lib.errors import ConfideError, NotFound
from confide.notes import services as notes
from confide.notes.formats import NoteFormat, get_format
from confide.notes.models import ProgressNote
from confide.people.middleware import idle_remaining, is_background, record_activity
from confide.people.models import User
from confide.sessions.models import TherapySession
from confide.sessions.services import visible_session
from confide.web import forms, views
from confide.web.guards import acting_user, is_htmx, signed_in

# --- Carrying text from one note format to another -------------------------------------------------------------------


def _closest(section: Any, candidates: list[Any], filled: set[str]) -> Any:
    """The new section that draws on the most of what the old one did; an empty one wins a tie, then the first."""

    def score(candidate: Any) -> tuple[int, int, int]:
        overlap = len(set(section.draws_on) & set(candidate.draws_on))
        return (overlap, candidate.name not in filled, -candidates.index(candidate))

    return max(candidates, key=score)


def carry_sections(
    old: NoteFormat, new: NoteFormat, sections: dict[str, str]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The typed sections in the new format, and (old title, new title) for each section moved rather than kept.

    A section both formats have keeps its text. Any other text goes, under its old heading, into the new section
    that covers the same ground (formats.toml's `draws_on`), so nothing typed is dropped and the move is visible.
    """
    carried = {s.name: sections.get(s.name, "") for s in new.sections if sections.get(s.name, "").strip()}
    new_names = set(new.section_names)
    moved: list[tuple[str, str]] = []
    for section in old.sections:
        text = sections.get(section.name, "").strip()
        if section.name in new_names or not text:
            continue
        target = _closest(section, list(new.sections), set(carried))
        labelled = f"{section.title} (from {old.code}):\n{text}"
        carried[target.name] = f"{carried[target.name]}\n\n{labelled}" if carried.get(target.name) else labelled
        moved.append((section.title, target.title))
    return {name: carried.get(name, "") for name in new.section_names}, moved


# --- Saving the draft ------------------------------------------------------------------------------------------------


def _open_draft(user: User, session: TherapySession, note_id: str) -> ProgressNote | None:
    """The draft the editor is on (its hidden `note` field), or None when the editor has not saved yet."""
    if not note_id:
        return None
    if not (note_id.isascii() and note_id.isdigit()) or len(note_id) > 12:  # "²".isdigit() is true
        raise NotFound("no such note")
    note = notes.readable_note(user, int(note_id))
    if note.session_id != session.pk:
        raise NotFound("no such note")
    return note


def _typed_anything(payload: forms.NotePayload) -> bool:
    """Whether the editor holds anything at all: an untouched editor switching format creates no draft."""
    return bool(
        any(v.strip() for v in payload.sections.values())
        or any(v.strip() for v in payload.mental_status.values())
        or payload.risk
        or payload.interventions
        or payload.objective_ids
    )


def _save(
    user: User,
    session: TherapySession,
    note: ProgressNote | None,
    note_format: NoteFormat,
    payload: forms.NotePayload,
) -> ProgressNote:
    if note is None:
        return notes.start_note(
            actor=user,
            session=session,
            format=note_format.code,
            **payload.fields(),
        )
    return notes.edit_note(
        actor=user,
        note=note,
        format=note_format.code,
        **payload.fields(),
    )


def _refused(error: ConfideError) -> JsonResponse:
    return JsonResponse({"error": error.code, "detail": error.detail}, status=error.status)


@require_POST
@signed_in
@allows("note.write")
def note_autosave(request: HttpRequest, session_id: int) -> HttpResponse:
    """Save the editor as it stands, creating the session's draft on the first save. Answers JSON for the script."""
    user = acting_user(request)
    session = visible_session(user, session_id)
    note = _open_draft(user, session, request.POST.get("note", ""))
    note_format = get_format(note.format) if note else forms.format_choice(request.POST.get("format"))
    payload = forms.note_payload(request.POST, note_format)
    try:
        note = _save(user, session, note, note_format, payload)
    except ConfideError as error:
        if error.status in (403, 404):
            raise
        return _refused(error)
    return JsonResponse(
        {
            "note": note.pk,
            "save_url": reverse("web:note_save", args=[note.pk]),
            "saved_at": formats.time_format(timezone.localtime().time()),  # the practice's style (DATE_STYLE)
        }
    )


@require_POST
@signed_in
@allows("note.write")
def note_format(request: HttpRequest, session_id: int) -> HttpResponse:
    """Switch the editor to another format, keeping the text: shared sections stay, the rest moves, marked.

    A draft takes the new format at once (so autosave and sign see one format); an editor with nothing typed
    yet only shows the new format's sections, and creates no draft.
    """
    user = acting_user(request)
    session = visible_session(user, session_id)
    note = _open_draft(user, session, request.POST.get("note", ""))
    old = get_format(note.format) if note else forms.format_choice(request.POST.get("format"))
    new = forms.format_choice(request.POST.get("new_format"), default=old.code)
    typed = forms.note_payload(request.POST, old)
    sections, moved = carry_sections(old, new, typed.sections)
    payload = forms.NotePayload(sections, typed.risk, typed.mental_status, typed.interventions, typed.objective_ids)
    if note is not None or _typed_anything(payload):
        try:
            note = _save(user, session, note, new, payload)
        except ConfideError as error:
            if error.status in (403, 404):
                raise
            return views._rejected(request, session, error, note=note, format_code=old.code, payload=typed)
    if not is_htmx(request):
        for old_title, new_title in moved:
            messages.info(request, f"Text from {old_title} is now in {new_title}, under its old heading.")
        target = reverse("web:session", args=[session.pk])
        return redirect(target if note else f"{target}?format={new.code}")
    editor = views._editor(request, session, note=note, format_code=new.code, payload=None if note else payload)
    editor["moved"] = moved
    if note is not None:
        editor["saved_at"] = timezone.localtime()
    return render(request, "web/session.html#editor", {"editor": editor, "session": session})


# --- Idle keep-alive -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@signed_in
@allows("account.self")
def activity(request: HttpRequest) -> HttpResponse:
    """GET (sent as a background request): how long this session has left. POST: the user is here, restart it.

    The middleware has already counted a non-background request; a POST also restarts the clock inside the
    once-a-minute granularity, because "Stay signed in" must buy the full limit.
    """
    if request.method == "POST" and not is_background(request):
        record_activity(request, force=True)
    return JsonResponse({"remaining": idle_remaining(request)})
