"""The named checks that stand above every web view (docs/architecture.md), and the translation of domain errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from confide.audit.services import record_refusal, refusal_logged
from confide.lib.errors import ConfideError, Forbidden, NotFound, Unauthorized
from confide.lib.http import acting_user as acting_user  # re-exported: views import them from here
from confide.lib.http import client_ip as client_ip
from confide.people.models import User
from confide.people.services import mfa_required

View = Callable[..., HttpResponse]


def same_site_path(candidate: str | None, default: str) -> str:
    """`candidate` when it is a path on this site ("/clients/3/"), else `default`: a `next=` can never send a
    signed-in clinician to another site, even one that looks like ours ("//evil.example", "/\\evil.example")."""
    if (
        candidate
        and candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and candidate.isprintable()
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts=set())
    ):
        return candidate
    return default


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


def page_for_error(request: HttpRequest, error: ConfideError) -> HttpResponse:
    """NotFound -> the 404 page, Forbidden -> the 403 page, any other refusal -> the error page with its status."""
    if isinstance(error, (NotFound, Forbidden, Unauthorized)):
        return denied(request, error)
    return render(request, "web/error.html", {"error": error}, status=error.status)


class DomainErrorMiddleware:
    """The one place a web page's domain error becomes a page: never a 500 for something a service refused.
    (The API answers its own errors as JSON: confide/api/main.py.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        match = request.resolver_match
        if not isinstance(exception, ConfideError) or (match is not None and "api" in match.namespaces):
            return None
        return page_for_error(request, exception)


def denied(request: HttpRequest, error: ConfideError) -> HttpResponse:
    """Every denial is audited (docs/audit.md), then shown without saying whether the thing exists."""
    user = request.user if isinstance(request.user, User) else None
    if not refusal_logged():  # once: the service that refused may have logged it already
        record_refusal(user, ip=client_ip(request), path=request.path, code=error.code, status=error.status)
    if isinstance(error, NotFound):
        return render(request, "404.html", {"detail": error.detail}, status=404)
    return render(request, "403.html", {"detail": error.detail}, status=403 if error.status != 401 else 401)
