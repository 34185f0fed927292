"""The therapy evaluation set: risk polarity, checklist recall, forbidden content, unsupported sentences."""

from __future__ import annotations

import re
import sys
import time
import tomllib
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

from confide.drafting import draft, excluded_items, unsupported_reason
from confide.drafting.model import CONTEXT_POLARITIES

HERE = Path(__file__).resolve().parent
SET_DIR = HERE / "therapy_set"
# The sets, as (name, directory, split or None for the whole directory). "therapy_set" was written with the engine;
# "outside_set2" to "outside_set5" and "outside_set7" by authors who never read the engine (tuned on: development);
# "heldout_set", "outside_set6" and "outside_set8" by other such authors, never read by whoever tunes the engine: only
# their totals are printed, never their misses. "mi_set" and "mi_heldout" are short motivational-interviewing
# conversations in the style of public training recordings, by one more such author: the first tuned on, the second
# held out.
SETS: tuple[tuple[str, Path, str | None], ...] = (
    ("own dev 01-25", SET_DIR, "dev"),
    ("own held-out 26-31", SET_DIR, "heldout"),
    ("outside dev", HERE / "outside_set2", None),
    ("outside dev 3", HERE / "outside_set3", None),
    ("outside dev 4", HERE / "outside_set4", None),
    ("outside dev 5", HERE / "outside_set5", None),
    ("outside dev 7", HERE / "outside_set7", None),
    ("MI dev", HERE / "mi_set", None),
    ("outside held-out", HERE / "heldout_set", None),
    ("outside held-out 6", HERE / "outside_set6", None),
    ("outside held-out 8", HERE / "outside_set8", None),
    ("MI held-out", HERE / "mi_heldout", None),
)
HELD_OUT = {"own held-out 26-31", "outside held-out", "outside held-out 6", "outside held-out 8", "MI held-out"}
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
    private_total: int = 0
    private_hit: int = 0
    target_total: int = 0
    target_hit: int = 0
    mi_high_total: int = 0
    mi_high_hit: int = 0
    mi_low_total: int = 0
    mi_low_hit: int = 0
    sentences: int = 0
    unsupported: int = 0
    private_boundary_violations: int = 0
    dropped: int = 0
    slowest_ms: float = 0.0
    peak_mib: float = 0.0
    misses: list[str] = field(default_factory=list)


def transcript_files(set_dir: Path = SET_DIR) -> list[Path]:
    if not set_dir.is_dir():
        return []
    return sorted(p for p in set_dir.iterdir() if p.suffix in {".txt", ".vtt", ".srt"})


def evaluate(split: str | None = None, verbose: bool = False, set_dir: Path = SET_DIR) -> TherapyResult:
    """Score one set. In therapy_set `split` is "dev" (01-25, the rules were tuned on them) or "heldout" (26-31);
    None takes every transcript in the directory."""
    result = TherapyResult()
    if not (set_dir / "checklist.toml").is_file():
        return result
    checklist = tomllib.loads((set_dir / "checklist.toml").read_text())
    for path in transcript_files(set_dir):
        spec = checklist.get(path.name)
        if spec is None:
            print(f"  {set_dir.name}/{path.name}: no answer key yet, not scored", file=sys.stderr)
            continue
        if split is not None and spec.get("split", "dev") != split:
            continue
        fmt = "points" if "points" in path.name else "auto"
        text = path.read_text()
        tracemalloc.start()
        began = time.perf_counter()
        drafted = draft(text, fmt)  # type: ignore[arg-type]
        result.slowest_ms = max(result.slowest_ms, (time.perf_counter() - began) * 1000)
        result.peak_mib = max(result.peak_mib, tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
        result.transcripts += 1
        by_id = {u.id: u for u in drafted.utterances}
        note = "\n".join(s.text for ss in drafted.sections.values() for s in ss)
        private = "\n".join(s.text for s in drafted.private_draft)
        # The client's own risk only: a figure of speech or someone else's ideation is context (Draft.risk_context),
        # which one answer key lists as "figurative"/"other" pairs and the others leave out.
        expected = {tuple(x) for x in spec.get("risk", []) if x[1] not in CONTEXT_POLARITIES}
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
            result.private_total += 1
            if re.search(pattern, private, re.I):
                result.private_hit += 1
            else:
                result.misses.append(f"{path.name}: private draft lacks /{pattern}/")
        if "target" in spec:
            result.target_total += 1
            if re.search(spec["target"], note, re.I):
                result.target_hit += 1
            else:
                result.misses.append(f"{path.name}: target behavior /{spec['target']}/ not named")
        if spec.get("mi_quality") == "high":
            result.mi_high_total += 1
            if re.search(r"motivational interviewing", note, re.I):
                result.mi_high_hit += 1
            else:
                result.misses.append(f"{path.name}: MI not recognized")
        if spec.get("mi_quality") == "low":
            # a demonstration of how not to do it: lecturing and warning are not motivational interviewing
            result.mi_low_total += 1
            if re.search(r"motivational interviewing", note, re.I):
                result.misses.append(f"{path.name}: low-quality MI called motivational interviewing")
            else:
                result.mi_low_hit += 1
        wanted_private = spec.get("must_private", [])
        for pattern in spec.get("must_not", []) + GLOBAL_MUST_NOT:
            # A private-draft sentence the key itself asks for (a must_private match) is where that material
            # belongs: a key that forbids "pregnant" means in the note, and requires it in the private draft.
            in_private = any(
                re.search(pattern, s.text, re.I) and not any(re.search(q, s.text, re.I) for q in wanted_private)
                for s in drafted.private_draft
            )
            if re.search(pattern, note, re.I) or in_private:
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


def evaluate_all(verbose: bool = False) -> dict[str, TherapyResult]:
    """Every set; misses are printed for the development sets only."""
    return {
        name: evaluate(split, verbose=verbose and name not in HELD_OUT, set_dir=directory)
        for name, directory, split in SETS
    }


if __name__ == "__main__":
    for name, r in evaluate_all(verbose=True).items():
        print(name, r.__dict__ | {"misses": len(r.misses)})
