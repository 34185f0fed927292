from django.urls import include, path

from confide.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("confide.web.urls")),
]
