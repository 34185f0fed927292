"""URL patterns of editor_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern

from confide.web import converters  # noqa: F401  (registers <id:...>)

urlpatterns: list[URLPattern] = []
