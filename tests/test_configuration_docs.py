"""Every environment variable the code reads is documented, and nothing documented is stale (datasette's habit)."""

from __future__ import annotations

import re
from pathlib import Path

import config.settings  # noqa: F401  (importing the settings records what they read)
from confide.lib.env import READ

DOC = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def documented() -> set[str]:
    names: set[str] = set()
    for line in DOC.read_text().splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def test_every_variable_read_is_documented() -> None:
    missing = set(READ) - documented()
    assert not missing, f"read in code but not in docs/configuration.md: {sorted(missing)}"


def test_every_documented_variable_is_read() -> None:
    stale = documented() - set(READ)
    assert not stale, f"documented but never read: {sorted(stale)}"


def test_settings_are_read_without_repeating_their_defaults() -> None:
    """A default belongs in config/settings.py only: `getattr(settings, NAME, default)` elsewhere drifts from it."""
    root = DOC.parent.parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("confide", "config")
        for path in sorted((root / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"getattr\(\s*(django_)?settings\s*,", line)
    ]
    assert offenders == [], "read settings.NAME instead (put the default in config/settings.py)"
