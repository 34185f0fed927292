"""Correcting what was entered: a client's demographics, discharge and readmission, the client's change history, and
an administrator's edit of a member of the practice.

Views are about HTTP only (docs/architecture.md): the rules (who may, what a field may hold, the supervisor rule)
are in `confide/clients/services.py` and `confide/people/services.py`; a refusal the person can fix comes back beside
the field it concerns (422), every problem at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from confide.access import allows, require
from confide.clients import services as clients
from confide.clients.models import Client
from confide.lib.errors import Correctable, NotFound
from confide.people import services as people
from confide.people.models import User
from confide.web import forms, office_forms, queries
from confide.web.guards import acting_user, client_ip, signed_in


def _page(request: HttpRequest, template: str, context: dict[str, Any], form: Form) -> HttpResponse:
    return render(request, f"web/correction/{template}", context, status=422 if form.errors else 200)


def _correctable_client(request: HttpRequest, client_id: int) -> Client:
    """The client, if this user may correct it: NotFound outside the chart, Forbidden for a chart they only read."""
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    require(user, "client.update", client, ip=client_ip(request))
    return client


@require_http_methods(["GET", "POST"])
@signed_in
@allows("client.update")
def client_edit(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _correctable_client(request, client_id)
    form = office_forms.ClientEditForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            clients.update_client(actor=acting_user(request), client=client, changes=form.changes())
        except Correctable as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Details saved. The change is in the client's history.")
            return redirect("web:client_chart", client_id=client.pk)
    return _page(request, "client_edit.html", {"form": form, "client": client, "nav": "clients"}, form)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("client.update")
def client_discharge(request: HttpRequest, client_id: int) -> HttpResponse:
    """Discharge an active client (a date and a reason); a discharged client's page offers readmission instead."""
    client = _correctable_client(request, client_id)
    form: Form
    if not client.is_active:
        form = office_forms.ReadmitForm()
        return _page(request, "discharge.html", {"form": form, "client": client, "nav": "clients"}, form)
    discharge = office_forms.DischargeForm(request.POST or None)
    if request.method == "POST" and discharge.is_valid():
        try:
            clients.discharge_client(
                actor=acting_user(request),
                client=client,
                discharged_on=discharge.cleaned_data["discharged_on"],
                reason=discharge.cleaned_data["reason"],
            )
        except Correctable as error:
            discharge.add_service_errors(error)
        else:
            messages.success(request, f"{client.name} is discharged and has left the active lists.")
            return redirect("web:client_chart", client_id=client.pk)
    context = {"form": discharge, "client": client, "nav": "clients"}
    return _page(request, "discharge.html", context, discharge)


@require_POST
@signed_in
@allows("client.update")
def client_readmit(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _correctable_client(request, client_id)
    form = office_forms.ReadmitForm(request.POST)
    if form.is_valid():
        try:
            clients.readmit_client(
                actor=acting_user(request), client=client, readmitted_on=form.cleaned_data["readmitted_on"]
            )
        except Correctable as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{client.name} is readmitted. The earlier episode stays on the chart.")
            return redirect("web:client_chart", client_id=client.pk)
    return _page(request, "discharge.html", {"form": form, "client": client, "nav": "clients"}, form)


@require_http_methods(["GET"])
@signed_in
@allows("chart.open")
def client_history(request: HttpRequest, client_id: int) -> HttpResponse:
    """Every correction of the client's record, old and new values, for the chart's readers (audited as a read)."""
    client = clients.open_chart(acting_user(request), client_id, ip=client_ip(request))
    context = {
        "client": client,
        "changes": clients.history(client),
        "episodes": clients.episodes(client),
        "nav": "clients",
    }
    return render(request, "web/correction/history.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("user.manage")
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    person = User.objects.select_related("supervisor").filter(pk=user_id).first()
    if person is None:
        raise NotFound("no such user")
    form = forms.UserEditForm(request.POST or None, person=person, supervisors=queries.supervisors())
    if request.method == "POST" and form.is_valid():
        try:
            people.update_user(actor=acting_user(request), user=person, ip=client_ip(request), **form.changes())
        except Correctable as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Saved the changes to {person.display_name}.")
            return redirect("web:user_edit", user_id=person.pk)
    context = {"form": form, "person": person, "changes": people.user_history(person), "nav": "users"}
    return _page(request, "user_edit.html", context, form)
