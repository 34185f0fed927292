"""`{% care_team_changes_on_chart client %}` and `{% care_team_changes_for user %}`: the notices of
confide/web/care_team_notices.py, as small blocks the chart and the day view include."""

from __future__ import annotations

from typing import Any

from django import template

from confide.web import care_team_notices

register = template.Library()


@register.inclusion_tag("web/partials/care_team_changes.html")
def care_team_changes_on_chart(client: Any) -> dict[str, Any]:
    return {"changes": care_team_notices.on_chart(client), "on_chart": True}


@register.inclusion_tag("web/partials/care_team_changes.html")
def care_team_changes_for(user: Any) -> dict[str, Any]:
    return {"changes": care_team_notices.for_clinician_of_record(user), "on_chart": False}
