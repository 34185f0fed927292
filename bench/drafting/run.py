"""Drafting benchmarks in one table: `python -m bench.drafting.run` from the repository root.

Needs the bench extras (rouge-score, tqdm) and the public ACI-Bench and MTS-Dialog data under $CONFIDE_BENCH_DATA
(default var/bench-data; docs/drafting.md, "Measured").
Progress bars go to stderr; the table goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench.drafting import aci, mts, speed, therapy


def _row(name: str, value: str, reference: str = "") -> str:
    return f"| {name:<56} | {value:>22} | {reference:<38} |"


def _ratio(hit: int, total: int, digits: int = 0) -> str:
    return f"{hit}/{total} ({100 * hit / total:.{digits}f}%)" if total else "-"


def _therapy_table(results: dict[str, therapy.TherapyResult]) -> list[str]:
    """The therapy sets side by side: development sets first, held-out sets (never read when tuning) after."""
    names = list(results)
    lines = [
        "| Therapy sets | " + " | ".join(names) + " | goal |",
        "|---|" + "---|" * len(names) + "---|",
    ]
    measures = (
        ("transcripts", lambda r: str(r.transcripts), ""),
        ("risk polarity: transcripts with the exact flag set", lambda r: _ratio(r.risk_exact, r.transcripts), "100%"),
        (
            "risk flags correct / expected (spurious)",
            lambda r: f"{r.flags_correct}/{r.flags_expected} ({r.flags_spurious})",
            "",
        ),
        ("facts that must appear", lambda r: _ratio(r.must_hit, r.must_total, 1), ">= 85%"),
        ("statements that must never appear", lambda r: str(r.must_not_violations), "0"),
        ("private material routed to the private draft", lambda r: _ratio(r.private_hit, r.private_total), "100%"),
        ("MI sessions: target behavior named", lambda r: _ratio(r.target_hit, r.target_total), ">= 95%"),
        ("high-quality MI recognized", lambda r: _ratio(r.mi_high_hit, r.mi_high_total), ">= 90%"),
        ("low-quality MI not called MI", lambda r: _ratio(r.mi_low_hit, r.mi_low_total), "100%"),
        ("unsupported sentences emitted", lambda r: f"{r.unsupported} of {r.sentences}", "0"),
        ("private-draft sentences with 164.501 items", lambda r: str(r.private_boundary_violations), "0"),
        ("slowest draft (ms) / peak traced memory (MiB)", lambda r: f"{r.slowest_ms:.0f} / {r.peak_mib:.1f}", ""),
    )
    for label, cell, goal in measures:
        lines.append(f"| {label} | " + " | ".join(cell(results[n]) for n in names) + f" | {goal} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-aci-valid", action="store_true", help="score only ACI-Bench test1 (faster)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = [_row("Benchmark", "Confide", "Reference"), f"|{'-' * 58}|{'-' * 24}|{'-' * 40}|"]

    published = aci.published()
    test1 = aci.evaluate("test1")
    fmt = "{:.2f}/{:.2f}/{:.2f}"
    rows.append(
        _row(
            "ACI-Bench test1 ROUGE-1/2/Lsum (drafted note)",
            fmt.format(*test1.draft),
            "goal: retrieval " + fmt.format(*published["train$_{\\mathrm{UMLS}}$"]),
        )
    )
    rows.append(
        _row(
            "ACI-Bench test1 transcript copy (same run)",
            fmt.format(*test1.copy),
            "published " + fmt.format(*published["transcript"]),
        )
    )
    rows.append(
        _row(
            "ACI-Bench test1 published GPT-4 / best (BART div.)",
            "",
            fmt.format(*published["GPT-4"]) + " / " + fmt.format(*published["BART+FT$_{\\mathrm{SAMSum}}$ (Division)"]),
        )
    )
    rows.append(_row("ACI-Bench test1 sentences dropped by grounding", str(test1.dropped_unsupported), ""))
    if not args.skip_aci_valid:
        valid = aci.evaluate("valid")
        rows.append(
            _row(
                "ACI-Bench valid ROUGE-1/2/Lsum (tuning split)",
                fmt.format(*valid.draft),
                "copy " + fmt.format(*valid.copy),
            )
        )

    print("MTS-Dialog: training the section-header classifier...", file=sys.stderr)
    headers = mts.evaluate()
    rows.append(_row("MTS-Dialog test1 section-header accuracy", f"{headers['test']:.3f}", "published best ~0.80"))

    therapy_rows = _therapy_table(therapy.evaluate_all())

    print("Speed: drafting a 7,000-word session on one core...", file=sys.stderr)
    s = speed.measure_fresh()
    rows.append(
        _row(
            f"Speed: {int(s['words'])}-word session, median of 5 (1 core)",
            f"{s['median_seconds'] * 1000:.0f} ms",
            "goal < 1000 ms",
        )
    )
    rows.append(
        _row(
            "Memory: peak traced during one draft / process max RSS",
            f"{s['peak_traced_mib']:.1f} / {s['max_rss_mib']:.0f} MiB",
            "",
        )
    )
    print("\n".join(rows))
    print()
    print("\n".join(therapy_rows))
    print(f"\n(bench wall time {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
