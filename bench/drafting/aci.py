"""ACI-Bench: ROUGE-1/2/Lsum of the drafted visit note against the reference note.

Scored as the data set's own README describes: rouge-score's RougeScorer(["rouge1", "rouge2",
"rougeLsum"], use_stemmer=False), score(reference, draft) with the draft's sentences separated by newlines, the
F-measure averaged over encounters. The transcript-copy baseline (the raw dialogue as the "note") is computed in
the same run. The engine was built and tuned on train and valid only; test1 is scored, never tuned on.
"""

from __future__ import annotations

import csv
import os
import statistics
from dataclasses import dataclass
from pathlib import Path

from rouge_score import rouge_scorer
from tqdm import tqdm

from confide.drafting.general import draft_visit, render_plain
from confide.drafting.transcript import parse

# The public data sets (CC BY 4.0) live outside the repository: CONFIDE_BENCH_DATA, else var/bench-data.
DATA_ROOT = Path(os.environ.get("CONFIDE_BENCH_DATA", Path(__file__).resolve().parents[2] / "var" / "bench-data"))
DATA = DATA_ROOT / "aci-bench"
SPLITS = {"train": "train.csv", "valid": "valid.csv", "test1": "clinicalnlp_taskB_test1.csv"}
METRICS = ("rouge1", "rouge2", "rougeLsum")
PUBLISHED_ROWS = ("transcript", "train$_{\\mathrm{UMLS}}$", "BART+FT$_{\\mathrm{SAMSum}}$ (Division)", "GPT-4")


@dataclass(frozen=True)
class AciResult:
    n: int
    draft: tuple[float, float, float]
    copy: tuple[float, float, float]
    dropped_unsupported: int


def _means(scores: dict[str, list[float]]) -> tuple[float, float, float]:
    r1, r2, rl = (100 * statistics.mean(scores[m]) for m in METRICS)
    return r1, r2, rl


def evaluate(split: str) -> AciResult:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=False)
    with (DATA / SPLITS[split]).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    drafted: dict[str, list[float]] = {m: [] for m in METRICS}
    copied: dict[str, list[float]] = {m: [] for m in METRICS}
    unsupported = 0
    for row in tqdm(rows, desc=f"ACI-Bench {split}", unit="encounter", leave=False):
        note = draft_visit(parse(row["dialogue"], "text"))
        unsupported += len(note.dropped)
        ours = scorer.score(row["note"], render_plain(note))
        copy = scorer.score(row["note"], row["dialogue"])
        for m in METRICS:
            drafted[m].append(ours[m].fmeasure)
            copied[m].append(copy[m].fmeasure)
    return AciResult(len(rows), _means(drafted), _means(copied), unsupported)


def published() -> dict[str, tuple[float, float, float]]:
    with (DATA / "published-results-test1.csv").open(newline="", encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    # The file holds several blocks (whole note, then per-division); the first block, "ALL", is the whole note.
    table: dict[str, tuple[float, float, float]] = {}
    for line in lines:
        if len(line) >= 4 and line[0] in PUBLISHED_ROWS and line[0] not in table:
            table[line[0]] = (float(line[1]), float(line[2]), float(line[3]))
    return table


if __name__ == "__main__":
    import sys

    for split in sys.argv[1:] or ["valid"]:
        print(split, evaluate(split))
