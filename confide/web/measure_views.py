"""Measures on the web: the chart's measures page (trends with severity bands, change since baseline, risk alerts),
recording a client's answers, making a one-time link, and the page the client answers on without an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from confide.access import PUBLIC, allows, can, require
from confide.clients import services as clients
from confide.lib.errors import Correctable, Gone, NotFound
from confide.lib.http import client_ip
from confide.lib.qr import qr_svg
from confide.lib.text import as_sentence
from confide.measures import scoring, services
from confide.measures.chart import trend_svg
from confide.web.guards import acting_user, signed_in
from confide.web.office_forms import DateInput, DayField


class AnswersForm(forms.Form):
    """One radio group per item of the instrument, each answer one of its scale's values."""

    def __init__(self, *args: Any, instrument: scoring.Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(c.value), c.label) for c in instrument.scale]
        for n, text in enumerate(instrument.items, 1):
            self.fields[f"item-{n}"] = forms.ChoiceField(
                label=f"{n}. {text}",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer for this question."},
            )

    def answers(self) -> list[int]:
        return [int(self.cleaned_data[name]) for name in self.fields if name.startswith("item-")]


class RecordForm(AnswersForm):
    administered_on = DayField(label="Given on", widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"administered_on": self.fields.pop("administered_on"), **self.fields}


def _instrument(code: str) -> scoring.Instrument:
    try:
        return scoring.instrument(code)
    except scoring.UnknownInstrument:
        raise NotFound("no such instrument") from None


def _page(request: HttpRequest, client: Any, *, status: int = 200, form: RecordForm | None = None) -> HttpResponse:
    user = acting_user(request)
    views = services.list_measures(actor=user, client=client)
    full = (bool(views) and views[0].full) or can(user, "measure.read", client)
    trends = []
    for code in sorted({v.instrument for v in views}):
        rows = [v for v in views if v.instrument == code]
        trends.append(
            {
                "instrument": scoring.instrument(code),
                "rows": rows,
                "svg": trend_svg(code, [(v.administered_on, v.score) for v in rows]) if full else "",
                "latest": rows[-1].change if full and len(rows) > 1 else None,
            }
        )
    chosen = request.GET.get("instrument") or (form.instrument_code if form else "PHQ-9")  # type: ignore[attr-defined]
    context = {
        "client": client,
        "full": full,
        "trends": trends,
        "alerts": [v for v in views if full and v.measure.open_risk_alert],
        "instruments": sorted(scoring.instruments().values(), key=lambda i: i.code),
        "may_record": can(user, "measure.record", client),
        "may_link": can(user, "measure.request", client),
        "chosen": chosen if chosen in scoring.instruments() else "PHQ-9",
        "form": form,
        "nav": "clients",
    }
    if context["may_record"] and form is None:
        inst = _instrument(context["chosen"])
        context["form"] = RecordForm(instrument=inst, initial={"administered_on": timezone.localdate()})
        context["form"].instrument_code = inst.code
    return render(request, "web/measures/page.html", context, status=status)


@require_http_methods(["GET"])
@signed_in
@allows("measure.list")
def measures_page(request: HttpRequest, client_id: int) -> HttpResponse:
    client = clients.visible_client(acting_user(request), client_id)
    return _page(request, client)


@require_POST
@signed_in
@allows("measure.record")
def measure_record(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    require(user, "measure.record", client, audit=False)  # refused before the form is read
    code = request.POST.get("instrument", "")
    if code not in scoring.instruments():
        messages.error(request, "Choose one of the instruments offered.")
        return _page(request, client, status=422)
    inst = scoring.instrument(code)
    form = RecordForm(request.POST, instrument=inst)
    form.instrument_code = inst.code  # type: ignore[attr-defined]
    if not form.is_valid():
        return _page(request, client, status=422, form=form)
    try:
        made = services.record_measure(
            actor=user,
            client=client,
            instrument=inst.code,
            answers=form.answers(),
            administered_on=form.cleaned_data["administered_on"],
        )
    except Correctable as error:
        form.add_error(None, as_sentence(error.detail))
        return _page(request, client, status=error.status, form=form)
    note = " A risk alert is open: assess suicide risk before signing the next note." if made.open_risk_alert else ""
    messages.success(request, f"{made.instrument} recorded: {made.score}, {made.severity}.{note}")
    return redirect(reverse("web:measures", kwargs={"client_id": client.pk}))


@require_POST
@signed_in
@allows("measure.request")
def measure_link_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """A one-time link for the client, shown once (with a QR code for a phone or the waiting-room tablet)."""
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    req, token = services.create_request(actor=user, client=client, instrument=request.POST.get("instrument", ""))
    link = request.build_absolute_uri(reverse("web:measure_link", kwargs={"token": token}))
    context = {"client": client, "req": req, "link": link, "qr": qr_svg(link), "nav": "clients"}
    response = render(request, "web/measures/link_made.html", context)
    response["Cache-Control"] = "no-store"  # the page holds a one-time link
    return response


@require_http_methods(["GET", "POST"])
@allows(PUBLIC)
def measure_link(request: HttpRequest, token: str) -> HttpResponse:
    """The client's page: no account, one instrument, answered once."""
    try:
        req = services.open_request(token)
    except (NotFound, Gone) as error:
        response = render(request, "web/measures/answer.html", {"dead": error}, status=error.status)
        response["Cache-Control"] = "no-store"
        return response
    inst = _instrument(req.instrument)
    form = AnswersForm(request.POST or None, instrument=inst)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_request(token, form.answers(), ip=client_ip(request))
        except Gone as error:
            return render(request, "web/measures/answer.html", {"dead": error}, status=error.status)
        response = render(request, "web/measures/answer.html", {"done": True, "instrument": inst})
    else:
        context = {"form": form, "instrument": inst}
        response = render(request, "web/measures/answer.html", context, status=422 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response
