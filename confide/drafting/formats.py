"""Note formats for the drafting engine: the same ones the note editor uses, from confide/notes/formats.py (the one
reader of confide/notes/formats.toml), looked up case-insensitively as the command line and the API accept them."""

from __future__ import annotations

from confide.notes.formats import NoteFormat, Section, formats

__all__ = ["NoteFormat", "Section", "get_format", "load_formats"]


def load_formats() -> dict[str, NoteFormat]:
    return formats()


def get_format(name: str) -> NoteFormat:
    known = formats()
    key = name.upper()
    if key not in known:
        raise ValueError(f"unknown note format {name!r}; choose one of {', '.join(sorted(known))}")
    return known[key]
