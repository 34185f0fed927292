"""The front office: registering clients, care teams, contacts, consents, scheduling and attendance, diagnoses and
treatment plans, one's own password, and deactivating people who left.

Views are about HTTP only (docs/architecture.md): parse a form, call one service, choose the response. A rule a service
refuses comes back as a form error (422); NotFound and Forbidden become the 404 and 403 pages through the web error
middleware (confide/web/guards.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.access import allows, can, require
from confide.clients import services as clients
from confide.clients.models import Client, Consent
from confide.lib.errors import Conflict, Correctable, NotFound, Unauthorized
from confide.lib.text import as_sentence
from confide.people import services as people
from confide.people.models import User
from confide.plans import icd10
from confide.plans import services as plans
from confide.sessions import services as sessions
from confide.sessions.models import Status
from confide.web import office_forms as forms
from confide.web import queries
from confide.web.guards import acting_user, client_ip, signed_in


def _page(request: HttpRequest, template: str, context: dict[str, Any], form: Form, status: int = 0) -> HttpResponse:
    return render(request, f"web/office/{template}", context, status=status or (422 if form.errors else 200))


def _consents_of(client: Client) -> QuerySet[Consent]:
    return client.consents.select_related("recorded_by").order_by("-signed_on", "-recorded_at")


# --- Registering a client and the chart's front-office forms -------------------------------------------------------


@require_http_methods(["GET", "POST"])
@signed_in
@allows("client.register")
def client_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = clients.register_client(
                actor=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                primary_clinician_id=data["primary_clinician"].pk,
                part2=data["part2"],
                **form.demographics(),
            )
        except Correctable as error:
            form.add_service_errors(error)  # beside the fields it names, every one at once
        else:
            messages.success(request, f"Registered {client.name}.")
            if not can(user, "chart.open", client):
                return redirect("web:users")  # administrators see no chart
            return redirect("web:client_chart", client_id=client.pk)
    return _page(request, "client_new.html", {"form": form, "nav": "clients"}, form)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("care_team.add")
def care_team_add(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    form = forms.CareTeamForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            clients.add_to_care_team(actor=user, client=client, clinician_id=form.cleaned_data["clinician"].pk)
        except Correctable as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, f"Added {form.cleaned_data['clinician'].display_name} to the care team.")
            return redirect("web:client_chart", client_id=client.pk)
    return _page(request, "care_team.html", {"form": form, "client": client, "nav": "clients"}, form)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("contact.add")
def contact_add(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clients.add_contact(actor=user, client=client, **form.cleaned_data)
        except Correctable as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, "Contact added.")
            return redirect("web:client_chart", client_id=client.pk)
    return _page(request, "contact.html", {"form": form, "client": client, "nav": "clients"}, form)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("consent.record")
def consents(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    form = forms.ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clients.record_consent(actor=user, client=client, **form.cleaned_data)
        except Correctable as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("web:office_consents", client_id=client.pk)
    context = {"form": form, "client": client, "consents": _consents_of(client), "nav": "clients"}
    return _page(request, "consents.html", context, form)


@require_POST
@signed_in
@allows("consent.record")
def consent_revoke(request: HttpRequest, consent_id: int) -> HttpResponse:
    try:
        consent = clients.revoke_consent(actor=acting_user(request), consent_id=consent_id)
    except Correctable as error:
        messages.error(request, error.detail)
        # The service found the consent in the caller's scope before refusing, so its client is theirs to see.
        client_id = Consent.objects.filter(pk=consent_id).values_list("client_id", flat=True).first()
        return redirect("web:office_consents", client_id=client_id) if client_id else redirect("web:clients")
    messages.success(request, "Consent revoked. No new recording or transcript may be made from now on.")
    return redirect("web:office_consents", client_id=consent.client_id)


# --- Scheduling and attendance -------------------------------------------------------------------------------------


@require_GET
@signed_in
@allows("session.schedule")
def session_pick_client(request: HttpRequest) -> HttpResponse:
    """Scheduling from the schedule page starts by finding the client."""
    form = forms.ClientSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = queries.search_clients(acting_user(request), query)[:50] if query else []
    context = {"form": form, "query": query, "clients": found, "nav": "schedule"}
    return render(request, "web/office/session_pick.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("session.schedule")
def session_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    form = forms.ScheduleForm(request.POST or None, actor=user)
    status, offer_confirmation = 0, False
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            session = sessions.schedule_session(
                actor=user,
                client=client,
                clinician_id=form.cleaned_data["clinician"].pk,
                starts_at=starts_at,
                ends_at=ends_at,
                service=form.cleaned_data["service"],
                setting=form.cleaned_data["setting"],
                status=Status.SCHEDULED,
                participants=form.participant_names(),
                # The calendar's rule (docs/calendar.md): a double booking is refused until the box is ticked.
                confirm_overlap=bool(form.cleaned_data["confirm_overlap"]),
            )
        except Correctable as error:
            form.add_error(None, error.detail)
            if isinstance(error, Conflict):  # an overlap: offer "book it anyway"
                status, offer_confirmation = 409, True
        else:
            double = " It is double-booked, as you confirmed." if session.overlap_confirmed else ""
            messages.success(request, f"Session scheduled.{double}")
            return redirect("web:office_session", session_id=session.pk)
    nav = "clients" if can(user, "day.view") else "schedule"
    context = {
        "form": form,
        "client": client,
        "time_zone": settings.TIME_ZONE,
        "nav": nav,
        "offer_confirmation": offer_confirmation,
    }
    return _page(request, "session_new.html", context, form, status)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("session.attendance")
def session_attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session as booked (times, derived CPT codes and any flag) and its attendance."""
    user = acting_user(request)
    session = sessions.visible_session(user, session_id)
    form = forms.AttendanceForm(request.POST or None, initial={"status": session.status})
    if request.method == "POST" and form.is_valid():
        try:
            sessions.update_session(actor=user, session=session, status=form.cleaned_data["status"])
        except Correctable as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, f"Attendance recorded: {session.get_status_display().lower()}.")
            return redirect("web:office_session", session_id=session.pk)
    require(user, "session.read", session, ip=client_ip(request))  # the page shows the session as booked
    context = {
        "form": form,
        "session": session,
        "double_booked": sessions.is_double_booked(session),
        "nav": "clients" if can(user, "day.view") else "schedule",
    }
    return _page(request, "session.html", context, form)


# --- Diagnoses and the treatment plan (clinicians) -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@signed_in
@allows("diagnosis.add")
def diagnosis_add(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    form = forms.DiagnosisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            diagnosis = plans.add_diagnosis(actor=user, client=client, **form.cleaned_data)
        except Correctable as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, f"Added {diagnosis.code} {diagnosis.description}.")
            return redirect("web:client_chart", client_id=client.pk)
    return _page(request, "diagnosis.html", {"form": form, "client": client, "nav": "clients"}, form)


@require_GET
@signed_in
@allows("diagnosis.add")
def icd10_search(request: HttpRequest) -> HttpResponse:
    """Suggestions for the diagnosis field (htmx): billable F-chapter codes matching what was typed."""
    term = (request.GET.get("code") or request.GET.get("q") or "")[:60]
    context = {"matches": icd10.suggestions(term) if len(term.strip()) >= 2 else []}
    return render(request, "web/office/diagnosis.html#icd_options", context)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("plan.revise")
def plan_revise(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    current = plans.current_plan(client)
    form = forms.PlanForm(request.POST or None, initial=forms.PlanForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.revise_plan(
                actor=user,
                client=client,
                review_on=form.cleaned_data["review_on"],
                client_signed_on=form.cleaned_data["client_signed_on"],
                problems=form.problems(current),
            )
        except Correctable as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, f"Treatment plan version {plan.version} saved; earlier versions are kept.")
            return redirect("web:client_chart", client_id=client.pk)
    require(user, "plan.read", current or client, ip=client_ip(request))  # the form shows the current plan
    context = {"form": form, "client": client, "current": current, "nav": "clients"}
    return _page(request, "plan.html", context, form)


# --- One's own password, and deactivating people -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@signed_in
@allows("account.self")
def password_change(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.PasswordChangeForm(request.POST or None, person=user)
    if request.method == "POST" and form.is_valid():
        try:
            people.change_password(
                user=user,
                old_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                ip=client_ip(request),
                keep_session_key=request.session.session_key,  # this browser stays signed in; others end
            )
        except Unauthorized:
            form.add_error("current_password", "That is not your current password.")
        except Correctable as error:
            form.add_error(None, error.detail)
        else:
            update_session_auth_hash(request, user)  # stay signed in on this browser
            messages.success(request, "Your password is changed. Use the new one next time you sign in.")
            return redirect("web:home")
    return _page(request, "password.html", {"form": form}, form)


@require_POST
@signed_in
@allows("user.manage")
def user_set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise NotFound("no such user")
    form = forms.ActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to deactivate or reactivate.")
        return redirect("web:users")
    active = bool(form.cleaned_data["active"])
    try:
        people.set_active(actor=acting_user(request), user=person, active=active, ip=client_ip(request))
    except Correctable as error:
        messages.error(request, as_sentence(error.detail))
    else:
        if active:
            messages.success(request, f"{person.display_name} can sign in again.")
        else:
            messages.success(request, f"{person.display_name} is deactivated and can no longer sign in.")
    return redirect("web:users")
