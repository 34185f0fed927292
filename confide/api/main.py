"""The JSON API (docs/api.md): one NinjaAPI, one router per domain app, shared error handling."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from confide.access.routes import check_api
from confide.api.auth import bearer, client_ip
from confide.audit.services import record_refusal, refusal_logged
from confide.lib.errors import ConfideError

logger = logging.getLogger("confide.api")

api = NinjaAPI(
    title="Confide API",
    version="1",
    description="Clinical documentation for mental-health practices. The contract: docs/api.md.",
    auth=bearer,
    urls_namespace="api",
)


@api.exception_handler(ConfideError)
def confide_error(request: HttpRequest, exc: ConfideError) -> HttpResponse:
    if exc.status in (403, 404) and request.user.is_authenticated and not refusal_logged():
        # Every permission denial is audited once: here, unless the service that refused already did.
        record_refusal(
            request.user,
            ip=client_ip(request),
            method=str(request.method),
            path=request.path,
            status=exc.status,
            code=exc.code,
        )
    return api.create_response(request, {"detail": exc.detail, "code": exc.code}, status=exc.status)


@api.exception_handler(ValidationError)
def malformed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # docs/api.md, "Errors": malformed JSON or wrong types are 400; 422 is reserved for rule violations.
    errors = [{"loc": e.get("loc"), "msg": e.get("msg")} for e in exc.errors]
    return api.create_response(
        request, {"detail": "the request is malformed", "code": "malformed", "errors": errors}, status=400
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "sign in first", "code": "unauthorized"}, status=401)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unforeseen: logged with its traceback (the path holds ids only), answered in the API's own shape.
    A client must never have to read an HTML error page, nor see a traceback."""
    logger.error("unhandled error answering %s %s", request.method, request.path, exc_info=exc)
    body = {"detail": "something went wrong on our side; it has been logged", "code": "server_error"}
    return api.create_response(request, body, status=500)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Bodies past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB; a transcript may be 1 MB) are refused before they are read.
    body = {"detail": "the request body is too large", "code": "payload_too_large"}
    return api.create_response(request, body, status=413)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "no such thing", "code": "not_found"}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "http_error"}, status=exc.status_code)


def _mount() -> None:
    from confide.api import routes

    for prefix, router in routes.ROUTERS:
        api.add_router(prefix, router)
    check_api(api)  # every operation declares its verb (confide.access)


_mount()
