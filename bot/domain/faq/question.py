"""Cleaning up a question typed after `/mentor ask` and deciding whether it can be searched."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.faq.knowledge_base import load_knowledge_base

MAX_QUESTION_CHARS = 500

EMPTY_QUESTION = (
    "Ask me something after the command, for example `/mentor ask how do I find a research mentor?` "
    "To browse every topic instead, type `/mentor faq`."
)
TOO_LONG_QUESTION = (
    f"That's a bit long for me: please keep questions under {MAX_QUESTION_CHARS} characters. "
    "A sentence or two works best, e.g. `/mentor ask what should I look for in a job contract?`"
)

_USER_OR_SPECIAL = re.compile(r"<[@!][^>]*>")
_CHANNEL = re.compile(r"<#[^|>]*\|([^>]*)>|<#[^>]*>")
_LINK = re.compile(r"<([^|>]*)(?:\|([^>]*))?>")
_SPACE = re.compile(r"\s+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class QuestionCheck:
    question: str
    """The question as it will be searched."""
    problem: str | None
    """Why it can't be searched, worded for the person who asked (Slack mrkdwn); None when fine."""

    @property
    def ok(self) -> bool:
        return self.problem is None


def normalize_question(raw: str) -> str:
    """Slack markup reduced to plain words (mentions dropped, links to their label), spaces collapsed."""
    text = _USER_OR_SPECIAL.sub(" ", raw)
    text = _CHANNEL.sub(lambda m: f" {m.group(1) or ''} ", text)
    text = _LINK.sub(lambda m: f" {m.group(2) or ''} ", text)
    return _SPACE.sub(" ", text).strip()


def check_question(raw: str) -> QuestionCheck:
    """A question too long to search is turned back, unless it reads as distress: someone who pours it
    all out gets the wellbeing answer, never "please keep it shorter"."""
    question = normalize_question(raw)
    if not _LETTER_OR_DIGIT.search(question):
        return QuestionCheck("", EMPTY_QUESTION)
    if len(question) > MAX_QUESTION_CHARS and not load_knowledge_base().distress.read_text(question).distress:
        return QuestionCheck(question, TOO_LONG_QUESTION)
    return QuestionCheck(question, None)
