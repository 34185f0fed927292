"""The supervisor's co-signature queue: the list, the review step for each note or summary, co-signing (one, or
several reviewed ones at once) with an attestation, and returning a note or a summary with a comment.

HTTP only: the rules are confide/notes/supervision.py's and confide/notes/services.py's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from confide.access import allows, require
from confide.lib.errors import Correctable
from confide.lib.text import as_sentence
from confide.notes import services as notes
from confide.notes import supervision
from confide.notes.models import ProgressNote, ReviewKind
from confide.web.guards import acting_user, client_ip, signed_in
from confide.web.supervision_forms import AttestForm, ReturnForm

NAV = "cosign"


class SummaryReturnForm(ReturnForm):
    """Returning a summary: the note's form, its message naming a summary."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages["required"] = (
            "Say what needs to change: the comment is required to return a summary."
        )


def _queue_page(request: HttpRequest, *, status: int = 200, error: str = "") -> HttpResponse:
    user = acting_user(request)
    items = supervision.queue(user)
    context: dict[str, Any] = {
        "queue_items": items,
        "reviewed_count": sum(1 for i in items if i.reviewed),
        "attestation": notes.COSIGN_ATTESTATION,
        "error": error,
        "nav": NAV,
    }
    return render(request, "web/supervision/queue.html", context, status=status)


@require_GET
@signed_in
@allows("note.cosign")
def queue_page(request: HttpRequest) -> HttpResponse:
    return _queue_page(request)


def _report(request: HttpRequest, outcome: supervision.Outcome) -> None:
    if outcome.cosigned:
        messages.success(request, f"Co-signed {len(outcome.cosigned)}: " + "; ".join(outcome.cosigned) + ".")
    if outcome.not_reviewed:
        messages.error(
            request,
            "Not co-signed, because you have not opened them in the review step since they were signed: "
            + "; ".join(outcome.not_reviewed)
            + ". Open each one to review it first.",
        )
    if outcome.failed:
        messages.error(request, "Not co-signed: " + "; ".join(outcome.failed) + ".")


@require_POST
@signed_in
@allows("note.cosign")
def batch_cosign(request: HttpRequest) -> HttpResponse:
    """Co-sign the selected records the supervisor has reviewed; the server, not the form, knows which those are."""
    user = acting_user(request)
    form = AttestForm(request.POST)
    if not form.is_valid():
        return _queue_page(request, status=422, error="Tick the attestation to co-sign the notes you reviewed.")
    try:
        keys = supervision.parse_keys(request.POST.getlist("records"))
        outcome = supervision.cosign_reviewed(actor=user, keys=keys, attestation=notes.COSIGN_ATTESTATION)
    except Correctable as error:
        return _queue_page(request, status=error.status, error=as_sentence(error.detail))
    _report(request, outcome)
    return redirect("web:cosign_queue")


# --- Progress notes --------------------------------------------------------------------------------------------------


def _note_page(
    request: HttpRequest,
    note: ProgressNote,
    *,
    status: int = 200,
    attest_form: AttestForm | None = None,
    return_form: ReturnForm | None = None,
) -> HttpResponse:
    note = (
        ProgressNote.objects.select_related("session", "client", "author", "signed_by", "cosigned_by")
        .prefetch_related("objectives", "addenda__author")
        .get(pk=note.pk)
    )
    context = {
        "note": note,
        "attest_form": attest_form or AttestForm(),
        "return_form": return_form or ReturnForm(),
        "awaiting": note.status == "awaiting_cosign",
        "nav": NAV,
    }
    return render(request, "web/supervision/review_note.html", context, status=status)


@require_GET
@signed_in
@allows("note.cosign")
def review_note(request: HttpRequest, note_id: int) -> HttpResponse:
    """The review step: the note in full, the opening recorded for the batch co-signature."""
    user = acting_user(request)
    note = notes.readable_note(user, note_id)
    notes.open_for_review(actor=user, note=note, ip=client_ip(request))
    return _note_page(request, note)


@require_POST
@signed_in
@allows("note.cosign")
def cosign_note(request: HttpRequest, note_id: int) -> HttpResponse:
    user = acting_user(request)
    note = notes.readable_note(user, note_id)
    require(user, "note.cosign", note)  # refused before the form is read
    form = AttestForm(request.POST)
    if not form.is_valid():
        require(user, "note.read", note, ip=client_ip(request))  # the page shows the note again: a read
        return _note_page(request, note, status=422, attest_form=form)
    try:
        outcome = supervision.cosign_reviewed(
            actor=user, keys=[(ReviewKind.PROGRESS_NOTE, note.pk)], attestation=notes.COSIGN_ATTESTATION
        )
    except Correctable as error:
        messages.error(request, as_sentence(error.detail))
        return redirect("web:cosign_review_note", note_id=note.pk)
    _report(request, outcome)
    if not outcome.cosigned:
        return redirect("web:cosign_review_note", note_id=note.pk)
    return redirect("web:cosign_queue")


@require_POST
@signed_in
@allows("note.cosign")
def return_note(request: HttpRequest, note_id: int) -> HttpResponse:
    user = acting_user(request)
    note = notes.readable_note(user, note_id)
    require(user, "note.cosign", note)  # refused before the form is read: only the supervisor may return it
    form = ReturnForm(request.POST)
    if not form.is_valid():
        require(user, "note.read", note, ip=client_ip(request))
        return _note_page(request, note, status=422, return_form=form)
    try:
        notes.return_note(actor=user, note=note, comment=form.cleaned_data["comment"])
    except Correctable as error:
        messages.error(request, as_sentence(error.detail))
        return redirect("web:cosign_review_note", note_id=note.pk)
    messages.success(request, f"Returned to {note.author.display_name} with your comment.")
    return redirect("web:cosign_queue")


# --- Periodic summaries --------------------------------------------------------------------------------------------


def _summary_page(
    request: HttpRequest,
    summary: Any,
    *,
    status: int = 200,
    form: AttestForm | None = None,
    return_form: ReturnForm | None = None,
) -> HttpResponse:
    from confide.summaries.draft import template

    context = {
        "summary": summary,
        "sections": [(s.title, summary.sections.get(s.name, "")) for s in template().sections],
        "attest_form": form or AttestForm(),
        "return_form": return_form or SummaryReturnForm(),
        "awaiting": summary.status == "awaiting_cosign",
        "attestation": supervision.summary_attestation(summary.pk),
        "nav": NAV,
    }
    return render(request, "web/supervision/review_summary.html", context, status=status)


@require_GET
@signed_in
@allows("summary.cosign")
def review_summary(request: HttpRequest, summary_id: int) -> HttpResponse:
    user = acting_user(request)
    summary = supervision.open_summary_for_review(actor=user, summary_id=summary_id, ip=client_ip(request))
    return _summary_page(request, summary)


@require_POST
@signed_in
@allows("summary.cosign")
def cosign_summary(request: HttpRequest, summary_id: int) -> HttpResponse:
    from confide.summaries.services import visible_summary

    user = acting_user(request)
    summary = visible_summary(user, summary_id, "summary.cosign")  # refused before the form is read
    form = AttestForm(request.POST)
    if not form.is_valid():
        require(user, "summary.read", summary, ip=client_ip(request))
        return _summary_page(request, summary, status=422, form=form)
    try:
        outcome = supervision.cosign_reviewed(
            actor=user, keys=[(ReviewKind.SUMMARY, summary.pk)], attestation=notes.COSIGN_ATTESTATION
        )
    except Correctable as error:
        messages.error(request, as_sentence(error.detail))
        return redirect("web:cosign_review_summary", summary_id=summary.pk)
    _report(request, outcome)
    if not outcome.cosigned:
        return redirect("web:cosign_review_summary", summary_id=summary.pk)
    return redirect("web:cosign_queue")


@require_POST
@signed_in
@allows("summary.cosign")
def return_summary(request: HttpRequest, summary_id: int) -> HttpResponse:
    """Send a supervisee's summary back to draft with a comment: the rules of returning a note."""
    from confide.summaries import services as summaries

    user = acting_user(request)
    summary = summaries.visible_summary(user, summary_id, "summary.cosign")  # refused before the form is read
    form = SummaryReturnForm(request.POST)
    if not form.is_valid():
        require(user, "summary.read", summary, ip=client_ip(request))  # the page shows the summary again: a read
        return _summary_page(request, summary, status=422, return_form=form)
    try:
        summaries.return_summary(actor=user, summary_id=summary.pk, comment=form.cleaned_data["comment"])
    except Correctable as error:
        messages.error(request, as_sentence(error.detail))
        return redirect("web:cosign_review_summary", summary_id=summary.pk)
    messages.success(request, f"Returned to {summary.author.display_name} with your comment.")
    return redirect("web:cosign_queue")
