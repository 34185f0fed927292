"""One reader of confide/notes/formats.toml: the drafter fills exactly the sections the note editor shows."""

from __future__ import annotations

import re
from pathlib import Path

from confide.drafting.formats import get_format, load_formats
from confide.notes.formats import formats

ROOT = Path(__file__).resolve().parents[2]


def test_the_drafter_and_the_editor_share_one_set_of_formats() -> None:
    assert load_formats() is formats()
    for code, note_format in formats().items():
        assert get_format(code.lower()) is note_format


def test_only_one_module_opens_formats_toml() -> None:
    readers = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "confide").rglob("*.py")
        if re.search(r"""["']formats\.toml["']""", path.read_text())
    )
    assert readers == ["confide/notes/formats.py"]
