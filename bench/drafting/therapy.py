"""The therapy evaluation set: risk polarity, checklist recall, forbidden content, unsupported sentences."""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from confide.drafting import draft, excluded_items, unsupported_reason

SET_DIR = Path(__file__).resolve().parent / "therapy_set"
# Invented normal findings and defaults that must never appear in any draft.
GLOBAL_MUST_NOT = [
    r"within normal limits",
    r"\bWNL\b",
    r"euthymic",
    r"no acute distress",
    r"alert and oriented",
    r"\bA&Ox?3\b",
    r"appropriately dressed",
    r"well[- ]groomed",
    r"linear and goal[- ]directed",
    r"good insight",
]


@dataclass
class TherapyResult:
    transcripts: int = 0
    risk_exact: int = 0
    flags_expected: int = 0
    flags_correct: int = 0
    flags_spurious: int = 0
    must_total: int = 0
    must_hit: int = 0
    must_not_violations: int = 0
    sentences: int = 0
    unsupported: int = 0
    private_boundary_violations: int = 0
    dropped: int = 0
    misses: list[str] = field(default_factory=list)


def transcript_files() -> list[Path]:
    return sorted(p for p in SET_DIR.iterdir() if p.suffix in {".txt", ".vtt", ".srt"})


def evaluate(split: str | None = None, verbose: bool = False) -> TherapyResult:
    """Score the set; `split` is "dev" (01-25, the rules were tuned on them), "heldout" (26-31) or None for all."""
    checklist = tomllib.loads((SET_DIR / "checklist.toml").read_text())
    result = TherapyResult()
    for path in transcript_files():
        spec = checklist[path.name]
        if split is not None and spec.get("split", "dev") != split:
            continue
        fmt = "points" if "points" in path.name else "auto"
        drafted = draft(path.read_text(), fmt)  # type: ignore[arg-type]
        result.transcripts += 1
        by_id = {u.id: u for u in drafted.utterances}
        note = "\n".join(s.text for ss in drafted.sections.values() for s in ss)
        private = "\n".join(s.text for s in drafted.private_draft)
        expected = {tuple(x) for x in spec.get("risk", [])}
        produced = {(f.type, f.polarity) for f in drafted.risk_flags}
        result.risk_exact += expected == produced
        result.flags_expected += len(expected)
        result.flags_correct += len(expected & produced)
        result.flags_spurious += len(produced - expected)
        if expected != produced:
            result.misses.append(f"{path.name}: risk expected {sorted(expected)} got {sorted(produced)}")
        for pattern in spec.get("must", []):
            result.must_total += 1
            if re.search(pattern, note, re.I):
                result.must_hit += 1
            else:
                result.misses.append(f"{path.name}: note lacks /{pattern}/")
        for pattern in spec.get("must_private", []):
            result.must_total += 1
            if re.search(pattern, private, re.I):
                result.must_hit += 1
            else:
                result.misses.append(f"{path.name}: private draft lacks /{pattern}/")
        for pattern in spec.get("must_not", []) + GLOBAL_MUST_NOT:
            if re.search(pattern, note + "\n" + private, re.I):
                result.must_not_violations += 1
                result.misses.append(f"{path.name}: holds forbidden /{pattern}/")
        for s in [s for ss in drafted.sections.values() for s in ss] + drafted.private_draft:
            result.sentences += 1
            if unsupported_reason(s.text, s.evidence, by_id) is not None:
                result.unsupported += 1
        result.private_boundary_violations += sum(1 for s in drafted.private_draft if excluded_items(s.text))
        result.dropped += len(drafted.dropped)
    if verbose:
        for miss in result.misses:
            print("  miss:", miss, file=sys.stderr)
    return result


if __name__ == "__main__":
    for name in ("dev", "heldout"):
        r = evaluate(name, verbose=True)
        print(name, r.__dict__ | {"misses": len(r.misses)})
