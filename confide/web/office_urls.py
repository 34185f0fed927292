"""URL patterns of confide/web/office_views.py; included (unprefixed) by confide/web/urls.py under the 'web' namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
