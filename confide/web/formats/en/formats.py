"""Django's format module for the product's one language (FORMAT_MODULE_PATH in config/settings.py).

Every named format answers from the practice's `DATE_STYLE` (confide/lib/dates.py), so a template that writes
`{{ day|date }}` or `{{ at|time }}` follows the practice's style and a form accepts dates typed in it.
"""

from __future__ import annotations

from confide.lib.dates import django_formats, style


def __getattr__(name: str) -> object:
    found = django_formats(style())
    if name in found:
        return found[name]
    raise AttributeError(name)
