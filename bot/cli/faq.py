"""`mentor-circles faq ...`: ask the FAQ a question, or measure it on a file of labelled questions.

Works with no Slack, no database and no settings: it only reads the built-in knowledge base.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import yaml

from bot.domain.faq import (
    FaqIndex,
    SearchResult,
    check_question,
    evaluate,
    load_builtin_entries,
    load_questions,
)
from bot.domain.faq.evaluation import EvaluationReport

TOP_N = 5


def add_commands(subparsers: Any) -> None:
    """Add the ``faq`` command group to an argparse subparsers object."""
    faq = subparsers.add_parser("faq", help="search the built-in FAQ or measure its accuracy")
    commands = faq.add_subparsers(dest="faq_command", required=True, metavar="{ask,eval}")

    ask = commands.add_parser("ask", help="show the top-ranked topics for a question")
    ask.add_argument("question", nargs="+", help="the question, quoted or not")
    ask.add_argument("--json", action="store_true", help='print {"answer": ..., "ranked": [...]}')
    ask.set_defaults(func=run_ask)

    measure = commands.add_parser("eval", help="top-1/top-3 accuracy and declines on a questions file")
    measure.add_argument("file", help="YAML file in the dev-set format: questions: [{q, topic}]")
    measure.add_argument("--json", action="store_true", help="print the report as JSON")
    measure.set_defaults(func=run_eval)


def ask_payload(result: SearchResult) -> dict[str, Any]:
    return {
        "answer": result.answer.id if result.answer else None,
        "ranked": [{"id": s.entry.id, "score": s.score} for s in result.ranked],
        "distress": result.distress.distress,
    }


def run_ask(args: argparse.Namespace) -> int:
    check = check_question(" ".join(args.question))
    if not check.ok:
        if args.json:
            print(json.dumps({"answer": None, "ranked": []}))
        print(check.problem, file=sys.stderr)
        return 2
    result = FaqIndex.build(load_builtin_entries()).search(check.question, limit=TOP_N)
    if args.json:
        print(json.dumps(ask_payload(result)))
        return 0
    if result.distress.distress:
        print("reads as distress: the wellbeing topic is answered first")
    if result.answer:
        print(f"answer: {result.answer.id}")
    else:
        print("declined: no topic fits well enough (the ranking is listed below)")
    for rank, scored in enumerate(result.ranked, start=1):
        marker = "  <- answer" if scored.entry is result.answer else ""
        print(f"{rank}. {scored.entry.id:<36} {scored.score:.3f}{marker}")
    return 0


def format_report(report: EvaluationReport) -> str:
    lines = [
        f"questions: {report.answerable + report.unanswerable} "
        f"({report.answerable} with a topic, {report.unanswerable} none)",
        f"top-1 accuracy: {report.top1:.1%} ({report.top1_hits}/{report.answerable})",
        f"top-3 accuracy: {report.top3:.1%} ({report.top3_hits}/{report.answerable})",
        f"none declined:  {report.none_declined:.1%} ({report.declined}/{report.unanswerable})",
        f"misses: {len(report.misses)}",
    ]
    for miss in report.misses:
        answered = miss.answered or "declined"
        lines.append(
            f"  - {miss.question!r}: expected {miss.expected}, got {answered} (top 3: {', '.join(miss.ranked)})"
        )
    return "\n".join(lines)


def run_eval(args: argparse.Namespace) -> int:
    try:
        questions = load_questions(args.file)
    except (OSError, ValueError, yaml.YAMLError) as error:
        print(f"cannot read {args.file}: {error}", file=sys.stderr)
        return 2
    report = evaluate(FaqIndex.build(load_builtin_entries()), questions)
    print(json.dumps(report.as_dict(), indent=2) if args.json else format_report(report))
    return 0
