"""FAQ answers for members: search, related topics, the topic browser, Helpful/Not helpful feedback.

The index searched is the built-in knowledge base plus the workspace's own entries (`deps.faq`, cached
per workspace). Questions the index declines, and answers someone found unhelpful, are counted as misses
without their words; the asker is then offered to pass the question on, anonymously, and only then are
the words kept (`pass_on`), so coordinators can see what people ask that the FAQ does not cover yet
(`FaqLearning`: they answer each with a topic, which then learns its words, or write an entry from it).

A question answered with the wellbeing topic (every one that reads as distress is) is counted, never kept,
and the answer shows the asker's programs' own wellbeing contacts, or a general default.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.faq import FaqEntry, FaqIndex, check_workspace_entry, decline_message, parse_keywords
from bot.domain.faq.distress import WELLBEING_TOPIC
from bot.domain.faq.knowledge_base import default_wellbeing_contacts
from bot.domain.faq.workspace import workspace_entry_id
from bot.domain.members.slack_text import escape
from bot.domain.programs import ProgramSettings
from bot.domain.text import shorten
from bot.usecases.deps import Deps
from bot.usecases.unit_of_work import MemberUnit, UnitOfWork
from storage.faq import FaqRepository, PassedOnQuestion
from storage.models import Program

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
    already: bool = False
    """This answer's vote had been counted before (a second press, or a stale button): nothing changed."""


class PassedOn(StrEnum):
    KEPT = "kept"
    ALREADY = "already"
    UNKNOWN = "unknown"


class FaqAnswers:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def topics(self, uow: UnitOfWork) -> TopicBrowser:
        return TopicBrowser(self._index(uow).by_category())

    def ask(self, uow: UnitOfWork, question: str, user_id: str = "") -> FaqAnswer | FaqDeclined:
        """Answer a question already checked with `check_question`; a declined one is counted as a miss,
        one answered with the wellbeing topic is counted as such (neither keeps the words)."""
        index = self._index(uow)
        result = index.search(question)
        repository = FaqRepository(uow.session, uow.workspace_id)
        if result.answer is None:
            miss_id = repository.record_miss("declined")
            return FaqDeclined(decline_message(self._coordinators(uow)), result.closest(), miss_id, question)
        if result.answer.id == WELLBEING_TOPIC:
            repository.record_wellbeing_ask()
        return self._answer(uow, index, result.answer, question, user_id)

    def topic(
        self, uow: UnitOfWork, entry_id: str, question: str = "", user_id: str = ""
    ) -> FaqAnswer | TopicGone:
        """A topic opened from a Related button or the browser."""
        index = self._index(uow)
        entry = index.get(entry_id)
        if entry is None:
            return TopicGone()
        return self._answer(uow, index, entry, question, user_id)

    def feedback(
        self,
        uow: UnitOfWork,
        entry_id: str,
        question: str,
        helpful: bool,
        user_id: str = "",
        vote: str | None = None,
    ) -> FeedbackThanks | None:
        """Count the vote, once per answer; "Not helpful" also counts a miss. None when the topic is gone."""
        entry = self._index(uow).get(entry_id)
        if entry is None:
            return None
        repository = FaqRepository(uow.session, uow.workspace_id)
        text = self._text(uow, entry, user_id)
        if not repository.record_feedback(entry.id, helpful, vote):
            return FeedbackThanks(entry, text, helpful, already=True)
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

    def _answer(
        self, uow: UnitOfWork, index: FaqIndex, entry: FaqEntry, question: str, user_id: str
    ) -> FaqAnswer:
        return FaqAnswer(entry, self._text(uow, entry, user_id), index.related(entry), question)

    def _text(self, uow: UnitOfWork, entry: FaqEntry, user_id: str) -> str:
        contacts = wellbeing_contacts(uow, user_id) if entry.id == WELLBEING_TOPIC else ""
        return entry.answer_with(self._coordinators(uow), contacts)

    def _coordinators(self, uow: UnitOfWork) -> str:
        """Mentions filled into answers: the workspace's coordinators (on Enterprise Grid too)."""
        return self.deps.coordinators.mentions(uow.workspace.team_id, uow.workspace.enterprise_id or None)


def wellbeing_contacts(uow: UnitOfWork, user_id: str) -> str:
    """Who to talk to, as the wellbeing answer shows it: the contacts of the programs the asker takes part
    in; if none of those set any (or the asker has not joined), every program's in the workspace; and when
    no program has any, the knowledge base's general default."""
    member = uow.members.find(user_id) if user_id else None
    programs = uow.programs.programs_of(member) if member is not None else []
    found = _contacts(programs) or _contacts(uow.programs.all())
    if not found:
        return default_wellbeing_contacts()
    if len(found) == 1:
        return f"• *Your program's wellbeing contacts*: {found[0][1]}"
    return "\n".join(f"• *{name}*: {contacts}" for name, contacts in found)


def _contacts(programs: list[Program]) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    for program in programs:
        contacts = escape(ProgramSettings.from_json(program.settings).wellbeing_contacts.strip())
        if contacts and contacts not in found.values():
            found[program.name] = contacts
    return list(found.items())


QUESTIONS_PER_PAGE = 5
ENTRY_TITLE_MAX = 150


@dataclass(frozen=True)
class PassedOnListing:
    """The passed-on questions waiting for a coordinator, one page, with the topics to answer them with."""

    questions: list[PassedOnQuestion]
    """Words and row ids only: never who asked or when."""
    suggestions: dict[int, list[FaqEntry]]
    """Per question, the topics that came closest (maybe none), offered first."""
    topics: dict[str, list[FaqEntry]]
    """Every topic of the workspace's index, by category."""
    page: int = 0
    more: bool = False
    note: str = ""
    """What the last click did, worded for the coordinator (Slack mrkdwn); "" when nothing was clicked."""
    wellbeing_asks: int = 0
    """How many questions were answered with the wellbeing topic (a count: their words are never kept)."""


@dataclass(frozen=True)
class EntryDraft:
    """A new workspace entry pre-filled from a passed-on question."""

    miss_id: int
    title: str


class FaqLearning:
    """Coordinators teaching the FAQ from what people asked and it could not answer.

    Mapping a passed-on question to a topic keeps the question's words as extra search terms for that topic,
    in this workspace only (`storage.faq.FaqRepository.learned`); since the words stay in the passed-on row,
    the asker's erasure and the retention period take them out of the search as well.
    """

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def listing(self, uow: UnitOfWork, page: int = 0, note: str = "") -> PassedOnListing:
        repository = FaqRepository(uow.session, uow.workspace_id)
        page = max(page, 0)
        waiting = repository.passed_on((page + 1) * QUESTIONS_PER_PAGE + 1)
        if page and len(waiting) <= page * QUESTIONS_PER_PAGE:
            page = max(0, (len(waiting) - 1) // QUESTIONS_PER_PAGE)
        shown = waiting[page * QUESTIONS_PER_PAGE : (page + 1) * QUESTIONS_PER_PAGE]
        index = self.deps.faq.index(uow.session, uow.workspace_id)
        suggestions = {q.id: _suggested(index, q.question) for q in shown}
        more = len(waiting) > (page + 1) * QUESTIONS_PER_PAGE
        wellbeing = repository.wellbeing_asks()
        return PassedOnListing(shown, suggestions, index.by_category(), page, more, note, wellbeing)

    def map_to_topic(self, uow: UnitOfWork, miss_id: int, topic_id: str, page: int = 0) -> PassedOnListing:
        """Answer a passed-on question with a topic: from the next question on, its words count for it."""
        repository = FaqRepository(uow.session, uow.workspace_id)
        entry = self.deps.faq.index(uow.session, uow.workspace_id).get(topic_id)
        question = repository.passed_on_question(miss_id)
        if entry is None:
            note = "That topic is no longer available; pick another one."
        elif question is None or not repository.resolve(miss_id, entry.id):
            note = HANDLED_ALREADY
        else:
            note = (
                f"Done: questions like “{escape(shorten(question, 100))}” are now answered with "
                f"*{escape(entry.title)}* in this workspace."
            )
        return self.listing(uow, page, note)

    def dismiss(self, uow: UnitOfWork, miss_id: int, page: int = 0) -> PassedOnListing:
        """Take a passed-on question off the list without teaching the FAQ anything."""
        handled = FaqRepository(uow.session, uow.workspace_id).resolve(miss_id, None)
        return self.listing(
            uow, page, "Dismissed: the FAQ learns nothing from it." if handled else HANDLED_ALREADY
        )

    def entry_draft(self, uow: UnitOfWork, miss_id: int, page: int = 0) -> EntryDraft | PassedOnListing:
        """A new entry pre-filled with the question, or the listing when it was handled meanwhile."""
        question = FaqRepository(uow.session, uow.workspace_id).passed_on_question(miss_id)
        if question is None:
            return self.listing(uow, page, HANDLED_ALREADY)
        return EntryDraft(miss_id, shorten(question, ENTRY_TITLE_MAX))

    def save_entry(
        self, uow: UnitOfWork, miss_id: int, title: str, answer: str, keywords: str, author: str
    ) -> str | dict[str, str]:
        """Save the entry written from a passed-on question (its title, or inline errors by block id); the
        question is then handled, and its words count for the new entry too."""
        problems = check_workspace_entry(title, answer, parse_keywords(keywords))
        if problems:
            return problems
        repository = FaqRepository(uow.session, uow.workspace_id)
        row = repository.add(title, answer, keywords, author)
        repository.resolve(miss_id, workspace_entry_id(str(uow.workspace_id), str(row.id)))
        return title


HANDLED_ALREADY = "That question was handled already, or its words are gone (the asker deleted their data)."


def _suggested(index: FaqIndex, question: str) -> list[FaqEntry]:
    result = index.search(question)
    return result.closest() if result.answer is None else [result.answer, *result.closest()[1:]]
