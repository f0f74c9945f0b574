"""FAQ benchmark: accuracy on the dev set and the earlier evaluation rounds, index build time, query latency.

The earlier rounds' answerable questions are among the knowledge base's example questions now, so each round
is searched as new: in an index built without its own examples (``entries_without_round``), alone and beside
500 workspace entries. Only heldout_v6 and v7 were not studied for earlier tuning; a set measured once, with
``mentor-circles faq eval``, gives the honest figure. Latency covers the built-ins, 500 workspace entries, and
500 entries plus questions coordinators mapped to topics (learned words).

Run from the repository root: ``python -m bench.faq.run`` (or ``python bench/faq/run.py``).
Prints a table and writes ``bench/results/faq.json``.

The machine is shared, so absolute timings drift from run to run. To compare a change of the knowledge
base with what it replaces, pass the old file: ``python -m bench.faq.run --baseline old-faq.yaml`` (for
instance from ``git show HEAD:bot/data/faq.yaml``). Its indexes are then timed in the same passes as the
current ones, question by question in turn, and listed beside them.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faq.synthetic import synthetic_workspace_entries  # noqa: E402
from bot.domain.faq import FaqIndex, build_workspace_index, evaluate, load_builtin_entries, load_questions  # noqa: E402
from bot.domain.faq.evaluation import round_questions  # noqa: E402
from bot.domain.faq.knowledge_base import (  # noqa: E402
    KnowledgeBase,
    entries_without_round,
    load_knowledge_base,
    parse_knowledge_base,
)

ROOT = Path(__file__).resolve().parents[2]
DEV_SET = ROOT.parent / "shared" / "faq" / "dev-questions.yaml"
OWN_SETS = ROOT / "tests" / "unit" / "faq"
ROUNDS = {
    "heldout": OWN_SETS / "heldout_questions.yaml",
    **{name: OWN_SETS / f"{name}.yaml" for name in ("blind_a", "blind_b")},
    **{f"heldout_v{n}": OWN_SETS / f"heldout_v{n}.yaml" for n in range(3, 10)},
}
"""Each earlier round with the file that keeps its questions no entry should answer."""
LEARNED_QUESTIONS = 200
RESULTS = ROOT / "bench" / "results" / "faq.json"
WORKSPACE_ENTRIES = 500
BUILD_REPEATS = 7
QUERY_PASSES = 20


INDEX_LABELS = {
    "builtins": f"built-ins ({len(load_builtin_entries())})",
    "builtins_plus_500": f"built-ins + {WORKSPACE_ENTRIES} workspace",
    "builtins_plus_500_learned": f"  + {LEARNED_QUESTIONS} learned questions",
}


def synthetic_learned(builtins, workspace, count: int) -> dict[str, list[str]]:
    """Questions mapped to topics, spread over built-ins and workspace entries, as coordinators would."""
    targets = [*builtins, *workspace]
    learned: dict[str, list[str]] = {}
    for i in range(count):
        entry = targets[(i * 7) % len(targets)]
        learned.setdefault(entry.id, []).append(f"question {i} about {entry.title.lower()} for our program")
    return learned


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


def time_queries(indexes: dict[str, FaqIndex], questions: list[str]) -> dict[str, dict[str, float]]:
    """First pass is cold (typo corrections not cached yet); later passes are what a running bot sees.
    The indexes take turns on every question, so a busy moment on the machine hits them all alike."""
    cold: dict[str, list[float]] = {name: [] for name in indexes}
    warm: dict[str, list[float]] = {name: [] for name in indexes}
    for passes in range(QUERY_PASSES + 1):
        for question in questions:
            for name, index in indexes.items():
                start = time.perf_counter()
                index.search(question)
                elapsed = (time.perf_counter() - start) * 1000
                (cold if passes == 0 else warm)[name].append(elapsed)
    return {
        name: {
            "queries": len(warm[name]),
            "p50_ms": round(percentile(warm[name], 50), 3),
            "p99_ms": round(percentile(warm[name], 99), 3),
            "max_ms": round(max(warm[name]), 3),
            "cold_p50_ms": round(percentile(cold[name], 50), 3),
            "cold_p99_ms": round(percentile(cold[name], 99), 3),
        }
        for name in indexes
    }


def latency_indexes(kb: KnowledgeBase, workspace, learned, prefix: str = "") -> dict[str, FaqIndex]:
    builtins = kb.entries
    return {
        f"{prefix}builtins": FaqIndex.build(builtins, aids=kb.aids, distress=kb.distress),
        f"{prefix}builtins_plus_500": build_workspace_index(
            "T0BENCH", workspace, builtins=builtins, aids=kb.aids
        ),
        f"{prefix}builtins_plus_500_learned": build_workspace_index(
            "T0BENCH", workspace, learned=learned, builtins=builtins, aids=kb.aids
        ),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a knowledge-base YAML (bot/data/faq.yaml format) to time beside the current one",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    builtins = load_builtin_entries()
    workspace = synthetic_workspace_entries(WORKSPACE_ENTRIES)
    accuracy = {}
    questions: list[str] = []
    dev = load_questions(DEV_SET) if DEV_SET.exists() else []
    rounds = {
        "dev": (dev, builtins),
        **{n: (round_questions(n, p), entries_without_round(n)) for n, p in ROUNDS.items()},
    }
    for name, (labelled, entries) in rounds.items():
        if not labelled:
            continue
        questions.extend(q.question for q in labelled)
        report = evaluate(FaqIndex.build(entries), labelled)
        combined = evaluate(build_workspace_index("T0BENCH", workspace, builtins=entries), labelled)
        accuracy[name] = {
            "questions": len(labelled),
            "top1": round(report.top1, 4),
            "top3": round(report.top3, 4),
            "none_declined": round(report.none_declined, 4),
            "top1_with_500_workspace": round(combined.top1, 4),
            "none_declined_with_500_workspace": round(combined.none_declined, 4),
        }
    questions.extend(e.title for e in workspace[:50])

    learned = synthetic_learned(builtins, workspace, LEARNED_QUESTIONS)
    build = {
        "builtins_ms": round(time_builds(lambda: FaqIndex.build(builtins)), 2),
        "builtins_plus_500_ms": round(time_builds(lambda: build_workspace_index("T0BENCH", workspace)), 2),
        "builtins_plus_500_learned_ms": round(
            time_builds(lambda: build_workspace_index("T0BENCH", workspace, learned=learned)), 2
        ),
    }
    indexes = latency_indexes(load_knowledge_base(), workspace, learned)
    if args.baseline:
        baseline = parse_knowledge_base(yaml.safe_load(args.baseline.read_text(encoding="utf-8")))
        indexes.update(
            latency_indexes(
                baseline,
                workspace,
                synthetic_learned(baseline.entries, workspace, LEARNED_QUESTIONS),
                "baseline_",
            )
        )
    latency = time_queries(indexes, questions)
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
    for name, label in INDEX_LABELS.items():
        print(f"{label:<40}{build[name + '_ms']:>9.2f} ms")
    print("\nquery latency (target p99 <= 5 ms)")
    print(f"{'index':<40}{'queries':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'cold p99':>10}")
    for name, row in results["latency"].items():
        label = (
            f"baseline: {INDEX_LABELS[name[9:]].strip()}"
            if name.startswith("baseline_")
            else INDEX_LABELS[name]
        )
        print(
            f"{label:<40}{row['queries']:>9}{row['p50_ms']:>9.3f}{row['p99_ms']:>9.3f}"
            f"{row['max_ms']:>9.3f}{row['cold_p99_ms']:>10.3f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
