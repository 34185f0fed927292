"""The JSON API (API.md): one NinjaAPI, one router per domain app, shared error handling."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from confide.api.auth import bearer, client_ip
from confide.audit.services import record
from confide.lib.errors import ConfideError

api = NinjaAPI(
    title="Confide API",
    version="1",
    description="Clinical documentation for mental-health practices. See API.md.",
    auth=bearer,
    urls_namespace="api",
)


@api.exception_handler(ConfideError)
def confide_error(request: HttpRequest, exc: ConfideError) -> HttpResponse:
    if exc.status in (403, 404) and request.user.is_authenticated:
        # Every permission denial is audited: the path holds ids only, never content.
        record(
            "confide.access.denied",
            actor=request.user,
            outcome="denied",
            ip=client_ip(request),
            detail={"method": request.method, "path": request.path, "status": exc.status, "code": exc.code},
        )
    return api.create_response(request, {"detail": exc.detail, "code": exc.code}, status=exc.status)


@api.exception_handler(ValidationError)
def malformed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # API.md: malformed JSON or wrong types are 400; 422 is reserved for rule violations.
    errors = [{"loc": e.get("loc"), "msg": e.get("msg")} for e in exc.errors]
    return api.create_response(
        request, {"detail": "the request is malformed", "code": "malformed", "errors": errors}, status=400
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "sign in first", "code": "unauthorized"}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "http_error"}, status=exc.status_code)


def _mount() -> None:
    from confide.api import routes

    for prefix, router in routes.ROUTERS:
        api.add_router(prefix, router)


_mount()
