"""URL patterns of measure_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import converters  # noqa: F401  (registers <id:...>)
from confide.web import measure_views as views

urlpatterns: list[URLPattern] = [
    path("clients/<id:client_id>/measures/", views.measures_page, name="measures"),
    path("clients/<id:client_id>/measures/record/", views.measure_record, name="measure_record"),
    path("clients/<id:client_id>/measures/link/", views.measure_link_new, name="measure_link_new"),
    path("m/<str:token>/", views.measure_link, name="measure_link"),
]
