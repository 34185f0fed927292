"""URL patterns of editor_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import (
    converters,  # noqa: F401  (registers <id:...>)
    editor_views,
)

urlpatterns: list[URLPattern] = [
    path("sessions/<id:session_id>/notes/from-last/", editor_views.note_from_last, name="note_from_last"),
]
