"""Template helpers for the web pages, and the guarded slot for the vault's private-note panel."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def lookup(mapping: Any, key: str) -> Any:
    if isinstance(mapping, dict):
        return mapping.get(key, "")
    return ""


@register.filter
def initials(name: str) -> str:
    """Letters only, first and last word: "(Test) 3rd O'Brien" is "TO" (confide/lib/names.py)."""
    from confide.lib.names import initials as name_initials

    return name_initials(name)


@register.simple_tag
def date_style_hint() -> str:
    """How to type a date in the practice's style ("MM/DD/YYYY"): beside every date field's label, because a
    browser's date picker shows the browser's own locale, not the practice's (confide/lib/dates.py)."""
    from confide.lib.dates import style

    return style().hint


@register.simple_tag(takes_context=True)
def private_note_panel(context: template.Context, session: Any) -> SafeString:
    """The psychotherapy-note panel, owned by confide.vault. Renders nothing when the vault does not offer it (not
    installed, not routed, or the viewer is not the session's clinician), so the session page never depends on it;
    nothing of the vault's content passes through this app."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return mark_safe("")
    try:
        from confide.vault import views as vault_views

        panel = vault_views.session_panel_context(request, session)
        if panel is None:
            return mark_safe("")
        html = render_to_string("vault/_session_panel.html", {"panel": panel}, request=request)
    except (ImportError, AttributeError, TemplateDoesNotExist, NoReverseMatch):
        return mark_safe("")
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, already escaped


@register.filter
def age(client: Any) -> int | str:
    from django.utils import timezone

    try:
        return int(client.age_on(timezone.localdate()))
    except AttributeError:
        return ""


@register.filter
def note_sections(note: Any) -> list[tuple[str, str]]:
    """A note's sections with their titles, in its format's order (formats come from formats.toml)."""
    from confide.notes.formats import formats

    note_format = formats().get(note.format)
    if note_format is None:
        return [(name.replace("_", " ").title(), text) for name, text in note.sections.items()]
    return [(s.title, note.sections.get(s.name, "")) for s in note_format.sections]


@register.filter
def risk_rows(note: Any) -> list[tuple[str, dict[str, Any]]]:
    from confide.notes.models import RISK_DOMAINS
    from confide.web.forms import RISK_TITLES

    return [(RISK_TITLES[d], note.risk[d]) for d in RISK_DOMAINS if d in note.risk]


@register.filter
def mental_status_rows(note: Any) -> list[tuple[str, str]]:
    from confide.notes.models import MENTAL_STATUS_DOMAINS
    from confide.web.forms import MENTAL_STATUS_TITLES

    return [(MENTAL_STATUS_TITLES[d], note.mental_status[d]) for d in MENTAL_STATUS_DOMAINS if d in note.mental_status]


@register.filter
def not_assessed(note: Any) -> str:
    from confide.notes.models import MENTAL_STATUS_DOMAINS
    from confide.web.forms import MENTAL_STATUS_TITLES

    missing = [MENTAL_STATUS_TITLES[d].split(" (")[0] for d in MENTAL_STATUS_DOMAINS if d not in note.mental_status]
    return ", ".join(missing)


@register.simple_tag(takes_context=True)
def cosign_queue_count(context: template.Context) -> int | None:
    """For a supervisor, how many records await their co-signature (the "Co-sign queue" entry's badge); None for
    everyone else, who gets no entry. Two counting queries, only for a clinician who has supervisees."""
    from confide.access import can
    from confide.notes.supervision import queue_count

    user = context.get("user")
    if user is None or not can(user, "note.cosign") or not user.supervisees.exists():
        return None
    return queue_count(user)


@register.simple_tag(takes_context=True)
def calendar_nav(context: template.Context) -> bool:
    """Whether the main navigation offers the Calendar: the page's URL declares `calendar.view` (the front desk,
    clinicians), so the entry asks the policy the same question."""
    from confide.access import can

    return can(context.get("user"), "calendar.view")
