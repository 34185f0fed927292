"""Idle sign-out: a web session unused for IDLE_TIMEOUT_MINUTES ends, and the vault key with it.

Background polling (htmx requests marked `X-Confide-Background: 1`) is not activity and does not extend it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_ACTIVITY = "confide_last_activity"
ACTIVITY_GRANULARITY_SECONDS = 60


class IdleSignOutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and LAST_ACTIVITY in request.session:
            idle = time.time() - float(request.session[LAST_ACTIVITY])
            if idle > settings.IDLE_TIMEOUT_MINUTES * 60:
                from confide.people.services import sign_out

                sign_out(request, reason="idle")
                request.idle_signed_out = True  # type: ignore[attr-defined]
        if request.user.is_authenticated and request.headers.get("X-Confide-Background") != "1":
            now = time.time()
            # Record activity at most once a minute: each change is a write to the session store, and the idle
            # limit (minutes) does not need second precision.
            if now - float(request.session.get(LAST_ACTIVITY, 0)) >= ACTIVITY_GRANULARITY_SECONDS:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


__all__ = ["LAST_ACTIVITY", "IdleSignOutMiddleware", "logout"]
