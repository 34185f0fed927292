"""The web pages. Views are about HTTP only: authenticate, parse, call one service, choose the response."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.access import PUBLIC, allows, can, permits, record_read, relations, require
from confide.audit.services import record
from confide.clients import services as clients
from confide.clients.models import Client
from confide.lib.errors import ConfideError, Correctable, Forbidden, NotFound, Unauthorized
from confide.lib.qr import qr_svg
from confide.lib.replica import replica_reads
from confide.lib.text import sane_day
from confide.notes import services as notes
from confide.notes import structure
from confide.notes.formats import formats, get_format
from confide.notes.models import MENTAL_STATUS_DOMAINS, RISK_DOMAINS, RISK_LEVELS, NoteStatus, ProgressNote
from confide.people import services as people
from confide.people import signin
from confide.people.models import User
from confide.sessions.models import TherapySession
from confide.sessions.services import visible_session
from confide.web import forms, queries
from confide.web.guards import acting_user, client_ip, denied, is_htmx, same_site_path, signed_in

NEXT = "confide_next"


# --- Sign-in ---------------------------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    return same_site_path(candidate, reverse("web:home"))


# Lock-outs and wrong passwords look the same: the page never says which part was wrong, or that a lock exists.
GENERIC_FAILURE = (
    "Those details did not work. Check them and try again, or wait a few minutes if you tried several times."
)


@require_http_methods(["GET", "POST"])
@allows(PUBLIC)
def sign_in(request: HttpRequest) -> HttpResponse:
    idle = bool(getattr(request, "idle_signed_out", False))
    if idle or (request.GET.get("idle") == "1" and not request.user.is_authenticated):
        messages.info(request, f"You were signed out after {settings.IDLE_TIMEOUT_MINUTES} minutes without activity.")
    elif request.user.is_authenticated and request.method == "GET":
        return redirect("web:home")
    form = forms.SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.is_authenticated:
            people.sign_out(request, reason="new_sign_in")  # close this browser's open vault key session first
        ip = client_ip(request)
        try:
            check = people.check_password(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"], ip=ip
            )
        except Unauthorized:
            messages.error(request, GENERIC_FAILURE)
            return render(request, "web/sign_in.html", {"form": forms.SignInForm()}, status=401)
        target = _safe_next(request, request.POST.get("next"))
        if not (check.needs_otp or check.needs_enrollment):
            secret = people.sign_in_web(
                request, user=check.user, password=form.cleaned_data["password"], ip=ip, otp_verified=False
            )
            response: HttpResponse = HttpResponseRedirect(target)
            signin.set_vault_cookie(response, secret)
            return response
        secret = signin.begin_web_sign_in(request, user=check.user, password=form.cleaned_data["password"], ip=ip)
        request.session[NEXT] = target
        if check.needs_enrollment:
            people.new_device(check.user)
            response = redirect("web:sign_in_enroll")
        else:
            response = redirect("web:sign_in_code")
        signin.set_vault_cookie(response, secret)
        return response
    response = render(request, "web/sign_in.html", {"form": form, "next": request.GET.get("next", "")})
    if idle:
        signin.delete_vault_cookie(response)
    return response


def _restart(request: HttpRequest) -> HttpResponse:
    signin.abandon_web_sign_in(request)
    messages.error(request, "Your sign-in took too long or could not continue. Please sign in again.")
    response = redirect("web:sign_in")
    signin.delete_vault_cookie(response)
    return response


def _finish(request: HttpRequest, pending: signin.PendingSignIn) -> HttpResponse:
    target = str(request.session.get(NEXT) or reverse("web:home"))
    signin.finish_web_sign_in(request, pending=pending, ip=client_ip(request))
    return HttpResponseRedirect(_safe_next(request, target))


@require_http_methods(["GET", "POST"])
@allows(PUBLIC)
def sign_in_code(request: HttpRequest) -> HttpResponse:
    pending = signin.pending_sign_in(request)
    if pending is None:
        return _restart(request)
    if people.confirmed_device(pending.user) is None:
        return redirect("web:sign_in_enroll")
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if people.is_locked_out(pending.user.username, ip):
            return _restart(request)
        check = people.PasswordCheck(user=pending.user, needs_enrollment=False, needs_otp=True)
        try:
            people.check_second_factor(check, form.cleaned_data["code"], ip)
        except Unauthorized:
            messages.error(request, "That code did not work. Codes change every 30 seconds: try the current one.")
            return render(request, "web/sign_in_code.html", {"form": forms.CodeForm()}, status=401)
        return _finish(request, pending)
    return render(request, "web/sign_in_code.html", {"form": form})


@require_http_methods(["GET", "POST"])
@allows(PUBLIC)
def sign_in_enroll(request: HttpRequest) -> HttpResponse:
    pending = signin.pending_sign_in(request)
    if pending is None:
        return _restart(request)
    if people.confirmed_device(pending.user) is not None:
        # Never let a second device replace the first from here: that would need only the password.
        return redirect("web:sign_in_code")
    device = TOTPDevice.objects.filter(user=pending.user, confirmed=False).first() or people.new_device(pending.user)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people.confirm_new_device(pending.user, form.cleaned_data["code"])
        except ConfideError:
            messages.error(request, "That code did not match. Check the app shows Confide and try the current code.")
            form = forms.CodeForm()
        else:
            return _finish(request, pending)
    context = {
        "form": form,
        "otpauth_uri": device.config_url,
        "otpauth_qr": qr_svg(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
    }
    return render(request, "web/sign_in_enroll.html", context)


@require_POST
@allows("account.self")
def sign_out(request: HttpRequest) -> HttpResponse:
    signin.abandon_web_sign_in(request)
    people.sign_out(request)
    messages.success(request, "You are signed out.")
    response = redirect("web:sign_in")
    signin.delete_vault_cookie(response)
    return response


# --- Home pages by role --------------------------------------------------------------------------------------------


@require_GET
@signed_in
@allows("home.view")
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if can(user, "day.view"):
        return day(request)
    for verb, page in (("billing.view", "web:billing"), ("schedule.view", "web:schedule"), ("user.list", "web:users")):
        if can(user, verb):
            return redirect(page)
    return denied(request, Forbidden("no page is set up for your role"))


def day(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    context: dict[str, Any] = {"day": queries.clinician_day(user), "nav": "day"}
    if is_htmx(request):
        return render(request, "web/day.html#today", context)
    context["deadlines"] = _deadlines(user)
    from confide.measures.services import alerts_for

    context["risk_alerts"] = alerts_for(user)
    from confide.web.summary_views import due_today

    context["summaries_due"] = due_today(user, timezone.localdate())
    return render(request, "web/day.html", context)


def _deadlines(user: User) -> list[Any]:
    """Open records requests (164.524) and amendment requests (164.526) of the clinician's clients, soonest first."""
    from confide.amendments.services import due_for
    from confide.disclosures.services import open_access_requests_for

    today = timezone.localdate()
    found: list[Any] = [*open_access_requests_for(user, today), *due_for(user, today)]
    return sorted(found, key=lambda d: (d.due_on, d.client_name))


@require_GET
@signed_in
@allows("day.view")
def day_refresh(request: HttpRequest) -> HttpResponse:
    """The day view's today-list, polled in the background (X-Confide-Background: not activity)."""
    return render(request, "web/day.html#today", {"day": queries.clinician_day(acting_user(request))})


@require_GET
@signed_in
@allows("billing.view")
def billing(request: HttpRequest) -> HttpResponse:
    """The biller's sessions: filters (`?start=&end=&clinician=&state=`), totals, pages that keep the filters."""
    from confide.web.small_views import billing_form

    form = billing_form(request)
    context: dict[str, Any] = {"form": form, "nav": "billing"}
    if form.is_bound and not form.is_valid():
        return render(request, "web/billing.html", context, status=400)
    filters = form.filters()
    with replica_reads():  # a billing list may be seconds behind (docs/operations.md, "A streaming replica")
        found = queries.billing_page(acting_user(request), filters, request.GET.get("page"))
    record(
        "confide.billing.listed",
        actor=acting_user(request),
        ip=client_ip(request),
        detail={"rows": len(found.page.object_list), "filters": filters.for_audit(), "page": found.page.number},
    )
    return render(request, "web/billing.html", {**context, "page": found.page, "totals": found.totals})


@require_GET
@signed_in
@allows("schedule.view")
def schedule(request: HttpRequest) -> HttpResponse:
    """One day of the schedule: `?day=YYYY-MM-DD`, or today; a date that cannot be read shows today and says so."""
    form = forms.ScheduleDayForm(request.GET)
    schedule_day = queries.schedule_for_day(acting_user(request), form.chosen_day(timezone.localdate()))
    return render(request, "web/schedule.html", {"schedule": schedule_day, "form": form, "nav": "schedule"})


# --- Clients and the chart -----------------------------------------------------------------------------------------


@require_GET
@signed_in
@allows("client.list")
def client_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = forms.SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    discharged = bool(form.cleaned_data.get("discharged")) if form.is_valid() else False
    context = {
        "form": form,
        "query": query,
        "include_discharged": discharged,
        "clients": queries.search_clients(user, query, include_discharged=discharged)[:200],
        "outside": queries.outside_matches(user, query),
        "nav": "clients",
    }
    if is_htmx(request):
        return render(request, "web/clients.html#results", context)
    return render(request, "web/clients.html", context)


@require_GET
@signed_in
@allows("chart.open")
def client_chart(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.open_chart(user, client_id, ip=client_ip(request))
    try:
        before = parse_datetime(request.GET.get("before", "")[:40])
    except ValueError:  # shaped like a time but not one (month 13): show the newest page
        before = None
    if before is not None and (before.tzinfo is None or not sane_day(before.date())):
        before = None  # only the links the page itself makes (ISO with an offset, a real year) page back
    before_id = request.GET.get("before_id", "")
    partial = before is not None and is_htmx(request)
    chart = queries.chart(
        user,
        client,
        before=before,
        before_id=int(before_id) if before_id.isdecimal() and len(before_id) <= 18 else None,
        timeline_only=partial,
    )
    context: dict[str, Any] = {"chart": chart, "nav": "clients"}
    if partial:
        return render(request, "web/chart.html#timeline-items", context)
    if user.is_clinician and chart.measures_to_check:
        from confide.measures.services import open_risk_alerts

        context["risk_alerts"] = open_risk_alerts(client.pk)  # the chart check above already placed them in reach
    return render(request, "web/chart.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("break_glass.open")
def break_glass(request: HttpRequest, client_id: int) -> HttpResponse:
    if not Client.objects.filter(pk=client_id).exists():
        raise NotFound("no such client")
    form = forms.BreakGlassForm(request.POST or None)
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            clients.break_glass(
                actor=acting_user(request),
                client_id=client_id,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                ip=client_ip(request),
            )
        except Correctable as error:
            messages.error(request, error.detail)
            refused = True
        else:
            messages.warning(request, "Emergency access granted and recorded. It is read only and ends automatically.")
            return redirect("web:client_chart", client_id=client_id)
    minutes = settings.BREAK_GLASS_MINUTES
    lasts = f"{minutes // 60} hour{'s' if minutes != 60 else ''}" if minutes % 60 == 0 else f"{minutes} minutes"
    context = {"form": form, "client_id": client_id, "lasts": lasts, "nav": "clients"}
    return render(request, "web/break_glass.html", context, status=422 if form.errors or refused else 200)


# --- Sessions and progress notes -----------------------------------------------------------------------------------


def _editor(
    request: HttpRequest,
    session: TherapySession,
    *,
    note: ProgressNote | None = None,
    format_code: str | None = None,
    payload: forms.NotePayload | None = None,
) -> dict[str, Any]:
    note_format = get_format(note.format) if note else forms.format_choice(format_code)
    if payload is None and note is not None:
        payload = forms.NotePayload(
            sections=note.sections,
            risk=note.risk,
            mental_status=note.mental_status,
            interventions=note.interventions,
            objective_ids=[o.pk for o in note.objectives.all()],
        )
    payload = payload or forms.NotePayload({}, {}, {}, [], [])
    risk = payload.risk
    # Mental status: a domain recorded as WNL shows ticked with an empty exception; anything else is the exception.
    mse_rows = []
    for d in MENTAL_STATUS_DOMAINS:
        value = payload.mental_status.get(d, "")
        normal = structure.is_wnl(value)
        mse_rows.append((d, forms.MENTAL_STATUS_TITLES[d], "" if normal else value, normal))
    checked, other_interventions = structure.split_interventions(payload.interventions)
    return {
        "note": note,
        "format": note_format,
        "formats": list(formats().values()),
        "sections": [(s, payload.sections.get(s.name, "")) for s in note_format.sections],
        "risk_rows": [(d, forms.RISK_TITLES[d], risk.get(d, {}), [lvl for lvl in RISK_LEVELS]) for d in RISK_DOMAINS],
        "protective_factors": risk.get("protective_factors", ""),
        "risk_actions": risk.get("actions", ""),
        "mse_rows": mse_rows,
        "mse_assessed": sum(1 for _, _, text, normal in mse_rows if normal or text.strip()),
        "intervention_choices": [(i, checked.get(i.value)) for i in structure.intervention_vocabulary()],
        "interventions_chosen": len(payload.interventions),
        "interventions": "\n".join(other_interventions),
        "objective_groups": queries.plan_objectives(session.client),
        "chosen_objectives": set(payload.objective_ids),
        "saved_at": None,
        **_measures_for_editor(session.client_id, risk),
    }


def _measures_for_editor(client_id: int, risk: dict[str, Any]) -> dict[str, Any]:
    """The client's open risk alerts (to acknowledge in this note's assessment) and each instrument's course."""
    from confide.measures.models import Measure
    from confide.measures.services import with_change

    rows = list(Measure.objects.filter(client_id=client_id))
    latest: dict[str, str] = {}
    for m, change in with_change(rows):
        latest[m.instrument] = change.sentence if change else f"{m.instrument} {m.score} ({m.severity}) at baseline"
    return {
        "risk_alerts": [m for m in rows if m.open_risk_alert],
        "acknowledged": set(risk.get("acknowledged_alerts", [])),
        "measure_lines": [latest[code] for code in sorted(latest)],
    }


def _session_context(
    request: HttpRequest, session: TherapySession, *, editor: dict[str, Any] | None = None
) -> dict[str, Any]:
    user = acting_user(request)
    have = relations(user, session)
    narrative = permits(user, "note.list", have)
    found = queries.session_notes(user, session) if narrative else queries.SessionNotes([], None)
    for note in found.notes:
        notes.audit_read(actor=user, note=note, ip=client_ip(request))
    can_write = permits(user, "note.write", have)
    mine = [n for n in found.notes if n.author_id == user.pk]
    if editor is None and can_write:
        if request.GET.get("new") == "1" or not mine:
            editor = _editor(request, session, format_code=request.GET.get("format"))
        elif found.my_draft is not None:
            editor = _editor(request, session, note=found.my_draft)
    editing = editor["note"] if editor else None
    # A new note may start from the structure of the author's last note for this client (confide/notes/structure.py).
    from_last = structure.last_note(user, session) if editor is not None and editing is None else None
    return {
        "session": session,
        "notes": [n for n in found.notes if editing is None or n.pk != editing.pk],
        "editor": editor,
        "from_last": from_last,
        "can_write": can_write,
        "narrative": narrative,
        "addendum_form": forms.AddendumForm(),
        "return_form": forms.ReturnForm(),
        "nav": "day",
    }


@require_GET
@signed_in
@allows("session.read")
def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    user = acting_user(request)
    session = visible_session(user, session_id)
    record_read(user, "session.read", session, ip=client_ip(request))
    context = _session_context(request, session)
    if is_htmx(request) and context["editor"] is not None:
        return render(request, "web/session.html#editor", context)
    return render(request, "web/session.html", context)


def _after_save(request: HttpRequest, session: TherapySession, note: ProgressNote) -> HttpResponse:
    if request.POST.get("action") == "sign":
        target = reverse("web:note_sign", args=[note.pk])
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
    if is_htmx(request):
        context = _editor(request, session, note=note)
        context["saved_at"] = timezone.localtime()
        return render(request, "web/session.html#editor", {"editor": context, "session": session})
    messages.success(request, "Draft saved.")
    return redirect("web:session", session_id=session.pk)


def _rejected(request: HttpRequest, session: TherapySession, error: ConfideError, **editor: Any) -> HttpResponse:
    messages.error(request, error.detail)
    context = _session_context(request, session, editor=_editor(request, session, **editor))
    template = "web/session.html#editor" if is_htmx(request) else "web/session.html"
    return render(request, template, context, status=error.status)


@require_POST
@signed_in
@allows("note.write")
def note_start(request: HttpRequest, session_id: int) -> HttpResponse:
    session = visible_session(acting_user(request), session_id)
    note_format = forms.format_choice(request.POST.get("format"))
    payload = forms.note_payload(request.POST, note_format)
    try:
        note = notes.start_note(
            actor=acting_user(request),
            session=session,
            format=note_format.code,
            **payload.fields(),
        )
    except (NotFound, Unauthorized):
        raise
    except Correctable as error:
        return _rejected(request, session, error, format_code=note_format.code, payload=payload)
    return _after_save(request, session, note)


@require_POST
@signed_in
@allows("note.write")
def note_save(request: HttpRequest, note_id: int) -> HttpResponse:
    user = acting_user(request)
    note = notes.readable_note(user, note_id)
    payload = forms.note_payload(request.POST, get_format(note.format))
    try:
        note = notes.edit_note(
            actor=user,
            note=note,
            **payload.fields(),
        )
    except Correctable as error:
        return _rejected(request, note.session, error, note=note, payload=payload)
    return _after_save(request, note.session, note)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("note.sign")
def note_sign(request: HttpRequest, note_id: int) -> HttpResponse:
    """Signing locks the note for good, so it is its own confirmed step (with or without script)."""
    user = acting_user(request)
    note = notes.readable_note(user, note_id)
    form = forms.SignConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = notes.sign_note(actor=user, note=note)
        except Correctable as error:
            messages.error(request, error.detail)
            return redirect("web:session", session_id=note.session_id)
        if note.status == NoteStatus.AWAITING_COSIGN:
            messages.success(request, "Signed. The note now awaits your supervisor's co-signature.")
        else:
            messages.success(request, "Signed and locked.")
        return redirect("web:session", session_id=note.session_id)
    # The page shows the note in full: only its author signs, and the showing is a read of the record.
    require(user, "note.sign", note, ip=client_ip(request))
    require(user, "note.read", note, ip=client_ip(request))
    note_format = get_format(note.format)
    context = {
        "note": note,
        "sections": [(s, note.sections.get(s.name, "")) for s in note_format.sections],
        "missing": note_format.missing_required(note.sections),
        "risk_missing": "suicidal_ideation" not in note.risk,
        "form": form,
        "nav": "day",
    }
    return render(request, "web/note_sign.html", context)


@require_POST
@signed_in
@allows("note.cosign")
def note_return(request: HttpRequest, note_id: int) -> HttpResponse:
    user = acting_user(request)
    note = notes.readable_note(user, note_id)
    require(user, "note.cosign", note)  # refused before the form is read: only the supervisor may return it
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what needs to change before returning the note.")
        return redirect("web:session", session_id=note.session_id)
    try:
        notes.return_note(actor=user, note=note, comment=form.cleaned_data["comment"])
    except Correctable as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "Returned to the author with your comment.")
    return redirect("web:session", session_id=note.session_id)


@require_POST
@signed_in
@allows("note.addend")
def addendum_add(request: HttpRequest, note_id: int) -> HttpResponse:
    user = acting_user(request)
    note = notes.readable_note(user, note_id)
    form = forms.AddendumForm(request.POST)
    if not form.is_valid():
        messages.error(request, "An addendum needs text.")
        return redirect("web:session", session_id=note.session_id)
    try:
        notes.add_addendum(actor=user, note=note, text=form.cleaned_data["text"])
    except Correctable as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "Addendum added.")
    return redirect("web:session", session_id=note.session_id)


# --- Administration --------------------------------------------------------------------------------------------------


@require_GET
@signed_in
@allows("user.list")
def users(request: HttpRequest) -> HttpResponse:
    return render(request, "web/admin/users.html", {"users": queries.practice_users(), "nav": "users"})


@require_http_methods(["GET", "POST"])
@signed_in
@allows("user.manage")
def user_new(request: HttpRequest) -> HttpResponse:
    form = forms.UserForm(request.POST or None, supervisors=queries.supervisors())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = people.create_user(
                actor=acting_user(request),
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                role=data["role"],
                credentials=data["credentials"],
                supervisor_id=data["supervisor"].pk if data["supervisor"] else None,
            )
        except Correctable as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Added {created.display_name}. They enroll an authenticator at first sign-in.")
            return redirect("web:users")
    return render(
        request, "web/admin/user_new.html", {"form": form, "nav": "users"}, status=422 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@signed_in
@allows("user.manage")
def user_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise NotFound("no such user")
    form = forms.ResetPasswordForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        people.reset_password(actor=acting_user(request), user=person, new_password=form.cleaned_data["new_password"])
        messages.success(request, f"Password reset for {person.display_name}.")
        return redirect("web:users")
    context = {"form": form, "person": person, "nav": "users"}
    return render(request, "web/admin/reset_password.html", context, status=422 if form.errors else 200)


@require_GET
@signed_in
@allows("break_glass.report")
def break_glass_report(request: HttpRequest) -> HttpResponse:
    """Every emergency opening of a chart: who, whose chart, when, until when, and the kind of reason. The
    explanation can hold clinical detail, so the administrator sees the listed reason only."""
    rows = [{"access": access, "kind": access.reason.split(":", 1)[0]} for access in queries.break_glass_report()]
    return render(request, "web/admin/break_glass.html", {"rows": rows, "nav": "break_glass"})


@require_GET
@signed_in
@allows("practice.settings")
def practice_settings(request: HttpRequest) -> HttpResponse:
    policy = [
        ("Practice name", settings.PRACTICE_NAME, "PRACTICE_NAME"),
        ("Late-entry deadline", f"{settings.NOTE_LATE_ENTRY_HOURS} hours after the session", "NOTE_LATE_ENTRY_HOURS"),
        ("Idle sign-out", f"{settings.IDLE_TIMEOUT_MINUTES} minutes", "IDLE_TIMEOUT_MINUTES"),
        ("Roles that need two-factor sign-in", ", ".join(settings.MFA_REQUIRED_ROLES) or "none", "MFA_REQUIRED_ROLES"),
        (
            "Sign-in lock-out",
            f"{settings.LOCKOUT_THRESHOLD} failures, then {settings.LOCKOUT_MINUTES} minutes",
            "LOCKOUT_THRESHOLD / LOCKOUT_MINUTES",
        ),
        ("Break-the-glass access lasts", f"{settings.BREAK_GLASS_MINUTES} minutes", "BREAK_GLASS_MINUTES"),
        ("Demo mode", "on — MFA relaxed" if settings.DEMO_MODE else "off", "CONFIDE_DEMO"),
        ("Time zone", settings.TIME_ZONE, "TIME_ZONE"),
    ]
    return render(request, "web/admin/settings.html", {"policy": policy, "nav": "settings"})
