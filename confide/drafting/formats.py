"""Note formats are data (confide/notes/formats.toml); the engine only reads them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FORMATS_PATH = Path(__file__).resolve().parent.parent / "notes" / "formats.toml"


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    title: str
    draws_on: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoteFormat:
    name: str
    title: str
    sections: tuple[Section, ...]

    def section_for(self, kind: str) -> Section | None:
        """The first section that draws on a fact kind; a kind no section takes is left out of the note."""
        return next((s for s in self.sections if kind in s.draws_on), None)


@lru_cache(maxsize=4)
def load_formats(path: Path = FORMATS_PATH) -> dict[str, NoteFormat]:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    formats: dict[str, NoteFormat] = {}
    for name, table in raw.items():
        sections = tuple(
            Section(str(s["name"]), str(s["title"]), tuple(str(k) for k in s.get("draws_on", ())))
            for s in table["sections"]
        )
        formats[name] = NoteFormat(name, str(table.get("title", name)), sections)
    return formats


def get_format(name: str) -> NoteFormat:
    formats = load_formats()
    key = name.upper()
    if key not in formats:
        raise ValueError(f"unknown note format {name!r}; choose one of {', '.join(sorted(formats))}")
    return formats[key]
