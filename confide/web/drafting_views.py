"""Drafting a progress note from a session transcript or jotted points (docs/drafting.md), on the session's own pages.

The transcript lives only in the drafting request and its response. It never goes into the session, the messages
framework (which is stored in the session), the database or a temporary file: uploads are held in memory and capped,
and the result page is marked no-store so the browser does not keep it either. What the clinician accepts becomes
the progress-note draft through the notes service; the private draft goes to the vault through its service.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from io import BytesIO
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from confide.access import allows
from confide.drafts import services as drafts
from confide.drafts.services import draft_for_session
from confide.lib.errors import ConfideError, Forbidden, RuleViolation
from confide.notes.formats import NoteFormat, formats, get_format
from confide.sessions.models import TherapySession
from confide.sessions.services import visible_session
from confide.vault import services as vault
from confide.vault.credential import credential_from_request
from confide.web import queries
from confide.web.forms import SECTION_CHARS, typed_text
from confide.web.guards import View, acting_user, is_htmx, signed_in

# A 7,000-word session is about 45 KB as WebVTT; a megabyte leaves room for long group sessions and noisy exports.
MAX_TRANSCRIPT_BYTES = 1_000_000

TRANSCRIPT_KINDS = [
    ("auto", "A transcript — recognize the kind for me", "WebVTT (Zoom, Teams, Meet), SRT, or “Speaker: text” lines."),
    ("vtt", "A WebVTT file", "As exported by Zoom, Teams or Meet."),
    ("srt", "An SRT subtitle file", "Numbered cues with timings."),
    ("text", "Plain “Speaker: text” lines", "One turn per line, e.g. “Client: I slept badly.”"),
    ("points", "My own jotted points", "Bullets or a few lines of dictation. No transcription consent is needed."),
]

POLARITY = {
    "endorsed": ("Endorsed", "endorsed"),
    "denied": ("Denied", "denied"),
    "past": ("In the past", "past"),
    "hypothetical": ("Hypothetical", "hypothetical"),
    "other": ("About someone else", "other"),
    "figurative": ("Figure of speech", "other"),
    "equivocal": ("Unclear — ask again", "equivocal"),
}
RISK_TITLES = {
    "suicidal_ideation": "Suicidal ideation",
    "homicidal_ideation": "Homicidal ideation",
    "self_harm": "Self-harm",
}
# The engine's name and version are recorded on the note as they came back from the engine; bound their shape.
ENGINE_FIELD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$")


# --- Guards and the upload handler ---------------------------------------------------------------------------------


def session_clinician(view: Callable[..., HttpResponse]) -> View:
    """Only the session's own clinician drafts its note: a session they cannot see is 404, one they can see (a
    supervisor's, a care-team colleague's) but do not hold is 403. The view receives the session itself."""

    @wraps(view)
    def guarded(request: HttpRequest, session_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        user = acting_user(request)
        session = visible_session(user, session_id)
        if session.clinician_id != user.pk:
            raise Forbidden("only the session's clinician drafts its note")
        return view(request, session, *args, **kwargs)

    return guarded


class TranscriptUploadHandler(FileUploadHandler):
    """Keeps an uploaded transcript in memory, up to MAX_TRANSCRIPT_BYTES. Django's default handlers would write a
    larger upload to a temporary file on disk, and a transcript must not touch the disk."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large = False
        self.buffer = bytearray()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = bytearray()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > MAX_TRANSCRIPT_BYTES:
            self.too_large = True
            self.buffer = bytearray()
            raise SkipFile()
        self.buffer.extend(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        return InMemoryUploadedFile(
            BytesIO(bytes(self.buffer)),
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


def memory_only_uploads(view: View) -> View:
    """Swap in the in-memory upload handler before anything reads the request body."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers = [TranscriptUploadHandler(request)]
        return view(request, *args, **kwargs)

    return guarded


def _uploaded_too_large(request: HttpRequest) -> bool:
    return any(getattr(h, "too_large", False) for h in request.upload_handlers)


# --- The request form ----------------------------------------------------------------------------------------------


class DraftRequestForm(forms.Form):
    note_format = forms.ChoiceField(choices=[])
    transcript_format = forms.ChoiceField(choices=[(code, title) for code, title, _ in TRANSCRIPT_KINDS])
    transcript = forms.CharField(required=False, strip=False, max_length=MAX_TRANSCRIPT_BYTES)
    transcript_file = forms.FileField(required=False)

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        field = self.fields["note_format"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(f.code, f.title) for f in formats().values()]

    def clean_transcript_file(self) -> str:
        upload = self.cleaned_data.get("transcript_file")
        if self.too_large:
            raise forms.ValidationError("The file is larger than 1 MB. Trim it, or paste the part you need.")
        if not upload:
            return ""
        try:
            return bytes(upload.read()).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not text Confide can read (UTF-8). Export the transcript as .vtt, .srt or .txt."
            ) from None

    def text(self) -> str:
        return str(self.cleaned_data.get("transcript_file") or self.cleaned_data.get("transcript") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not self.text().strip():
            raise forms.ValidationError("Upload a transcript file, paste a transcript, or type your jotted points.")
        return cleaned


# --- What the result page shows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftedSection:
    name: str
    title: str
    sentences: list[dict[str, Any]]
    text: str
    existing: str


def _sentence(item: dict[str, Any]) -> dict[str, Any]:
    evidence = [str(e) for e in item.get("evidence", [])]
    return {"text": str(item.get("text", "")), "evidence": evidence, "anchor": evidence[0] if evidence else ""}


def _clock(seconds: object) -> str:
    if not isinstance(seconds, int | float):
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def _risk_flag(flag: dict[str, Any]) -> dict[str, Any]:
    label, tone = POLARITY.get(str(flag.get("polarity")), (str(flag.get("polarity", "")).capitalize(), "other"))
    details = []
    if flag.get("passive"):
        details.append("passive")
    for key in ("plan", "intent"):
        if flag.get(key) is True:
            details.append(f"{key} stated")
        elif flag.get(key) is False:
            details.append(f"no {key}")
    if flag.get("means"):
        details.append("means: " + ", ".join(str(m) for m in flag["means"]))
    if flag.get("protective_factors"):
        details.append("protective factors: " + ", ".join(str(p) for p in flag["protective_factors"]))
    evidence = [str(e) for e in flag.get("evidence", [])]
    return {
        "title": RISK_TITLES.get(str(flag.get("type")), str(flag.get("type", "")).replace("_", " ").capitalize()),
        "polarity": label,
        "tone": tone,
        "details": "; ".join(details),
        "evidence": evidence,
        "anchor": evidence[0] if evidence else "",
    }


def result_context(note_format: NoteFormat, body: dict[str, Any], existing: Any) -> dict[str, Any]:
    """The draft as the page shows it: sections of linked sentences, the transcript, risk flags by polarity."""
    drafted = body["progress_note"]["sections"]
    existing_sections = existing.sections if existing is not None else {}
    sections = []
    for section in note_format.sections:
        sentences = [_sentence(item) for item in drafted.get(section.name, [])]
        sections.append(
            DraftedSection(
                name=section.name,
                title=section.title,
                sentences=sentences,
                text="\n".join(s["text"] for s in sentences),
                existing=str(existing_sections.get(section.name, "")).strip(),
            )
        )
    private = [_sentence(item) for item in body.get("private_draft", [])]
    return {
        "sections": sections,
        "private": private,
        "private_text": "\n".join(s["text"] for s in private),
        # Context (a figure of speech, someone else's ideation) is listed with the risk statements, labeled as such.
        "risk_flags": [_risk_flag(flag) for flag in [*body.get("risk_flags", []), *body.get("risk_context", [])]],
        "utterances": [
            {**u, "clock": _clock(u.get("start")), "role_label": str(u.get("role", "")).replace("_", " ")}
            for u in body.get("utterances", [])
        ],
        "engine": str(body.get("engine", "")),
        "engine_version": str(body.get("engine_version", "")),
        "dropped": len(body.get("dropped", [])),
        "proposed": _proposed(body.get("proposed") or {}),
    }


def _proposed(proposed: dict[str, Any]) -> dict[str, Any]:
    """The draft's proposals as the accept form offers them: each one a checkbox the clinician ticks to confirm."""
    risk = []
    for domain, entry in (proposed.get("risk") or {}).items():
        if not isinstance(entry, dict):
            continue
        shown = [k for k in ("plan", "intent", "means") if entry.get(k)]
        evidence = [str(e) for e in (proposed.get("risk_evidence") or {}).get(domain, [])]
        risk.append(
            {
                "domain": domain,
                "title": RISK_TITLES.get(domain, domain.replace("_", " ").capitalize()),
                "level": str(entry.get("level", "")),
                "flags": {k: bool(entry.get(k)) for k in ("plan", "intent", "means")},
                "details": ", ".join(shown),
                "evidence": evidence,
            }
        )
    return {
        "risk": risk,
        "protective_factors": str((proposed.get("risk") or {}).get("protective_factors", "")),
        "interventions": [str(i.get("name", "")) for i in proposed.get("interventions") or [] if i.get("name")],
        "mental_status": [
            {"domain": domain, "label": domain.replace("_", " ").capitalize(), "finding": str(e.get("finding", ""))}
            for domain, e in (proposed.get("mental_status") or {}).items()
        ],
        "measures": [
            {"instrument": str(m.get("instrument", "")), "score": m.get("score")}
            for m in proposed.get("measures") or []
        ],
    }


def confirmed_fields(post: Any) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The proposals the clinician ticked, as the note services take them (they validate every value)."""
    risk: dict[str, Any] = {}
    for domain in post.getlist("use-risk"):
        domain = str(domain)
        risk[domain] = {
            "level": str(post.get(f"risk-{domain}-level", "")),
            **{flag: post.get(f"risk-{domain}-{flag}") == "true" for flag in ("plan", "intent", "means")},
        }
    if post.get("use-protective") == "on":
        risk["protective_factors"] = typed_text(post, "protective_factors", 2000)
    mental_status = {str(d): typed_text(post, f"ms-{d}", 500) for d in post.getlist("use-ms")}
    interventions = [str(i)[:500] for i in post.getlist("use-intervention")][:50]
    return risk, mental_status, interventions


# --- Views -----------------------------------------------------------------------------------------------------------


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    template = "web/drafting/draft.html#workspace" if is_htmx(request) else "web/drafting/draft.html"
    response = render(request, template, {"nav": "day", **context}, status=status)
    response["Cache-Control"] = "no-store"  # the page carries the transcript: the browser must not keep it
    return response


@csrf_exempt  # only so the upload handler is in place before the CSRF check reads the body; csrf_protect follows
@require_http_methods(["GET", "POST"])
@signed_in
@allows("note.draft")
@memory_only_uploads
@csrf_protect
@never_cache
@session_clinician
def draft_session(request: HttpRequest, session: TherapySession) -> HttpResponse:
    """GET: the form (upload, paste or jot; choose the format). POST: the draft beside the transcript."""
    user = acting_user(request)
    existing = queries.session_notes(user, session).my_draft
    default_format = existing.format if existing is not None else request.GET.get("format", "SOAP")
    context: dict[str, Any] = {"session": session, "existing": existing, "kinds": TRANSCRIPT_KINDS}
    if request.method == "GET":
        form = DraftRequestForm(initial={"note_format": default_format, "transcript_format": "auto"})
        return _page(request, {**context, "form": form})
    form = DraftRequestForm(request.POST, request.FILES, too_large=_uploaded_too_large(request))
    if not form.is_valid():
        return _page(request, {**context, "form": form}, status=422)
    note_format = get_format(form.cleaned_data["note_format"])
    try:
        body = draft_for_session(
            actor=user,
            session=session,
            transcript=form.text(),
            transcript_format=form.cleaned_data["transcript_format"],
            note_format=note_format.code,
        )
    except RuleViolation as error:
        refusal = {"code": error.code, "detail": error.detail, "line": getattr(error.__cause__, "line", None)}
        return _page(request, {**context, "form": form, "refusal": refusal}, status=error.status)
    result = result_context(note_format, body, existing)
    return _page(request, {**context, "form": form, "format": note_format, "draft": result})


@require_POST
@signed_in
@allows("note.draft")
@session_clinician
def draft_accept(request: HttpRequest, session: TherapySession) -> HttpResponse:
    """Use this draft: start the session's progress note from it, or fill the clinician's open draft."""
    user = acting_user(request)
    code = str(request.POST.get("note_format", ""))
    engine, version = str(request.POST.get("engine", "")), str(request.POST.get("engine_version", ""))
    if code not in formats() or not (ENGINE_FIELD.match(engine) and ENGINE_FIELD.match(version)):
        raise RuleViolation("the drafted note came back incomplete; draft it again", "invalid_draft")
    note_format = get_format(code)
    # The same bounds as the note editor: NUL or over-long text is a 400 with the reason, never a 500.
    sections = {s.name: typed_text(request.POST, f"section-{s.name}", SECTION_CHARS) for s in note_format.sections}
    risk, mental_status, interventions = confirmed_fields(request.POST)
    drafts.accept_draft(
        actor=user,
        session=session,
        note_format=note_format.code,
        sections=sections,
        drafted_with={"engine": engine, "version": version},
        risk=risk,
        mental_status=mental_status,
        interventions=interventions,
    )
    messages.success(
        request, "The drafted text is in your progress note. Check it, record the risk assessment, and sign when ready."
    )
    return redirect("web:session", session_id=session.pk)


@require_POST
@signed_in
@allows("vault.note.write")
@session_clinician
def draft_save_private(request: HttpRequest, session: TherapySession) -> HttpResponse:
    """The private draft goes to the author's vault as a psychotherapy note, never to the record."""
    try:
        note_id, warnings = vault.write_note(
            actor=acting_user(request),
            credential=credential_from_request(request),
            session=session.pk,
            body=str(request.POST.get("body", "")),
        )
    except ConfideError as error:
        if error.status in (403, 404):
            raise
        context = {"session": session, "private_error": error.detail}
        if is_htmx(request):
            return render(request, "web/drafting/draft.html#private_saved", context, status=error.status)
        return render(request, "web/error.html", {"error": error}, status=error.status)
    if is_htmx(request):
        context = {"session": session, "saved_note_id": note_id, "warnings": warnings}
        return render(request, "web/drafting/draft.html#private_saved", context)
    messages.success(request, "The private draft is saved in your vault.")
    return HttpResponseRedirect(reverse("vault:note", args=[note_id]))
