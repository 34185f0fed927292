"""The named checks that stand above every web view (STYLE.md habit 4), and the translation of domain errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from confide.audit.services import record
from confide.lib.errors import ConfideError, Forbidden, NotFound, Unauthorized
from confide.people.models import User
from confide.people.services import mfa_required

View = Callable[..., HttpResponse]


def acting_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def client_ip(request: HttpRequest) -> str:
    # Behind a TLS proxy the proxy sets REMOTE_ADDR (gunicorn --forwarded-allow-ips); never trust raw XFF.
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a partial. A history restore (back button after hx-push-url) wants the page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def _to_sign_in(request: HttpRequest) -> HttpResponse:
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = "/sign-in/"
        return response
    return redirect_to_login(request.get_full_path())


def signed_in(view: View) -> View:
    """A signed-in, active user who has passed the second factor wherever the role requires one."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
            return _to_sign_in(request)
        if mfa_required(user) and not user.is_verified():  # type: ignore[attr-defined]
            return _to_sign_in(request)
        return view(request, *args, **kwargs)

    return guarded


def role_required(*roles: str) -> Callable[[View], View]:
    """Only these roles reach the view; others get the 403 page (the role, not the object, is wrong)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if acting_user(request).role not in roles:
                return denied(request, Forbidden("this page is not for your role"))
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def domain_errors(view: View) -> View:
    """NotFound -> the 404 page, Forbidden -> the 403 page; never a 500 for something a service refused."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Forbidden, Unauthorized) as error:
            return denied(request, error)
        except ConfideError as error:
            return render(request, "web/error.html", {"error": error}, status=error.status)

    return guarded


def denied(request: HttpRequest, error: ConfideError) -> HttpResponse:
    """Every denial is audited (SPEC §2.10), then shown without saying whether the thing exists."""
    user = request.user if isinstance(request.user, User) else None
    record(
        "confide.web.denied",
        actor=user,
        outcome="denied",
        ip=client_ip(request),
        detail={"path": request.path[:200], "code": error.code},
    )
    if isinstance(error, NotFound):
        return render(request, "404.html", {"detail": error.detail}, status=404)
    return render(request, "403.html", {"detail": error.detail}, status=403 if error.status != 401 else 401)
