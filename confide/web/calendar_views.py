"""The calendar: day, week and month views of sessions, booking (one or a series), moving, cancelling, the
telehealth link, and a clinician's .ics feed.

Views are about HTTP only (docs/architecture.md): parse a form, call one service or one read
(confide/sessions/calendar.py), choose the response. A refusal the person can fix (an overlap to confirm, a signed
note) comes back beside the form as a 422 (409 for an overlap); access refusals go to the 404/403 pages through the
web error middleware.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.access import PUBLIC, allows, require
from confide.lib.errors import Conflict, Correctable, NotFound
from confide.sessions import calendar, services
from confide.sessions.models import Status
from confide.web import calendar_forms as forms
from confide.web.guards import acting_user, client_ip, is_htmx, signed_in


def _page(request: HttpRequest, template: str, context: dict[str, Any], form: Form, status: int = 0) -> HttpResponse:
    return render(request, f"web/calendar/{template}", context, status=status or (422 if form.errors else 200))


def _refused(form: Form, error: Correctable) -> int:
    form.add_error(None, error.detail)
    return 409 if isinstance(error, Conflict) else 422


@require_GET
@signed_in
@allows("calendar.view")
def calendar_page(request: HttpRequest) -> HttpResponse:
    """`?view=day|week|month&day=YYYY-MM-DD&clinician=ID`; htmx navigation swaps only the calendar."""
    form = forms.CalendarForm(request.GET)
    view, day, clinician_id = form.chosen()
    shown = calendar.build(acting_user(request), view, day, clinician_id)
    context = {"cal": shown, "form": form, "nav": "calendar", "time_zone": settings.TIME_ZONE}
    if is_htmx(request):
        return render(request, "web/calendar/calendar.html#body", context)
    return render(request, "web/calendar/calendar.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("session.schedule")
def booking_new(request: HttpRequest) -> HttpResponse:
    """Book a session or a recurring series for a client who is not discharged."""
    user = acting_user(request)
    initial = {k: request.GET[k][:10] for k in ("day", "start") if k in request.GET}
    form = forms.BookingForm(request.POST or None, actor=user, initial=initial)
    status = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "actor": user,
            "client": data["client"],
            "clinician_id": data["clinician"].pk,
            "service": data["service"],
            "setting": data["setting"],
            "participants": form.participant_names(),
            "telehealth_link": data["telehealth_link"] or "",
            "confirm_overlap": bool(data["confirm_overlap"]),
        }
        try:
            rule = form.rule()
            if rule is None:
                starts_at, ends_at = form.times()
                session = services.schedule_session(
                    **common, starts_at=starts_at, ends_at=ends_at, status=Status.SCHEDULED
                )
                made = 1
            else:
                _, sessions = services.schedule_series(
                    **common, rule=rule, starts=data["start"], minutes=form.minutes()
                )
                session, made = sessions[0], len(sessions)
        except Correctable as error:
            status = _refused(form, error)
            if isinstance(error, Conflict):
                form.offer_confirmation = True  # type: ignore[attr-defined]
        else:
            messages.success(request, "Session booked." if made == 1 else f"Series booked: {made} sessions.")
            return redirect(_week_of(session))
    context = {"form": form, "nav": "calendar", "time_zone": settings.TIME_ZONE}
    return _page(request, "new.html", context, form, status)


def _week_of(session: Any) -> str:
    from django.utils import timezone

    day = timezone.localtime(session.starts_at).date()
    return f"{reverse('web:calendar')}?view=week&day={day:%Y-%m-%d}"


def _booking_context(request: HttpRequest, session: Any, **forms_: Form) -> dict[str, Any]:
    from django.utils import timezone

    starts = timezone.localtime(session.starts_at)
    move = forms_.get("move") or forms.MoveForm(
        initial={"day": starts.date(), "start": starts.time(), "end": timezone.localtime(session.ends_at).time()}
    )
    clashes = services.overlaps(
        clinician_id=session.clinician_id,
        client_id=session.client_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        exclude_ids=(session.pk,),
    )
    return {
        "session": session,
        "move_form": move,
        "cancel_form": forms_.get("cancel") or forms.CancelForm(),
        "link_form": forms_.get("link") or forms.LinkForm(initial={"telehealth_link": session.telehealth_link}),
        "double_booked": bool(clashes) and session.status != Status.CANCELLED,
        "overlap_text": services.describe_overlaps(
            clashes, clinician_id=session.clinician_id, client_id=session.client_id
        )
        if clashes
        else "",
        "nav": "calendar",
        "time_zone": settings.TIME_ZONE,
    }


def _booked_session(request: HttpRequest, session_id: int) -> Any:
    user = acting_user(request)
    session = services.visible_session(user, session_id)
    require(user, "session.attendance", session, ip=client_ip(request))  # another clinician's client: 404
    return session


@require_GET
@signed_in
@allows("session.attendance")
def booking(request: HttpRequest, session_id: int) -> HttpResponse:
    """One booking: when, who, its series, overlap warning; move, cancel, telehealth link."""
    session = _booked_session(request, session_id)
    require(acting_user(request), "session.read", session, ip=client_ip(request))  # the page shows the booking
    return render(request, "web/calendar/booking.html", _booking_context(request, session))


@require_POST
@signed_in
@allows("session.attendance")
def booking_move(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _booked_session(request, session_id)
    form = forms.MoveForm(request.POST)
    status = 422
    if form.is_valid():
        starts_at, ends_at = form.times()
        try:
            services.move_session(
                actor=acting_user(request),
                session=session,
                starts_at=starts_at,
                ends_at=ends_at,
                confirm_overlap=bool(form.cleaned_data["confirm_overlap"]),
            )
        except Correctable as error:
            status = _refused(form, error)
            session.refresh_from_db()
        else:
            messages.success(request, "Session moved. Other sessions of its series stay where they are.")
            return redirect("web:calendar_booking", session_id=session.pk)
    context = _booking_context(request, session, move=form)
    context["offer_confirmation"] = status == 409
    return render(request, "web/calendar/booking.html", context, status=status)


@require_POST
@signed_in
@allows("session.attendance")
def booking_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _booked_session(request, session_id)
    form = forms.CancelForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            services.cancel_session(actor=acting_user(request), session=session, reason=form.cleaned_data["reason"])
        except Correctable as error:
            status = _refused(form, error)
            session.refresh_from_db()
        else:
            messages.success(request, "Session cancelled.")
            return redirect("web:calendar_booking", session_id=session.pk)
    return render(request, "web/calendar/booking.html", _booking_context(request, session, cancel=form), status=status)


@require_POST
@signed_in
@allows("session.attendance")
def booking_link(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _booked_session(request, session_id)
    form = forms.LinkForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            services.set_telehealth_link(
                actor=acting_user(request), session=session, link=form.cleaned_data["telehealth_link"] or ""
            )
        except Correctable as error:
            status = _refused(form, error)
            session.refresh_from_db()
        else:
            messages.success(request, "Telehealth link saved.")
            return redirect("web:calendar_booking", session_id=session.pk)
    return render(request, "web/calendar/booking.html", _booking_context(request, session, link=form), status=status)


# --- The .ics feed ---------------------------------------------------------------------------------------------------


@require_GET
@signed_in
@allows("calendar.view")
def feed_settings(request: HttpRequest) -> HttpResponse:
    """The clinician's feed address: see it, turn it on, rotate it, turn it off."""
    user = acting_user(request)
    if not user.is_clinician:
        raise NotFound("calendar feeds are for clinicians")
    token = services.feed_token(user)
    url = request.build_absolute_uri(reverse("web:calendar_feed", args=[token])) if token else ""
    context = {"feed_url": url, "client_names": settings.CALENDAR_FEED_CLIENT_NAMES, "nav": "calendar"}
    return render(request, "web/calendar/feed.html", context)


@require_POST
@signed_in
@allows("calendar.view")
def feed_rotate(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not user.is_clinician:
        raise NotFound("calendar feeds are for clinicians")
    had = services.feed_token(user) is not None
    services.rotate_feed(actor=user)
    messages.success(request, "New feed address made; the old one no longer works." if had else "Feed turned on.")
    return redirect("web:calendar_feed_settings")


@require_POST
@signed_in
@allows("calendar.view")
def feed_off(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not user.is_clinician:
        raise NotFound("calendar feeds are for clinicians")
    services.turn_feed_off(actor=user)
    messages.success(request, "Feed turned off.")
    return redirect("web:calendar_feed_settings")


@require_GET
@allows(PUBLIC)
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, for calendar apps (they cannot sign in): the token in the address is the only key. An
    unknown or rotated token is a plain 404."""
    clinician = services.clinician_for_feed(token[:100])
    if clinician is None:
        raise NotFound("no such calendar")
    sessions = services.feed_sessions(clinician)
    body = calendar.ics_feed(
        clinician, sessions, client_names=settings.CALENDAR_FEED_CLIENT_NAMES, host=request.get_host()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="confide.ics"'
    return response
