"""Measuring search quality on a file of questions in the dev-set format (``questions: [{q, topic}]``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.domain.faq.index import FaqIndex
from bot.domain.faq.knowledge_base import load_knowledge_base

NONE_TOPIC = "none"


@dataclass(frozen=True)
class LabelledQuestion:
    question: str
    topic: str
    """The id that should rank first, or ``none`` when the bot should decline."""


@dataclass(frozen=True)
class Miss:
    question: str
    expected: str
    answered: str | None
    """The id the bot answered with; None when it declined."""
    ranked: tuple[str, ...]


@dataclass(frozen=True)
class EvaluationReport:
    answerable: int
    top1_hits: int
    top3_hits: int
    unanswerable: int
    declined: int
    misses: tuple[Miss, ...]

    @property
    def top1(self) -> float:
        return self.top1_hits / self.answerable if self.answerable else 0.0

    @property
    def top3(self) -> float:
        return self.top3_hits / self.answerable if self.answerable else 0.0

    @property
    def none_declined(self) -> float:
        return self.declined / self.unanswerable if self.unanswerable else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "questions": self.answerable + self.unanswerable,
            "top1": round(self.top1, 4),
            "top3": round(self.top3, 4),
            "none_declined": round(self.none_declined, 4),
            "misses": [
                {"q": m.question, "expected": m.expected, "answered": m.answered, "ranked": list(m.ranked)}
                for m in self.misses
            ],
        }


def parse_questions(data: object) -> list[LabelledQuestion]:
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise ValueError("expected a mapping with a 'questions' list")
    questions = []
    for item in data["questions"]:
        if not isinstance(item, dict) or "q" not in item or "topic" not in item:
            raise ValueError(f"each question needs 'q' and 'topic': {item!r}")
        questions.append(LabelledQuestion(str(item["q"]), str(item["topic"])))
    return questions


def load_questions(path: str | Path) -> list[LabelledQuestion]:
    return parse_questions(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def round_questions(name: str, rest: str | Path) -> list[LabelledQuestion]:
    """An earlier evaluation round whole again: its answerable questions, now among the knowledge base's
    example questions, and the questions no entry should answer, kept in the file ``rest``."""
    examples = [
        LabelledQuestion(e.question, e.topic) for e in load_knowledge_base().examples if e.round == name
    ]
    return examples + load_questions(rest)


def evaluate(index: FaqIndex, questions: Iterable[LabelledQuestion]) -> EvaluationReport:
    """Top-1 counts only answered questions (a decline on an answerable question is a miss); top-3
    looks at the ranking whatever the decision, since declines still offer the closest topics."""
    answerable = top1 = top3 = unanswerable = declined = 0
    misses: list[Miss] = []
    for labelled in questions:
        result = index.search(labelled.question)
        ranked = tuple(scored.entry.id for scored in result.ranked)
        answered = result.answer.id if result.answer else None
        if labelled.topic == NONE_TOPIC:
            unanswerable += 1
            declined += result.declined
            correct = result.declined
        else:
            answerable += 1
            correct = answered == labelled.topic
            top1 += correct
            top3 += labelled.topic in ranked[:3]
        if not correct:
            misses.append(Miss(labelled.question, labelled.topic, answered, ranked[:3]))
    return EvaluationReport(answerable, top1, top3, unanswerable, declined, tuple(misses))
