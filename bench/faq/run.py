"""FAQ benchmark: accuracy on the dev, held-out and blind sets, index build time, query latency.

blind_b is the honest estimate for unseen questions: it was written before the search was tuned and is
never used to tune it.

Run from the repository root: ``python -m bench.faq.run`` (or ``python bench/faq/run.py``).
Prints a table and writes ``bench/results/faq.json``.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faq.synthetic import synthetic_workspace_entries  # noqa: E402
from bot.domain.faq import FaqIndex, build_workspace_index, evaluate, load_builtin_entries, load_questions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEV_SET = ROOT.parent / "shared" / "faq" / "dev-questions.yaml"
OWN_SETS = ROOT / "tests" / "unit" / "faq"
HELDOUT_SET = OWN_SETS / "heldout_questions.yaml"
BLIND_A_SET = OWN_SETS / "blind_a.yaml"
BLIND_B_SET = OWN_SETS / "blind_b.yaml"
RESULTS = ROOT / "bench" / "results" / "faq.json"
WORKSPACE_ENTRIES = 500
BUILD_REPEATS = 7
QUERY_PASSES = 20


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def time_builds(make) -> float:
    timings = []
    for _ in range(BUILD_REPEATS):
        start = time.perf_counter()
        make()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def time_queries(index: FaqIndex, questions: list[str]) -> dict[str, float]:
    """First pass is cold (typo corrections not cached yet); later passes are what a running bot sees."""
    cold: list[float] = []
    warm: list[float] = []
    for passes in range(QUERY_PASSES + 1):
        for question in questions:
            start = time.perf_counter()
            index.search(question)
            elapsed = (time.perf_counter() - start) * 1000
            (cold if passes == 0 else warm).append(elapsed)
    return {
        "queries": len(warm),
        "p50_ms": round(percentile(warm, 50), 3),
        "p99_ms": round(percentile(warm, 99), 3),
        "max_ms": round(max(warm), 3),
        "cold_p50_ms": round(percentile(cold, 50), 3),
        "cold_p99_ms": round(percentile(cold, 99), 3),
    }


def main() -> int:
    builtins = load_builtin_entries()
    workspace = synthetic_workspace_entries(WORKSPACE_ENTRIES)
    builtin_index = FaqIndex.build(builtins)
    combined_index = build_workspace_index("T0BENCH", workspace)

    sets = {"dev": DEV_SET, "heldout": HELDOUT_SET, "blind_a": BLIND_A_SET, "blind_b": BLIND_B_SET}
    accuracy = {}
    questions: list[str] = []
    for name, path in sets.items():
        if not path.exists():
            continue
        labelled = load_questions(path)
        questions.extend(q.question for q in labelled)
        report = evaluate(builtin_index, labelled)
        combined = evaluate(combined_index, labelled)
        accuracy[name] = {
            "questions": len(labelled),
            "top1": round(report.top1, 4),
            "top3": round(report.top3, 4),
            "none_declined": round(report.none_declined, 4),
            "top1_with_500_workspace": round(combined.top1, 4),
            "none_declined_with_500_workspace": round(combined.none_declined, 4),
        }
    questions.extend(e.title for e in workspace[:50])

    build = {
        "builtins_ms": round(time_builds(lambda: FaqIndex.build(builtins)), 2),
        "builtins_plus_500_ms": round(time_builds(lambda: build_workspace_index("T0BENCH", workspace)), 2),
    }
    latency = {
        "builtins": time_queries(FaqIndex.build(builtins), questions),
        "builtins_plus_500": time_queries(build_workspace_index("T0BENCH", workspace), questions),
    }
    results = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "accuracy": accuracy,
        "build": build,
        "latency": latency,
        "targets": {"top1": 0.92, "top3": 0.98, "none_declined": 0.85, "p99_ms": 5.0},
    }
    print_table(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


def print_table(results: dict) -> None:
    print("FAQ accuracy (built-ins; target top-1 >= 92%, top-3 >= 98%, none declined >= 85%)")
    print(f"{'set':<10}{'questions':>10}{'top-1':>9}{'top-3':>9}{'declined':>10}{'top-1 +500 ws':>15}")
    for name, row in results["accuracy"].items():
        print(
            f"{name:<10}{row['questions']:>10}{row['top1']:>9.1%}{row['top3']:>9.1%}"
            f"{row['none_declined']:>10.1%}{row['top1_with_500_workspace']:>15.1%}"
        )
    build = results["build"]
    print(f"\nindex build (median of {BUILD_REPEATS})")
    print(f"{'built-ins (39)':<26}{build['builtins_ms']:>9.2f} ms")
    print(f"{'built-ins + 500 workspace':<26}{build['builtins_plus_500_ms']:>9.2f} ms")
    print("\nquery latency (target p99 <= 5 ms)")
    print(f"{'index':<26}{'queries':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'cold p99':>10}")
    for name, row in results["latency"].items():
        label = "built-ins" if name == "builtins" else "built-ins + 500 workspace"
        print(
            f"{label:<26}{row['queries']:>9}{row['p50_ms']:>9.3f}{row['p99_ms']:>9.3f}"
            f"{row['max_ms']:>9.3f}{row['cold_p99_ms']:>10.3f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
