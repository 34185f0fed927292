"""URL patterns of calendar_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import calendar_views as views
from confide.web import converters  # noqa: F401  (registers <id:...>)

urlpatterns: list[URLPattern] = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/new/", views.booking_new, name="calendar_new"),
    path("calendar/sessions/<id:session_id>/", views.booking, name="calendar_booking"),
    path("calendar/sessions/<id:session_id>/move/", views.booking_move, name="calendar_move"),
    path("calendar/sessions/<id:session_id>/cancel/", views.booking_cancel, name="calendar_cancel"),
    path("calendar/sessions/<id:session_id>/link/", views.booking_link, name="calendar_link"),
    path("calendar/feed/", views.feed_settings, name="calendar_feed_settings"),
    path("calendar/feed/rotate/", views.feed_rotate, name="calendar_feed_rotate"),
    path("calendar/feed/off/", views.feed_off, name="calendar_feed_off"),
    path("calendar/feed/<str:token>.ics", views.feed, name="calendar_feed"),
]
