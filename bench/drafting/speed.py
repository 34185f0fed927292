"""Speed and memory: a ~7,000-word (50-minute) session drafted on one core."""

from __future__ import annotations

import os
import resource
import statistics
import time
import tracemalloc

from bench.drafting.therapy import SET_DIR
from confide.drafting import draft

TARGET_WORDS = 7000


def long_session() -> str:
    """Plain-text dev transcripts of the therapy set, joined until the session holds about 7,000 words."""
    parts: list[str] = []
    words = 0
    sources = sorted(p for p in SET_DIR.glob("*.txt") if "points" not in p.name and "heldout" not in p.name)
    while words < TARGET_WORDS:
        for path in sources:
            text = path.read_text()
            parts.append(text)
            words += len(text.split())
            if words >= TARGET_WORDS:
                break
    return "\n".join(parts)


def _peak_rss_mib() -> float:
    """The process's resident high-water mark. VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a
    child started from a big parent would report the parent's size."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(runs: int = 5) -> dict[str, float]:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, as the spec measures
    text = long_session()
    draft(text, "text")  # warm the regex caches once, as a running server would have
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = draft(text, "text")
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    draft(text, "text")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "words": float(len(text.split())),
        "utterances": float(len(result.utterances)),
        "median_seconds": statistics.median(times),
        "max_seconds": max(times),
        "peak_traced_mib": peak / 2**20,
        "max_rss_mib": _peak_rss_mib(),
    }


def measure_fresh() -> dict[str, float]:
    """Measure in a fresh interpreter, so the RSS is the engine's and not the other benchmarks' libraries'."""
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "bench.drafting.speed", "--json"], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(measure()) if "--json" in sys.argv else measure())
