from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.defaults import bad_request, server_error

from confide.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("vault/", include("confide.vault.urls")),
    path("", include("confide.web.urls")),
]


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Requests Django itself refuses (too large, suspicious): JSON for the API, the page for the web."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "the request is malformed or too large", "code": "malformed"}, status=400)
    return bad_request(request, exception or Exception())


def handler500(request: HttpRequest) -> HttpResponse:
    """A failure outside the API's own handlers (a middleware, say): still JSON for the API, never a stack trace."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "something went wrong on the server", "code": "server_error"}, status=500)
    return server_error(request)
