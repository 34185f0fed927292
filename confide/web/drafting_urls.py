"""URL patterns of drafting_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import (
    converters,  # noqa: F401  (registers <id:...>)
    drafting_views,
)

urlpatterns: list[URLPattern] = [
    path("sessions/<id:session_id>/draft/", drafting_views.draft_session, name="draft_session"),
    path("sessions/<id:session_id>/draft/accept/", drafting_views.draft_accept, name="draft_accept"),
    path("sessions/<id:session_id>/draft/private/", drafting_views.draft_save_private, name="draft_save_private"),
]
