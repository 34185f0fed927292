from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def confide(request: HttpRequest) -> dict[str, Any]:
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "PRACTICE_NAME": settings.PRACTICE_NAME,
        "IDLE_TIMEOUT_MINUTES": settings.IDLE_TIMEOUT_MINUTES,
        "NOTE_LATE_ENTRY_HOURS": settings.NOTE_LATE_ENTRY_HOURS,
    }
