"""`mentor-circles match ...`: run the matching engine on a JSON file (no Slack, no database)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from bot.domain.matching import CircleSize, CircleWeights, match_mentors, plan_rounds
from bot.domain.matching.serialization import (
    InputError,
    document_from,
    history_from,
    match_result_to_dict,
    people_from,
    plans_to_dict,
)

EXIT_BAD_INPUT = 2

PERSON_KEYS = {
    "id": "required: a unique string, e.g. a Slack user id",
    "stage": "e.g. PGY-1, PGY-2, faculty",
    "specialty": "e.g. internal-medicine",
    "site": "where they work, e.g. a hospital's name",
    "tz": "IANA time zone, e.g. America/Chicago",
    "track": "e.g. academic, clinical",
    "needs": 'list of domains a mentee wants guidance on, e.g. ["research"]',
    "offers": "list of domains a mentor can help with",
    "avoid": "list of ids never to be matched with (kept confidential)",
    "capacity": "how many mentees a mentor takes (whole number, default 1)",
    "active": "false leaves them out (default true)",
}
CIRCLES_KEYS = {
    "members": "required: list of people (keys below)",
    "history": 'earlier rounds, newest last: [{"circles": [[id, ...], ...], "pairs": [[id, id], ...]}]',
    "weights": f"how much each preference counts, any of: {', '.join(f.name for f in fields(CircleWeights))}",
    "forbidden_pairs": "[[id, id], ...] never in one circle",
}
MENTORS_KEYS = {
    "mentees": "required: list of people (keys below)",
    "mentors": "required: list of people (keys below)",
    "existing": "[[mentee, mentor], ...] current matches",
    "keep_existing": "true keeps existing matches as they are (default false)",
    "forbidden_pairs": "[[mentee, mentor], ...] never matched",
}
HISTORY_KEYS = frozenset({"circles", "pairs"})

CIRCLES_OBJECTIVE = (
    "Objective: the total cost the engine minimised for the round (lower is better, 0 is ideal): for "
    "every pair in a circle, a cost for having met in recent rounds plus costs for differences in stage, "
    "specialty, site, time zone and track, each scaled by 'weights'."
)
MENTORS_OBJECTIVE = (
    "Objective: the total cost the engine minimised (lower is better): needed domains no mentor covers, "
    "differences in specialty, track and stage, mentors' existing load and extra team mentors, plus a "
    "large cost for every mentee left unmatched, so matching everyone comes first."
)


def _format(title: str, keys: dict[str, str]) -> str:
    width = max(map(len, keys))
    return "\n".join([title, *(f"  {key.ljust(width)}  {meaning}" for key, meaning in keys.items())])


def _epilog(top: dict[str, str], objective: str) -> str:
    return "\n\n".join(
        [
            _format("The input is one JSON object with these keys (any other key is refused):", top),
            _format("Each person is an object with these keys:", PERSON_KEYS),
            objective,
        ]
    )


def add_commands(subparsers: Any) -> None:
    """Add the ``match`` command group (``circles`` and ``mentors``) to a CLI's subparsers."""
    match = subparsers.add_parser(
        "match",
        help="form peer circles or mentor matches from a JSON file",
        description="Run the matching engine on a JSON file: no Slack, no database.",
    )
    commands = match.add_subparsers(dest="match_command", required=True)

    circles = commands.add_parser(
        "circles",
        help="plan rounds of peer circles",
        description="Plan rounds of peer circles from a JSON file.",
        epilog=_epilog(CIRCLES_KEYS, CIRCLES_OBJECTIVE),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    circles.add_argument("--input", required=True, type=Path, help="JSON file with members and history")
    circles.add_argument("--size", required=True, type=int, help="target circle size")
    circles.add_argument("--min", type=int, help="smallest circle allowed (default: size - 1)")
    circles.add_argument("--max", type=int, help="largest circle allowed (default: size + 1)")
    circles.add_argument("--rounds", type=int, default=1, help="how many rounds to plan together")
    circles.add_argument("--seed", type=int, default=0, help="seed for breaking ties (default 0)")
    circles.add_argument("--json", action="store_true", help="print only JSON")
    circles.set_defaults(func=run_circles)

    mentors = commands.add_parser(
        "mentors",
        help="match mentees with mentors",
        description="Match mentees with mentors from a JSON file.",
        epilog=_epilog(MENTORS_KEYS, MENTORS_OBJECTIVE),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mentors.add_argument("--input", required=True, type=Path, help="JSON file with mentees and mentors")
    mentors.add_argument("--teams", action="store_true", help="mentorship teams of up to 3 mentors")
    mentors.add_argument("--seed", type=int, default=0, help="seed for breaking ties (default 0)")
    mentors.add_argument("--json", action="store_true", help="print only JSON")
    mentors.set_defaults(func=run_mentors)


def _refuse_unknown(document: dict[str, Any], top: dict[str, str], people: tuple[str, ...]) -> None:
    """Every key must be one the format documents: a misspelt key would otherwise be ignored silently."""
    _known(document, set(top), "the input")
    for key in people:
        items = document.get(key)
        for n, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                _known(item, set(PERSON_KEYS), f"{key}[{n}]")
    history = document.get("history")
    for n, round_ in enumerate(history if isinstance(history, list) else []):
        if isinstance(round_, dict):
            _known(round_, set(HISTORY_KEYS), f"history[{n}]")


def _known(obj: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise InputError(
            f"{where} has an unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))}); "
            "`mentor-circles match --help` describes the format"
        )


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    return dict(document_from(data))


def _weights(document: dict[str, Any]) -> CircleWeights:
    raw = document.get("weights", {})
    allowed = {f.name for f in fields(CircleWeights)}
    if not isinstance(raw, dict):
        raise InputError(f"'weights' must be an object with keys among {sorted(allowed)}")
    _known(raw, allowed, "'weights'")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw.values()):
        raise InputError("'weights' values must be numbers")
    return CircleWeights(**raw)


def _pairs(document: dict[str, Any], key: str) -> list[tuple[str, str]]:
    raw = document.get(key, [])
    if not isinstance(raw, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in raw
    ):
        raise InputError(f"'{key}' must be a list of [id, id] pairs")
    return [(a, b) for a, b in raw]


def run_circles(args: argparse.Namespace) -> int:
    try:
        document = _load(args.input)
        members = people_from(document, "members")
        history = history_from(document)
        _refuse_unknown(document, CIRCLES_KEYS, ("members",))
        weights = _weights(document)
        forbidden = _pairs(document, "forbidden_pairs")
        low = args.min if args.min is not None else max(1, args.size - 1)
        high = args.max if args.max is not None else args.size + 1
        size = CircleSize(args.size, low, high)
        if args.rounds < 1:
            raise InputError("--rounds must be at least 1")
    except (InputError, ValueError) as exc:
        return _fail(str(exc))
    plans = plan_rounds(
        members,
        rounds=args.rounds,
        size=size,
        history=history,
        weights=weights,
        forbidden_pairs=forbidden,
        seed=args.seed,
    )
    output = plans_to_dict(plans)
    if args.json:
        print(json.dumps(output, indent=2))
        return 0
    for number, round_ in enumerate(output["rounds"], start=1):
        stats = round_["stats"]
        print(
            f"Round {number}: {stats['circles']} circles, {stats['new_pairs']} new pairs, "
            f"{stats['repeat_pairs']} repeats, objective {round_['objective']:g}"
        )
        for circle, reasons in zip(round_["circles"], round_["reasons"], strict=True):
            print(f"  {', '.join(circle):<40} {'; '.join(reasons)}")
        for person in round_["unplaced"]:
            print(f"  not placed: {person['id']} ({person['reason']})")
        for warning in round_["warnings"]:
            print(f"  note: {warning}")
    print(CIRCLES_OBJECTIVE)
    return 0


def run_mentors(args: argparse.Namespace) -> int:
    try:
        document = _load(args.input)
        mentees = people_from(document, "mentees")
        mentors = people_from(document, "mentors")
        _refuse_unknown(document, MENTORS_KEYS, ("mentees", "mentors"))
        existing = _pairs(document, "existing")
        forbidden = _pairs(document, "forbidden_pairs")
        keep = document.get("keep_existing", False)
        if not isinstance(keep, bool):
            raise InputError("'keep_existing' must be true or false")
    except (InputError, ValueError) as exc:
        return _fail(str(exc))
    result = match_mentors(
        mentees,
        mentors,
        teams=args.teams,
        existing=existing,
        keep_existing=keep,
        forbidden_pairs=forbidden,
        seed=args.seed,
    )
    output = match_result_to_dict(result)
    if args.json:
        print(json.dumps(output, indent=2))
        return 0
    print(
        f"{len(output['matches'])} matched, {len(output['unmatched'])} unmatched, objective {output['objective']:g}"
    )
    for match in output["matches"]:
        print(f"  {match['mentee']:<12} -> {', '.join(match['mentors']):<30} {'; '.join(match['reasons'])}")
    for person in output["unmatched"]:
        print(f"  not matched: {person['id']} ({person['reason']})")
    if output["gap"] is not None:
        proven = (
            "the best possible" if output["gap"] == 0 else f"within {output['gap']:.1%} of the best possible"
        )
        print(f"This matching is {proven} (lower bound {output['bound']:g}).")
    print(MENTORS_OBJECTIVE)
    return 0
