"""FAQ answers for members: search, related topics, the topic browser, Helpful/Not helpful feedback.

The index searched is the built-in knowledge base plus the workspace's own entries (`deps.faq`, cached
per workspace). Questions the index declines, and answers someone found unhelpful, are counted as misses
without their words; the asker is then offered to pass the question on, anonymously, and only then are
the words kept (`pass_on`), so coordinators can see what people ask that the FAQ does not cover yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.faq import FaqEntry, FaqIndex, decline_message
from bot.usecases.deps import Deps
from bot.usecases.unit_of_work import MemberUnit, UnitOfWork
from storage.faq import FaqRepository

QUESTION_KEPT_MAX = 500
TOPIC_GONE = "That topic is no longer available. Try `/mentor faq` to see the current ones."


@dataclass(frozen=True)
class TopicBrowser:
    by_category: dict[str, list[FaqEntry]]


@dataclass(frozen=True)
class FaqAnswer:
    entry: FaqEntry
    text: str
    """The entry's answer with the workspace's coordinators filled in."""
    related: list[FaqEntry]
    question: str
    """What was asked ("" when the topic was opened from a button or the browser)."""


@dataclass(frozen=True)
class FaqDeclined:
    message: str
    closest: list[FaqEntry]
    """Topics to offer instead."""
    miss_id: int
    """The counted miss the asker may pass on (`FaqAnswers.pass_on`)."""
    question: str


@dataclass(frozen=True)
class TopicGone:
    message: str = TOPIC_GONE


@dataclass(frozen=True)
class FeedbackThanks:
    entry: FaqEntry
    text: str
    helpful: bool
    miss_id: int | None = None
    """For "Not helpful" on a typed question: the counted miss the asker may pass on."""
    question: str = ""


class PassedOn(StrEnum):
    KEPT = "kept"
    ALREADY = "already"
    UNKNOWN = "unknown"


class FaqAnswers:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def topics(self, uow: UnitOfWork) -> TopicBrowser:
        return TopicBrowser(self._index(uow).by_category())

    def ask(self, uow: UnitOfWork, question: str) -> FaqAnswer | FaqDeclined:
        """Answer a question already checked with `check_question`; a declined one is counted as a miss."""
        index = self._index(uow)
        result = index.search(question)
        if result.answer is None:
            miss_id = FaqRepository(uow.session, uow.workspace_id).record_miss("declined")
            return FaqDeclined(decline_message(self._coordinators(uow)), result.closest(), miss_id, question)
        return self._answer(uow, index, result.answer, question)

    def topic(self, uow: UnitOfWork, entry_id: str, question: str = "") -> FaqAnswer | TopicGone:
        """A topic opened from a Related button or the browser."""
        index = self._index(uow)
        entry = index.get(entry_id)
        if entry is None:
            return TopicGone()
        return self._answer(uow, index, entry, question)

    def feedback(self, uow: UnitOfWork, entry_id: str, question: str, helpful: bool) -> FeedbackThanks | None:
        """Count the vote; "Not helpful" also counts a miss. None when the topic is gone."""
        entry = self._index(uow).get(entry_id)
        if entry is None:
            return None
        repository = FaqRepository(uow.session, uow.workspace_id)
        repository.record_feedback(entry.id, helpful)
        text = entry.answer_with(self._coordinators(uow))
        if helpful:
            return FeedbackThanks(entry, text, helpful)
        miss_id = repository.record_miss("not_helpful", entry.id)
        return FeedbackThanks(entry, text, helpful, miss_id if question else None, question)

    def pass_on(self, unit: MemberUnit, miss_id: int, question: str) -> PassedOn:
        """The asker agreed: keep the words of their counted miss, for the coordinators' anonymous list."""
        words = " ".join(question.split())[:QUESTION_KEPT_MAX]
        if not words:
            return PassedOn.UNKNOWN
        repository = FaqRepository(unit.session, unit.workspace_id)
        if repository.pass_on(miss_id, words, unit.member.id):
            return PassedOn.KEPT
        return PassedOn.ALREADY if repository.miss_exists(miss_id) else PassedOn.UNKNOWN

    def _index(self, uow: UnitOfWork) -> FaqIndex:
        return self.deps.faq.index(uow.session, uow.workspace_id)

    def _answer(self, uow: UnitOfWork, index: FaqIndex, entry: FaqEntry, question: str) -> FaqAnswer:
        return FaqAnswer(entry, entry.answer_with(self._coordinators(uow)), index.related(entry), question)

    def _coordinators(self, uow: UnitOfWork) -> str:
        """Mentions filled into answers: the workspace's coordinators (on Enterprise Grid too)."""
        return self.deps.coordinators.mentions(uow.workspace.team_id, uow.workspace.enterprise_id or None)
