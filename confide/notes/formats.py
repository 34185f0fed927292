"""Note formats, read from formats.toml: adding a format is data, not code. No Django import.

The one reader of formats.toml: the note editor, the services and the drafting engine all use it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    prompt: str
    required: bool
    draws_on: tuple[str, ...]


@dataclass(frozen=True)
class NoteFormat:
    code: str
    title: str
    sections: tuple[Section, ...]

    @property
    def section_names(self) -> list[str]:
        return [s.name for s in self.sections]

    @property
    def name(self) -> str:
        """The drafting engine's word for the code (SOAP, DAP, ...)."""
        return self.code

    def missing_required(self, sections: dict[str, str]) -> list[str]:
        return [s.name for s in self.sections if s.required and not sections.get(s.name, "").strip()]

    def section_for(self, kind: str) -> Section | None:
        """The first section that draws on a fact kind; a kind no section takes is left out of the note."""
        return next((s for s in self.sections if kind in s.draws_on), None)


@cache
def formats() -> dict[str, NoteFormat]:
    raw = tomllib.loads((Path(__file__).parent / "formats.toml").read_text())
    return {
        code: NoteFormat(
            code=code,
            title=spec["title"],
            sections=tuple(
                Section(s["name"], s["title"], s["prompt"], bool(s["required"]), tuple(s.get("draws_on", ())))
                for s in spec["sections"]
            ),
        )
        for code, spec in raw.items()
    }


def get_format(code: str) -> NoteFormat:
    try:
        return formats()[code]
    except KeyError:
        raise KeyError(f"unknown note format {code!r}; known: {', '.join(formats())}") from None
