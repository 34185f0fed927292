from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.defaults import bad_request

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
