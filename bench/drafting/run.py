"""Drafting benchmarks in one table: `python -m bench.drafting.run` from the repository root.

Needs the bench extras (rouge-score, tqdm) and the public data under /work/shared/data (see its README).
Progress bars go to stderr; the table goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench.drafting import aci, mts, speed, therapy


def _row(name: str, value: str, reference: str = "") -> str:
    return f"| {name:<56} | {value:>22} | {reference:<38} |"


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

    for split, label in (("dev", "dev 01-25, rules tuned on it"), ("heldout", "held-out 26-31")):
        r = therapy.evaluate(split)
        rows.append(_row(f"Therapy set {label}: transcripts", str(r.transcripts), ""))
        rows.append(
            _row(
                "  risk polarity: transcripts with exact flag set",
                f"{r.risk_exact}/{r.transcripts} ({100 * r.risk_exact / r.transcripts:.0f}%)",
                "goal 100%",
            )
        )
        rows.append(
            _row(
                "  risk flags correct / expected (spurious)",
                f"{r.flags_correct}/{r.flags_expected} ({r.flags_spurious})",
                "",
            )
        )
        rows.append(
            _row(
                "  checklist recall (must appear)",
                f"{r.must_hit}/{r.must_total} ({100 * r.must_hit / r.must_total:.1f}%)",
                "",
            )
        )
        rows.append(_row("  must-not violations (flipped/invented)", str(r.must_not_violations), "goal 0"))
        rows.append(_row("  unsupported sentences emitted", f"{r.unsupported} of {r.sentences}", "goal 0"))
        rows.append(
            _row("  private-draft sentences with 164.501 items", str(r.private_boundary_violations), "must be 0")
        )

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
    print(f"\n(bench wall time {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
