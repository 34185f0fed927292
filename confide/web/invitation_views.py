"""Invitations on the web: an administrator invites a new member; the member follows the one-time link, sets their
own password, and goes straight on to the sign-in's authenticator enrollment (confide/people/invitations.py).
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from confide.access import PUBLIC, allows
from confide.lib.errors import ConfideError
from confide.lib.http import acting_user, client_ip
from confide.people import invitations, signin
from confide.people import services as people
from confide.web import forms, queries
from confide.web.guards import signed_in
from confide.web.views import NEXT


class InviteForm(forms.UserForm):
    """The new-user form without the password: the person chooses it themselves."""

    password = None  # type: ignore[assignment]


class SetPasswordForm(django_forms.Form):
    password = django_forms.CharField(
        max_length=1024,
        strip=False,
        label="Choose a password",
        widget=django_forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password. Only you will know it.",
    )
    again = django_forms.CharField(
        max_length=1024,
        strip=False,
        label="The same password again",
        widget=django_forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("again") and data["password"] != data["again"]:
            self.add_error("again", "The two passwords differ.")
        return data


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # the page holds a one-time link: the browser must not keep it
    return response


@require_http_methods(["GET", "POST"])
@signed_in
@allows("user.manage")
def user_invite(request: HttpRequest) -> HttpResponse:
    """Invite a new member; the one-time link is shown once, here, for the administrator to pass on."""
    form = InviteForm(request.POST or None, supervisors=queries.supervisors())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invited = invitations.invite_user(
                actor=acting_user(request),
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                credentials=data["credentials"],
                supervisor_id=data["supervisor"].pk if data["supervisor"] else None,
            )
        except ConfideError as error:
            if error.status in (403, 404):
                raise
            form.add_error(None, error.detail)
        else:
            link = request.build_absolute_uri(reverse("web:invitation", kwargs={"token": invited.token}))
            context = {"invited": invited, "link": link, "nav": "users"}
            return _no_store(render(request, "web/admin/user_invited.html", context))
    status = 422 if form.errors else 200
    return render(request, "web/admin/user_invite.html", {"form": form, "nav": "users"}, status=status)


@require_http_methods(["GET", "POST"])
@allows(PUBLIC)
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invited member's page: set a password, then enrol the authenticator as at any first sign-in."""
    ip = client_ip(request)
    pending = invitations.open_invitation(token)
    if pending is None:
        invitations.refuse(ip, "unknown, used or expired")
        return _no_store(render(request, "web/invitation.html", {"dead": True}, status=404))
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        try:
            user = invitations.accept_invitation(token=token, password=password, ip=ip)
        except ConfideError as error:
            if error.status == 404:
                return _no_store(render(request, "web/invitation.html", {"dead": True}, status=404))
            form.add_error("password", error.detail)
        else:
            return _signed_in_after(request, user, password, ip)
    context = {"form": form, "person": pending.user}
    return _no_store(render(request, "web/invitation.html", context, status=422 if form.errors else 200))


def _signed_in_after(request: HttpRequest, user: Any, password: str, ip: str) -> HttpResponse:
    """Continue as a sign-in with the password just set: enrollment next where the role needs a second factor."""
    if request.user.is_authenticated:
        people.sign_out(request, reason="new_sign_in")
    if people.mfa_required(user):
        secret = signin.begin_web_sign_in(request, user=user, password=password, ip=ip)
        request.session[NEXT] = reverse("web:home")
        people.new_device(user)
        response: HttpResponse = redirect("web:sign_in_enroll")
    else:
        secret = people.sign_in_web(request, user=user, password=password, ip=ip, otp_verified=False)
        messages.success(request, "Your password is set. Welcome to Confide.")
        response = redirect("web:home")
    signin.set_vault_cookie(response, secret)
    return response
