"""URL patterns of summary_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import converters  # noqa: F401  (registers <id:...>)
from confide.web import summary_views as views

urlpatterns: list[URLPattern] = [
    path("clients/<id:client_id>/summaries/", views.summaries_page, name="summaries"),
    path("clients/<id:client_id>/summaries/new/", views.summary_new, name="summary_new"),
    path("clients/<id:client_id>/summaries/schedule/", views.summary_schedule, name="summary_schedule"),
    path("summaries/<id:summary_id>/", views.summary_page, name="summary"),
]
