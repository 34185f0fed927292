"""URL patterns of confide/web/office_views.py; included (unprefixed) by confide/web/urls.py under the 'web' namespace."""

from django.urls import URLPattern

from confide.web import converters  # noqa: F401  (registers <id:...>)

urlpatterns: list[URLPattern] = []
