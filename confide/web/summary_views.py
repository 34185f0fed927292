"""Periodic progress summaries on the web: a chart's summaries and its schedule, drafting one for a span, and the
summary page — the editable text beside the sentences it was drafted from, each with links to its evidence — then
signing it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.access import allows, can, require
from confide.clients import services as clients
from confide.lib.errors import Correctable
from confide.lib.text import as_sentence
from confide.notes.models import ProgressNote
from confide.summaries import draft, services
from confide.web.guards import acting_user, signed_in
from confide.web.office_forms import DateInput, DayField


class SpanForm(forms.Form):
    period_start = DayField(label="From", widget=DateInput())
    period_end = DayField(label="To", widget=DateInput())


class ScheduleForm(forms.Form):
    summary_schedule = forms.ChoiceField(
        label="Periodic summaries",
        choices=[("", "None"), ("monthly", "Monthly"), ("quarterly", "Quarterly")],
        required=False,
    )


def _list(request: HttpRequest, client: Any, *, status: int = 200, form: SpanForm | None = None) -> HttpResponse:
    user = acting_user(request)
    today = timezone.localdate()
    if form is None:
        start, end = services.period_before(client.summary_schedule or "monthly", today)
        form = SpanForm(initial={"period_start": start, "period_end": end})
    context = {
        "client": client,
        "summaries": services.list_summaries(actor=user, client=client),
        "form": form if can(user, "summary.write", client) else None,
        "schedule": ScheduleForm(initial={"summary_schedule": client.summary_schedule})
        if can(user, "client.update", client)
        else None,
        "nav": "clients",
    }
    return render(request, "web/summaries/list.html", context, status=status)


@require_GET
@signed_in
@allows("summary.read")
def summaries_page(request: HttpRequest, client_id: int) -> HttpResponse:
    return _list(request, clients.visible_client(acting_user(request), client_id))


@require_POST
@signed_in
@allows("summary.write")
def summary_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    require(user, "summary.write", client, audit=False)  # refused before the form is read
    form = SpanForm(request.POST)
    if not form.is_valid():
        return _list(request, client, status=422, form=form)
    try:
        made = services.create_summary(
            actor=user,
            client=client,
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
        )
    except Correctable as error:
        form.add_error(None, as_sentence(error.detail))
        return _list(request, client, status=error.status, form=form)
    messages.success(request, "Drafted from the record. Review each section against its evidence, edit, then sign.")
    return redirect("web:summary", summary_id=made.pk)


@require_POST
@signed_in
@allows("client.update")
def summary_schedule(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    require(user, "client.update", client, audit=False)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        clients.update_client(
            actor=user, client=client, changes={"summary_schedule": form.cleaned_data["summary_schedule"] or None}
        )
        messages.success(request, "Summary schedule saved.")
    page = "web:summaries" if can(user, "summary.read", client) else "web:client_chart"
    return redirect(page, client_id=client.pk)


def _evidence_links(summary: Any) -> dict[tuple[str, int], str]:
    """Where each piece of evidence can be read: the note's session, the measures page, the chart."""
    ids = {e["id"] for sentences in summary.drafted.values() for s in sentences for e in s["evidence"]}
    sessions = dict(ProgressNote.objects.filter(pk__in=ids).values_list("pk", "session_id"))
    links: dict[tuple[str, int], str] = {}
    chart = reverse("web:client_chart", kwargs={"client_id": summary.client_id})
    for sentences in summary.drafted.values():
        for s in sentences:
            for e in s["evidence"]:
                key = (e["kind"], e["id"])
                if e["kind"] == "progress_note" and e["id"] in sessions:
                    links[key] = reverse("web:session", kwargs={"session_id": sessions[e["id"]]})
                elif e["kind"] == "session":
                    links[key] = reverse("web:session", kwargs={"session_id": e["id"]})
                elif e["kind"] == "measure":
                    links[key] = reverse("web:measures", kwargs={"client_id": summary.client_id})
                else:
                    links[key] = chart
    return links


WORDS = {"progress_note": "note", "session": "session", "measure": "measure", "plan": "plan", "diagnosis": "diagnosis"}


def _page(request: HttpRequest, summary: Any, *, status: int = 200, error: str = "") -> HttpResponse:
    user = acting_user(request)
    links = _evidence_links(summary)
    rows = []
    for section in draft.template().sections:
        sentences = [
            {
                "text": s["text"],
                "evidence": [
                    {"label": f"{WORDS.get(e['kind'], e['kind'])} {n}", "href": links.get((e["kind"], e["id"]), "")}
                    for n, e in enumerate(s["evidence"], 1)
                ],
            }
            for s in summary.drafted.get(section.name, [])
        ]
        rows.append({"section": section, "text": summary.sections.get(section.name, ""), "sentences": sentences})
    from confide.measures.chart import trend_svg
    from confide.measures.models import Measure

    given = Measure.objects.filter(
        client_id=summary.client_id, administered_on__range=(summary.period_start, summary.period_end)
    ).order_by("administered_on", "pk")
    charts = [
        trend_svg(code, [(m.administered_on, m.score) for m in given if m.instrument == code])
        for code in sorted({m.instrument for m in given})
    ]
    context = {
        "summary": summary,
        "client": summary.client,
        "rows": rows,
        "charts": charts,
        "may_edit": not summary.is_locked and can(user, "summary.edit", summary),
        "may_addend": summary.is_locked and can(user, "summary.addend", summary),
        "addenda": list(summary.addenda.select_related("author")),
        "may_cosign": summary.status == "awaiting_cosign" and can(user, "summary.cosign", summary),
        "error": error,
        "nav": "clients",
    }
    return render(request, "web/summaries/summary.html", context, status=status)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("summary.read")
def summary_page(request: HttpRequest, summary_id: int) -> HttpResponse:
    user = acting_user(request)
    summary = services.visible_summary(user, summary_id)
    if request.method == "GET":
        return _page(request, summary)
    names = [s.name for s in draft.template().sections]
    edited = {
        name: request.POST.get(f"section-{name}", "")[:50_000] for name in names if f"section-{name}" in request.POST
    }
    try:
        if edited:
            summary = services.edit_summary(actor=user, summary_id=summary.pk, sections=edited)
        if request.POST.get("action") == "addendum":
            services.add_addendum(actor=user, summary_id=summary.pk, text=request.POST.get("addendum", "")[:20_000])
            messages.success(request, "Addendum added.")
        elif request.POST.get("action") == "cosign":
            return _cosign_through_review(request, summary)
        elif request.POST.get("action") == "sign":
            summary = services.sign_summary(actor=user, summary_id=summary.pk)
            messages.success(request, "Signed. The summary is part of the official record.")
        else:
            messages.success(request, "Saved.")
    except Correctable as error:
        return _page(
            request, services.visible_summary(user, summary_id), status=error.status, error=as_sentence(error.detail)
        )
    return redirect("web:summary", summary_id=summary.pk)


def _cosign_through_review(request: HttpRequest, summary: Any) -> HttpResponse:
    """An older form's `action=cosign` runs the review step's rules (confide/notes/supervision.py), as a note's
    older co-sign address does: the attestation ticked, and a review recorded since the summary was last signed.
    Otherwise nothing is co-signed, and the supervisor is sent to the review step."""
    from confide.notes import services as notes
    from confide.notes import supervision
    from confide.notes.models import ReviewKind
    from confide.web.supervision_forms import AttestForm

    user = acting_user(request)
    services.visible_summary(user, summary.pk, "summary.cosign")  # only the author's supervisor, before the form
    if not AttestForm(request.POST).is_valid():
        return _page(request, summary, status=422, error="Tick the attestation to co-sign: open Review and co-sign.")
    outcome = supervision.cosign_reviewed(
        actor=user, keys=[(ReviewKind.SUMMARY, summary.pk)], attestation=notes.COSIGN_ATTESTATION
    )
    if outcome.cosigned:
        messages.success(request, "Co-signed.")
        return redirect("web:summary", summary_id=summary.pk)
    reasons = outcome.failed or ["open it in the review step first"]
    messages.error(request, "Not co-signed: " + "; ".join(reasons) + ".")
    return redirect("web:cosign_review_summary", summary_id=summary.pk)


def due_today(user: Any, today: date) -> list[services.Due]:
    """For the day view: the clinician's summaries due (none for a role without the verb)."""
    return services.due_for(user, today) if can(user, "summary.due") else []
