"""Templates ask the access policy, never a role: `{% can "note.sign" note as may_sign %}`, and the main navigation
is the list of pages whose verb the signed-in user's role holds."""

from __future__ import annotations

from typing import Any

from django import template

from confide.access import can as policy_can

register = template.Library()

# The main navigation, in order: (URL name, label, the `nav` key a page sets, the verb the page declares).
MAIN_NAV = (
    ("web:home", "Today", "day", "day.view"),
    ("web:billing", "Billing", "billing", "billing.view"),
    ("web:schedule", "Schedule", "schedule", "schedule.view"),
    ("web:clients", "Clients", "clients", "chart.open"),
    ("vault:my_notes", "My private notes", "private_notes", "vault.note.write"),
    ("web:users", "Users", "users", "user.list"),
    ("web:break_glass_report", "Break-the-glass", "break_glass", "break_glass.report"),
    ("web:practice_settings", "Practice settings", "settings", "practice.settings"),
)


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], verb: str, obj: Any = None) -> bool:
    """Whether the signed-in user may `verb` `obj` (or, without an object, whether their role may at all)."""
    return policy_can(context.get("user"), verb, obj)


@register.simple_tag(takes_context=True)
def main_nav(context: dict[str, Any]) -> list[dict[str, str]]:
    user = context.get("user")
    return [{"url": url, "label": label, "key": key} for url, label, key, verb in MAIN_NAV if policy_can(user, verb)]
