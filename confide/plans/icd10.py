"""ICD-10-CM codes from the maintained `simple-icd-10-cm` package: never a hand-typed list.

The package parses its whole code table when imported (about 3 s), so it is imported on first use, not at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# --- Diagnosis search: the words clinicians type ---------------------------------------------------------------------

# Abbreviations in everyday clinical use that the ICD-10-CM tabular list does not spell out itself, each mapped to
# the words of the code titles it stands for. The package's own "(ABBR)" titles (F43.1 "Post-traumatic stress
# disorder (PTSD)") are read from the data by `_index`, so they need no row here.
ABBREVIATIONS: dict[str, str] = {
    "adhd": "attention-deficit hyperactivity disorder",
    "gad": "generalized anxiety disorder",
    "mdd": "major depressive disorder",
    "ocd": "obsessive-compulsive disorder",
    "pdd": "dysthymic disorder",  # persistent depressive disorder (DSM-5) is coded as dysthymia
}

_WORD = re.compile(r"[a-z0-9]+(?:[-/'][a-z0-9]+)*")
_ABBREVIATED = re.compile(r"^(?P<words>.+?)\s*\((?P<abbr>[A-Z][A-Z0-9]{1,7})\)$")
_CODE_LIKE = re.compile(r"^[a-z]\d[0-9a-z.]*$")


def words(text: str) -> frozenset[str]:
    """The searchable words of a title: lower case, and a hyphenated word both whole ("posttraumatic") and split."""
    found: set[str] = set()
    for word in _WORD.findall(text.lower()):
        parts = re.split(r"[-/']", word)
        found.update(parts)
        found.add("".join(parts))
    return frozenset(found)


@dataclass(frozen=True)
class _Entry:
    code: str  # dotted
    description: str
    group: str  # the code's parent: "F41" for F41.1, "F43.1" for F43.10
    own: frozenset[str]  # words of the code's title and its inclusion terms
    head: frozenset[str]  # the first word of its title ("Panic disorder": panic), for "the title is about it"
    inherited: frozenset[str]  # words of its category's and subcategories' titles and inclusion terms


def _terms(code: str) -> list[str]:
    return [describe(code), *(str(t) for t in _icd().get_inclusion_term(code))]


@lru_cache(maxsize=1)
def _index() -> tuple[list[_Entry], dict[str, str]]:
    """Every billable F-chapter code with the words it answers to, and the package's own abbreviations."""
    icd = _icd()
    entries: list[_Entry] = []
    abbreviations: dict[str, str] = {}
    for raw in icd.get_descendants("5"):
        for term in _terms(raw):
            match = _ABBREVIATED.match(term)
            if match and icd.is_category_or_subcategory(raw):
                abbreviations[match["abbr"].lower()] = match["words"]
        if not icd.is_leaf(raw):
            continue
        inherited: set[str] = set()
        for ancestor in icd.get_ancestors(raw):
            if icd.is_category_or_subcategory(ancestor):
                for term in _terms(ancestor):
                    inherited |= words(term)
        own: set[str] = set()
        for term in _terms(raw):
            own |= words(term)
        code = dotted(raw)
        group = dotted(str(icd.get_parent(raw)))
        title = describe(raw)
        head = words(title.split()[0]) if title.split() else frozenset()
        entries.append(_Entry(code, title, group, frozenset(own), head, frozenset(inherited)))
    entries.sort(key=lambda e: e.code)
    return entries, abbreviations


def _covers(have: frozenset[str], wanted: list[str]) -> bool:
    return all(any(word.startswith(w) for word in have) for w in wanted)


def _joined(word: str) -> str:
    return "".join(re.split(r"[-/']", word))


def _readings(term: str, abbreviations: dict[str, str]) -> list[list[str]]:
    """The query as typed, with each known abbreviation spelled out, and with long words cut to their stem
    ("depression" finds "depressive"): each reading is a list of word prefixes, every one of which must match."""
    typed = _WORD.findall(term.lower())[:8]
    readings = [[_joined(w) for w in typed]]
    spelled: list[str] = []
    for word in typed:
        expansion = abbreviations.get(word) or ABBREVIATIONS.get(word)
        if expansion:
            spelled.extend(part for w in _WORD.findall(expansion.lower()) for part in re.split(r"[-/']", w))
        else:
            spelled.append(_joined(word))
    readings.append(spelled)
    # Eight letters or more lose their last three (never below six): enough for English noun/adjective pairs.
    readings.append([w[: max(6, len(w) - 3)] if len(w) >= 8 else w for w in spelled])
    unique: list[list[str]] = []
    for reading in readings:
        if reading and reading not in unique:
            unique.append(reading)
    return unique


def search(term: str, limit: int = 20) -> list[tuple[str, str]]:
    """Billable F-chapter codes for what a clinician types: a code ("F41", "f41.1"), words of a code's title or of
    the package's inclusion terms ("anxiety", "posttraumatic", "traumatic neurosis"), or an abbreviation ("PTSD",
    "OCD", "ADHD", "GAD", "MDD").

    Ranking: codes are grouped by their parent (F41 for F41.1, F43.1 for F43.10), and the group most about the
    words comes first: first a group where some code's own title or inclusion terms hold every word, then one where
    a code's title begins with the first word ("panic": F41.0 Panic disorder before agoraphobia with panic), the share
    of the group's codes that match (a match only through the parent's title counts half), then how many match.
    So "anxiety" gives F41 (every code an anxiety disorder) before F40's phobias, and "posttraumatic" the F43.1
    post-traumatic stress disorders before F07.81, whose one inclusion term says "posttraumatic". Within a group,
    codes matched by their own title come first, then by code.
    """
    needle = term.strip().lower()[:100]
    if not needle:
        return []
    entries, abbreviations = _index()
    compact = needle.replace(" ", "")
    if _CODE_LIKE.match(compact):
        by_code = [
            (e.code, e.description)
            for e in entries
            if e.code.lower().replace(".", "").startswith(compact.replace(".", ""))
        ]
        if by_code:
            return by_code[:limit]
    readings = _readings(needle, abbreviations)
    if not readings:
        return []
    tiers: dict[str, int] = {}  # 2: the code's own words hold the query; 1: only with its category's words
    headed: set[str] = set()  # groups with a code whose title begins with the first word asked for
    for entry in entries:
        if any(_covers(entry.own, r) for r in readings):
            tiers[entry.code] = 2
            if any(_covers(entry.head, r[:1]) for r in readings):
                headed.add(entry.group)
        elif any(_covers(entry.own | entry.inherited, r) for r in readings):
            tiers[entry.code] = 1
    if not tiers:
        return []
    sizes: dict[str, int] = {}
    weight: dict[str, float] = {}
    hits: dict[str, int] = {}
    best: dict[str, int] = {}
    for entry in entries:
        sizes[entry.group] = sizes.get(entry.group, 0) + 1
        tier = tiers.get(entry.code, 0)
        if tier:
            weight[entry.group] = weight.get(entry.group, 0.0) + (1.0 if tier == 2 else 0.5)
            hits[entry.group] = hits.get(entry.group, 0) + 1
            best[entry.group] = max(best.get(entry.group, 0), tier)

    def rank(entry: _Entry) -> tuple[int, bool, float, int, str, int, str]:
        group = entry.group
        share = weight[group] / sizes[group]
        return (-best[group], group not in headed, -share, -hits[group], group, -tiers[entry.code], entry.code)

    found = sorted((e for e in entries if e.code in tiers), key=rank)
    return [(e.code, e.description) for e in found[:limit]]


def suggestions(term: str, limit: int = 20) -> list[tuple[str, str]]:
    """`search` for the diagnosis field's <datalist>: a browser shows only the options whose text contains what was
    typed, so a code found through an abbreviation or a stem ("PTSD", "posttraumatic") carries the typed words."""
    typed = " ".join(term.split())[:60]
    found: list[tuple[str, str]] = []
    for code, description in search(term, limit):
        shown = f"{code} {description}"
        found.append((code, description if typed.lower() in shown.lower() else f"{description} ({typed})"))
    return found
