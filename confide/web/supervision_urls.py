"""URL patterns of supervision_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import converters  # noqa: F401  (registers <id:...>)
from confide.web import supervision_views as views

urlpatterns: list[URLPattern] = [
    path("supervision/", views.queue_page, name="cosign_queue"),
    path("supervision/cosign/", views.batch_cosign, name="cosign_batch"),
    path("supervision/notes/<id:note_id>/", views.review_note, name="cosign_review_note"),
    path("supervision/notes/<id:note_id>/cosign/", views.cosign_note, name="cosign_note"),
    path("supervision/notes/<id:note_id>/return/", views.return_note, name="cosign_return_note"),
    path("supervision/summaries/<id:summary_id>/", views.review_summary, name="cosign_review_summary"),
    path("supervision/summaries/<id:summary_id>/cosign/", views.cosign_summary, name="cosign_summary"),
    path("supervision/summaries/<id:summary_id>/return/", views.return_summary, name="cosign_return_summary"),
]
