"""ICD-10-CM codes from the maintained `simple-icd-10-cm` package: never a hand-typed list.

The package parses its whole code table when imported (about 3 s), so it is imported on first use, not at start-up.
"""

from __future__ import annotations

from functools import cache, lru_cache
from types import ModuleType


@cache
def _icd() -> ModuleType:
    import simple_icd_10_cm

    module: ModuleType = simple_icd_10_cm
    return module


def normalize(code: str) -> str:
    return code.strip().upper().replace(".", "")


def is_billable(code: str) -> bool:
    """A valid, billable (leaf) ICD-10-CM code, with or without the dot."""
    raw = normalize(code)
    return bool(raw) and _icd().is_valid_item(raw) and _icd().is_leaf(raw)


def describe(code: str) -> str:
    return str(_icd().get_description(normalize(code)))


def dotted(code: str) -> str:
    return str(_icd().add_dot(normalize(code)))


@lru_cache(maxsize=1)
def _f_chapter() -> list[tuple[str, str]]:
    leaves = [c for c in _icd().get_descendants("5") if _icd().is_leaf(c)]
    return sorted((dotted(c), describe(c)) for c in leaves)


def search(term: str, limit: int = 20) -> list[tuple[str, str]]:
    """Billable F-chapter codes whose code or description contains `term`."""
    needle = term.strip().lower()
    if not needle:
        return []
    hits = [(c, d) for c, d in _f_chapter() if needle in c.lower() or needle in d.lower()]
    return hits[:limit]
