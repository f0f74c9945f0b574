"""JSON-shaped dicts to engine inputs and engine outputs to JSON-shaped dicts (used by the CLI)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import History, HistoryRound, MatchResult, Person, RoundPlan, Unmatched


class InputError(ValueError):
    """The input document does not have the expected shape; the message says where."""


_TEXT_FIELDS = ("stage", "specialty", "site", "tz", "track")


def _strings(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where} must be a list of strings")
    return frozenset(value)


def person_from_dict(data: Any, where: str) -> Person:
    if not isinstance(data, Mapping):
        raise InputError(f"{where} must be an object")
    pid = data.get("id")
    if not isinstance(pid, str) or not pid:
        raise InputError(f"{where} needs a non-empty string 'id'")
    fields: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}.{name} must be a string")
        fields[name] = value
    capacity = data.get("capacity", 1)
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
        raise InputError(f"{where}.capacity must be a whole number >= 0")
    active = data.get("active", True)
    if not isinstance(active, bool):
        raise InputError(f"{where}.active must be true or false")
    return Person(
        id=pid,
        needs=_strings(data.get("needs"), f"{where}.needs"),
        offers=_strings(data.get("offers"), f"{where}.offers"),
        avoid=_strings(data.get("avoid"), f"{where}.avoid"),
        capacity=capacity,
        active=active,
        **fields,
    )


def people_from(document: Mapping[str, Any], key: str) -> list[Person]:
    items = document.get(key)
    if not isinstance(items, list):
        raise InputError(f"'{key}' must be a list")
    return [person_from_dict(item, f"{key}[{n}]") for n, item in enumerate(items)]


def history_from(document: Mapping[str, Any]) -> History:
    rounds = document.get("history", [])
    if not isinstance(rounds, list):
        raise InputError("'history' must be a list of rounds")
    parsed = []
    for n, round_ in enumerate(rounds):
        if not isinstance(round_, Mapping):
            raise InputError(f"history[{n}] must be an object with 'circles'")
        circles = round_.get("circles", [])
        pairs = round_.get("pairs", [])
        if not isinstance(circles, list) or not all(
            isinstance(c, list) and all(isinstance(x, str) for x in c) for c in circles
        ):
            raise InputError(f"history[{n}].circles must be a list of lists of ids")
        if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs
        ):
            raise InputError(f"history[{n}].pairs must be a list of [id, id] pairs")
        parsed.append(HistoryRound(tuple(tuple(c) for c in circles), tuple((a, b) for a, b in pairs)))
    return History(tuple(parsed))


def document_from(data: Any) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise InputError("the input must be a JSON object")
    return data


def _unmatched(person: Unmatched) -> dict[str, str]:
    """The CLI reads every list from its own input file, so it may say which reason applies."""
    return {"id": person.id, "reason": person.reason.detail, "code": person.reason.value}


def plans_to_dict(plans: tuple[RoundPlan, ...]) -> dict[str, Any]:
    return {
        "rounds": [
            {
                "circles": [list(c.members) for c in plan.circles],
                "objective": plan.objective,
                "reasons": [list(c.reasons) for c in plan.circles],
                "scores": [c.score for c in plan.circles],
                "stats": {
                    "circles": plan.stats.circles,
                    "placed": plan.stats.placed,
                    "new_pairs": plan.stats.new_pairs,
                    "repeat_pairs": plan.stats.repeat_pairs,
                    "unplaced": plan.stats.unplaced,
                },
                "unplaced": [_unmatched(u) for u in plan.unplaced],
                "warnings": list(plan.warnings),
            }
            for plan in plans
        ]
    }


def match_result_to_dict(result: MatchResult) -> dict[str, Any]:
    return {
        "matches": [
            {
                "mentee": m.mentee,
                "mentors": list(m.mentors),
                "covered": list(m.covered),
                "reasons": list(m.reasons),
                "score": m.score,
            }
            for m in result.matches
        ],
        "unmatched": [_unmatched(u) for u in result.unmatched],
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "warnings": list(result.warnings),
    }
