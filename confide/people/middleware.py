"""Idle sign-out: a web session unused for IDLE_TIMEOUT_MINUTES ends, and the vault key with it.

Background polling (htmx requests marked `X-Confide-Background: 1`) is not activity and does not extend it. Every
signed-in response says how long the session has left (`X-Confide-Idle-Remaining`, seconds; `request.idle_remaining`
for the page itself), so the browser warns a minute before the server ends it and never guesses the deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_ACTIVITY = "confide_last_activity"
ACTIVITY_GRANULARITY_SECONDS = 60
REMAINING_HEADER = "X-Confide-Idle-Remaining"


def idle_limit_seconds() -> float:
    return float(settings.IDLE_TIMEOUT_MINUTES) * 60


def activity_granularity_seconds() -> float:
    """How often activity is written to the session: once a minute, or a tenth of a limit shorter than ten minutes.

    Each change is a write to the session store, and a limit in minutes does not need second precision.
    """
    return min(float(ACTIVITY_GRANULARITY_SECONDS), idle_limit_seconds() / 10)


def is_background(request: HttpRequest) -> bool:
    return request.headers.get("X-Confide-Background") == "1"


def record_activity(request: HttpRequest, *, force: bool = False) -> None:
    """Restart the idle clock (at most once per granularity, unless `force`: "Stay signed in" was pressed)."""
    now = time.time()
    last = float(request.session.get(LAST_ACTIVITY, 0))
    if force or now - last >= activity_granularity_seconds():
        request.session[LAST_ACTIVITY] = now


def idle_remaining(request: HttpRequest) -> int:
    """Whole seconds before this session is signed out for idleness (0 once it is due)."""
    last = float(request.session.get(LAST_ACTIVITY, time.time()))
    return max(0, int(last + idle_limit_seconds() - time.time()))


class IdleSignOutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and LAST_ACTIVITY in request.session:
            idle = time.time() - float(request.session[LAST_ACTIVITY])
            if idle > idle_limit_seconds():
                from confide.people.services import sign_out

                sign_out(request, reason="idle")
                request.idle_signed_out = True  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            if not is_background(request):
                record_activity(request)
            request.idle_remaining = idle_remaining(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        if request.user.is_authenticated and LAST_ACTIVITY in request.session:
            response[REMAINING_HEADER] = str(idle_remaining(request))
        return response


__all__ = [
    "LAST_ACTIVITY",
    "REMAINING_HEADER",
    "IdleSignOutMiddleware",
    "activity_granularity_seconds",
    "idle_remaining",
    "logout",
    "record_activity",
]
