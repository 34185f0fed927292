"""URL patterns of small_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import (
    converters,  # noqa: F401  (registers <id:...>)
    small_views,
)

urlpatterns: list[URLPattern] = [
    path("billing/export.csv", small_views.billing_export, name="billing_export"),
    path("favicon.ico", small_views.favicon, name="favicon"),
]
