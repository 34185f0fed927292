"""Amendment requests on the release-of-information tab (164.526): log one, extend it, accept or deny it, take down
the client's statement of disagreement, rebut it. Each page refuses by the policy before it reads the form; the
rules are confide/amendments/services.py's, and their refusals come back beside the form that caused them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from confide.access import allows, require
from confide.amendments import services as amendments
from confide.amendments.models import AmendmentRequest
from confide.clients import services as clients
from confide.lib.errors import Correctable, NotFound
from confide.lib.text import as_sentence
from confide.web import release_forms as forms
from confide.web.guards import acting_user, signed_in
from confide.web.release_views import render_tab


def _back(client_id: int) -> HttpResponse:
    return redirect(reverse("web:release_tab", kwargs={"client_id": client_id}) + "#amend-title")


@require_POST
@signed_in
@allows("amendment.request")
def amendment_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    require(user, "amendment.request", client, audit=False)  # refused before the form is read
    form = forms.AmendmentRequestForm(request.POST, client=client)
    if not form.is_valid():
        return render_tab(request, client, status=422, amendment_form=form)
    try:
        made = amendments.request_amendment(
            actor=user,
            client=client,
            progress_note_id=int(form.cleaned_data["progress_note"]),
            received_on=form.cleaned_data["received_on"],
            requested_change=form.cleaned_data["requested_change"],
        )
    except Correctable as error:
        form.add_error(None, as_sentence(error.detail))
        return render_tab(request, client, status=error.status, amendment_form=form)
    messages.success(request, f"Amendment request logged. It must be answered by {made.due_on:%B %-d, %Y}.")
    return _back(client.pk)


def _answer(
    request: HttpRequest,
    request_id: int,
    verb: str,
    form: forms.AmendmentTextForm | forms.AmendmentDenyForm,
    act: Callable[[Any], str],
) -> HttpResponse:
    """Check `verb` on the request, read `form`, `act` on it (returning the message), and show the tab again."""
    user = acting_user(request)
    client_id = AmendmentRequest.objects.filter(pk=request_id).values_list("client_id", flat=True).first()
    if client_id is None:
        raise NotFound("no such amendment request")
    client = clients.visible_client(user, client_id)
    amendments.visible_request(user, request_id, verb)  # refused before the form is read
    if not form.is_valid():
        return render_tab(request, client, status=422, amendment_answer=form)
    try:
        said = act(form.cleaned_data)
    except Correctable as error:
        form.add_error(None, as_sentence(error.detail))
        return render_tab(request, client, status=error.status, amendment_answer=form)
    messages.success(request, said)
    return _back(client.pk)


def _text_form(request: HttpRequest, request_id: int, action: str) -> forms.AmendmentTextForm:
    return forms.AmendmentTextForm(request.POST, request_id=request_id, action=action)


@require_POST
@signed_in
@allows("amendment.decide")
def amendment_extend(request: HttpRequest, request_id: int) -> HttpResponse:
    def act(data: dict[str, Any]) -> str:
        req = amendments.extend(actor=acting_user(request), request_id=request_id, reason=data["text"])
        return f"Extended once, to {req.due_on:%B %-d, %Y}. Tell the client why in writing."

    return _answer(request, request_id, "amendment.decide", _text_form(request, request_id, "extend"), act)


@require_POST
@signed_in
@allows("amendment.decide")
def amendment_accept(request: HttpRequest, request_id: int) -> HttpResponse:
    def act(data: dict[str, Any]) -> str:
        amendments.accept(actor=acting_user(request), request_id=request_id, amendment_text=data["text"])
        return "Accepted. The amendment is linked to the note and goes with every later release of it."

    form = _text_form(request, request_id, "accept")
    return _answer(request, request_id, "amendment.decide", form, act)


@require_POST
@signed_in
@allows("amendment.decide")
def amendment_deny(request: HttpRequest, request_id: int) -> HttpResponse:
    def act(data: dict[str, Any]) -> str:
        amendments.deny(
            actor=acting_user(request), request_id=request_id, basis=data["basis"], explanation=data["text"]
        )
        return "Denied. Send the client the written denial; a statement of disagreement can be recorded here."

    form = forms.AmendmentDenyForm(request.POST, request_id=request_id)
    return _answer(request, request_id, "amendment.decide", form, act)


@require_POST
@signed_in
@allows("amendment.request")
def amendment_disagreement(request: HttpRequest, request_id: int) -> HttpResponse:
    def act(data: dict[str, Any]) -> str:
        amendments.add_disagreement(actor=acting_user(request), request_id=request_id, text=data["text"])
        return "The client's statement of disagreement is recorded beside the note."

    form = _text_form(request, request_id, "disagreement")
    return _answer(request, request_id, "amendment.request", form, act)


@require_POST
@signed_in
@allows("amendment.decide")
def amendment_rebuttal(request: HttpRequest, request_id: int) -> HttpResponse:
    def act(data: dict[str, Any]) -> str:
        amendments.add_rebuttal(actor=acting_user(request), request_id=request_id, text=data["text"])
        return "The rebuttal is recorded. Send the client a copy (164.526(d)(3))."

    form = _text_form(request, request_id, "rebuttal")
    return _answer(request, request_id, "amendment.decide", form, act)
