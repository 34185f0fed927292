"""The idle sign-out warning every signed-in page carries (its behaviour is in confide/web/static/web/js/confide.js)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from confide.people.middleware import activity_granularity_seconds, idle_limit_seconds

register = template.Library()


@register.inclusion_tag("web/partials/idle_warning.html", takes_context=True)
def idle_warning(context: template.Context) -> dict[str, Any]:
    """What the script needs to warn before the server signs the session out, and to tell it the user is here."""
    request = context.get("request")
    limit = idle_limit_seconds()
    return {
        "remaining": int(getattr(request, "idle_remaining", limit)),
        "warning": min(float(settings.IDLE_WARNING_SECONDS), limit / 2),
        "activity_every": activity_granularity_seconds(),
    }
