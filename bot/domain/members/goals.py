"""Goals: reading `/mentor goal add|done|drop`, and the rules for moving a goal between statuses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.text import clean_text
from bot.domain.vocabulary import DOMAINS, domain_from_tag

from .dates import format_date, looks_like_date, parse_due_date
from .problem import Problem
from .slack_text import escape, unescape

GOAL_TEXT_MIN = 3
GOAL_TEXT_MAX = 300

GOAL_ADD_EXAMPLE = "`/mentor goal add Submit my case report by March #research`"
GOAL_ADD_USAGE = (
    f"Add a goal like this: {GOAL_ADD_EXAMPLE}. "
    "A deadline (`by June 30`, `in 6 weeks`) and topic tags (`#research`, `#teaching`) are optional."
)
GOAL_NUMBER_USAGE = "Tell me which goal by its number from `/mentor goals`, like `/mentor goal done 2` or `/mentor goal drop 2`."


class GoalStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class CheckInKind(StrEnum):
    """One entry in a goal's history: how it started, how it is going, and each change of status."""

    CREATED = "created"
    ON_TRACK = "on-track"
    NEED_HELP = "need-help"
    DONE = "done"
    DROPPED = "dropped"
    REOPENED = "reopened"


@dataclass(frozen=True)
class GoalDraft:
    text: str
    due: date | None
    domains: tuple[str, ...]


_TAG = re.compile(r"(?<![\w<#])#([^\W\d_][\w-]*)")
_IN_DURATION = re.compile(
    r"(?:^|\s)(?:in|within)\s+((?:\d{1,6}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"\s+(?:day|week|month|year)s?)\s*$",
    re.IGNORECASE,
)
_BY = re.compile(r"(?:^|\s)by\s+", re.IGNORECASE)
_GOAL_NUMBER = re.compile(r"^(?:goal\s*)?(?:#|no\.?|number)?\s*(\d{1,6})\.?$", re.IGNORECASE)
_EDGE_PUNCTUATION = " ,;:-–—"


def parse_goal_add(text: str, today: date) -> GoalDraft | Problem:
    """`/mentor goal add TEXT [by DATE | in N weeks] [#domain ...]`: tags may sit anywhere."""
    cleaned = clean_text(unescape(text))
    tags = _TAG.findall(cleaned)
    domains: list[str] = []
    unknown: list[str] = []
    for tag in tags:
        domain = domain_from_tag(tag)
        if domain is None:
            unknown.append(tag)
        elif domain not in domains:
            domains.append(domain)
    if unknown:
        return Problem(_unknown_tags_message(unknown))
    body = " ".join(_TAG.sub(" ", cleaned).split())
    body, due_phrase = _split_deadline(body)
    due: date | None = None
    if due_phrase is not None:
        parsed = parse_due_date(due_phrase, today)
        if isinstance(parsed, Problem):
            return parsed
        due = parsed
    goal = body.strip(_EDGE_PUNCTUATION)
    if not goal:
        return Problem(GOAL_ADD_USAGE)
    if len(goal) < GOAL_TEXT_MIN:
        return Problem(f"That goal is a little short. Say a few words about it, like {GOAL_ADD_EXAMPLE}.")
    if len(goal) > GOAL_TEXT_MAX:
        return Problem(
            f"Please keep a goal to {GOAL_TEXT_MAX} characters (yours has {len(goal):,}). "
            "A short headline works best; the details can go in your check-ins."
        )
    return GoalDraft(text=goal, due=due, domains=tuple(domains))


def parse_goal_number(text: str) -> int | Problem:
    """The goal number in `/mentor goal done N` / `drop N`: `3`, `#3` or `goal 3`."""
    found = _GOAL_NUMBER.match(clean_text(text))
    if found is None or int(found.group(1)) < 1:
        return Problem(GOAL_NUMBER_USAGE)
    return int(found.group(1))


def check_goal_number(number: int, goal_count: int) -> Problem | None:
    """A problem when `number` is not one of the member's own goals (numbered 1..goal_count)."""
    if goal_count <= 0:
        return Problem(f"You don't have any goals yet. Add your first one with {GOAL_ADD_EXAMPLE}.")
    if not 1 <= number <= goal_count:
        count = "one goal" if goal_count == 1 else f"{goal_count} goals"
        return Problem(
            f"You don't have a goal {number}: you have {count}. `/mentor goals` shows them with their numbers."
        )
    return None


def apply_check_in(
    status: GoalStatus | None, kind: CheckInKind, *, number: int | None = None
) -> GoalStatus | Problem:
    """The goal's status after a check-in, or a friendly explanation of why it does not apply.

    `status` is None for a goal that does not exist yet: only `created` applies to it, and only to it.
    Finishing a dropped goal is allowed (it got done after all); reopening works from done or dropped.
    """
    if (status is None) != (kind is CheckInKind.CREATED):
        raise ValueError(f"a {kind} check-in cannot apply to a goal with status {status}")
    if status is None:
        return GoalStatus.OPEN
    goal = f"Goal {number}" if number is not None else "That goal"
    if kind is CheckInKind.REOPENED:
        if status is GoalStatus.OPEN:
            return Problem(f"{goal} is already open, so there's nothing to reopen.")
        return GoalStatus.OPEN
    if status is GoalStatus.OPEN:
        return {CheckInKind.DONE: GoalStatus.DONE, CheckInKind.DROPPED: GoalStatus.DROPPED}.get(kind, status)
    if status is GoalStatus.DONE:
        if kind is CheckInKind.DONE:
            return Problem(f"{goal} is already done. Nice work!")
        if kind is CheckInKind.DROPPED:
            return Problem(f"{goal} is already done, so there's nothing to drop.")
        return Problem(f"{goal} is already done. Reopen it first if you're still working on it.")
    if kind is CheckInKind.DONE:
        return GoalStatus.DONE
    if kind is CheckInKind.DROPPED:
        return Problem(f"{goal} is already dropped.")
    return Problem(f"{goal} was dropped. Reopen it first if you'd like to pick it up again.")


def goal_added_message(number: int, draft: GoalDraft) -> str:
    due = f", due {format_date(draft.due)}" if draft.due else ""
    return f"Added goal {number}: *{escape(draft.text)}*{due}. Good luck!"


def check_in_message(kind: CheckInKind, number: int, text: str) -> str:
    """The confirmation a member sees after a check-in on one of their goals."""
    goal = f"goal {number} (*{escape(text)}*)"
    return {
        CheckInKind.CREATED: f"Added {goal}. Good luck!",
        CheckInKind.ON_TRACK: f"Great to hear {goal} is on track.",
        CheckInKind.NEED_HELP: f"Thanks for saying so. I've noted that {goal} could use some help.",
        CheckInKind.DONE: f"Marked {goal} as done. Congratulations!",
        CheckInKind.DROPPED: f"Dropped {goal}. Letting go of a goal is a fine choice too.",
        CheckInKind.REOPENED: f"Reopened {goal}. Welcome back to it!",
    }[kind]


def _split_deadline(body: str) -> tuple[str, str | None]:
    """The goal text and its trailing deadline phrase, if the text ends with one."""
    duration = _IN_DURATION.search(body)
    if duration:
        return body[: duration.start()], "in " + duration.group(1)
    by_clauses = list(_BY.finditer(body))
    if not by_clauses:
        return body, None
    last_by = by_clauses[-1]
    tail = body[last_by.end() :]
    if not looks_like_date(tail):
        return body, None
    return body[: last_by.start()], tail


def _unknown_tags_message(unknown: list[str]) -> str:
    names = ", ".join(f"`#{escape(tag[:30])}`" for tag in dict.fromkeys(unknown))
    known = ", ".join(f"`#{domain}`" for domain in DOMAINS)
    aliases = ", ".join(f"`#{alias}`" for alias in ("teaching", "finance", "wellness", "career"))
    word = "that tag" if len(set(unknown)) == 1 else "those tags"
    return (
        f"I don't know {word}: {names}. Goal tags are {known} (and a few everyday words such as {aliases})."
    )
