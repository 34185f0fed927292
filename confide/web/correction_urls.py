"""URL patterns of correction_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import converters  # noqa: F401  (registers <id:...>)
from confide.web import correction_views as views

urlpatterns: list[URLPattern] = [
    path("clients/<id:client_id>/edit/", views.client_edit, name="client_edit"),
    path("clients/<id:client_id>/discharge/", views.client_discharge, name="client_discharge"),
    path("clients/<id:client_id>/readmit/", views.client_readmit, name="client_readmit"),
    path("clients/<id:client_id>/history/", views.client_history, name="client_history"),
    path("manage/users/<id:user_id>/", views.user_edit, name="user_edit"),
]
