"""MTS-Dialog section-header classification: which note section does a short conversation belong to?

A multinomial naive Bayes over word unigrams and bigrams, written here (no scikit-learn): trained on the
training set, smoothing chosen on the validation set, scored once on test set 1.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
from collections import Counter, defaultdict

from bench.drafting.aci import DATA_ROOT

DATA = DATA_ROOT / "mts-dialog"
_TOKEN = re.compile(r"[a-z0-9']+")


def _features(dialogue: str) -> list[str]:
    words = _TOKEN.findall(dialogue.lower())
    return words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]


def load(name: str) -> list[tuple[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return [(row["section_header"], row["dialogue"]) for row in csv.DictReader(handle)]


class NaiveBayes:
    def __init__(self, alpha: float) -> None:
        self.alpha = alpha
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.priors: Counter[str] = Counter()
        self.vocabulary: set[str] = set()

    def fit(self, rows: list[tuple[str, str]]) -> NaiveBayes:
        for label, dialogue in rows:
            feats = _features(dialogue)
            self.counts[label].update(feats)
            self.priors[label] += 1
            self.vocabulary.update(feats)
        self.totals = {label: sum(c.values()) for label, c in self.counts.items()}
        return self

    def predict(self, dialogue: str) -> str:
        feats = _features(dialogue)
        n = sum(self.priors.values())
        v = len(self.vocabulary)

        def score(label: str) -> float:
            counts, total = self.counts[label], self.totals[label]
            log_p = math.log(self.priors[label] / n)
            return log_p + sum(math.log((counts[f] + self.alpha) / (total + self.alpha * v)) for f in feats)

        return max(self.priors, key=score)


def accuracy(model: NaiveBayes, rows: list[tuple[str, str]]) -> float:
    return sum(model.predict(d) == label for label, d in rows) / len(rows)


def evaluate() -> dict[str, float]:
    train = load("MTS-Dialog-TrainingSet.csv")
    valid = load("MTS-Dialog-ValidationSet.csv")
    test = load("MTS-Dialog-TestSet-1-MEDIQA-Chat-2023.csv")
    best_alpha, best_valid = 1.0, -1.0
    for alpha in (0.01, 0.03, 0.1, 0.3, 1.0):
        acc = accuracy(NaiveBayes(alpha).fit(train), valid)
        if acc > best_valid:
            best_alpha, best_valid = alpha, acc
    model = NaiveBayes(best_alpha).fit(train + valid)
    return {"alpha": best_alpha, "valid": best_valid, "test": accuracy(model, test)}


if __name__ == "__main__":
    print(evaluate())
