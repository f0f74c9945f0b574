"""End-of-round feedback: the three questions, their answers, and the relationship-health score.

Pure. Each participant answers once per round of a program (a changed answer replaces the earlier one);
`storage/feedback.py` keeps the answers, this module counts them and scores them. The score is defined
here and nowhere else:

    health score = 100 x the mean, over everyone who answered, of the mean of their answers' values,
    where "worth your time" is yes 1 / somewhat 0.5 / no 0, "would you continue" is yes 1 / not sure 0.5 /
    no 0, and "how often did you meet" is never 0 / once 1/3 / 2-3 times 2/3 / 4+ 1. A question someone
    left unanswered is left out of their mean.

Coordinators never see one person's answers: counts and scores are shown only once `MIN_ANSWERS_SHOWN`
people have answered, and comments only when their writer agreed to share them, without any name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

QUESTIONS: Mapping[str, Mapping[str, float]] = {
    "worth": {"yes": 1.0, "somewhat": 0.5, "no": 0.0},
    "met": {"never": 0.0, "once": 1 / 3, "two_three": 2 / 3, "four_plus": 1.0},
    "continue": {"yes": 1.0, "not_sure": 0.5, "no": 0.0},
}
"""Each question's answers, in the order they are offered, with the value the score gives them."""
MIN_ANSWERS_SHOWN = 2
"""Counts and scores appear once this many people have answered, so nobody's answers stand alone."""
MAX_COMMENT_CHARS = 1000
HEALTH_FORMULA = (
    "The health score (0–100) is the average of everyone's answers, where worth your time counts "
    "yes 1, somewhat ½, no 0; would you continue yes 1, not sure ½, no 0; and meetings never 0, once ⅓, "
    "2–3 times ⅔, 4 or more 1."
)
"""The formula in words, as the stats show it (it must say what `health_score` computes)."""


KEY_PREFIX = "round_feedback"


def feedback_key(program_id: int, round_starts: date, user_id: str) -> str:
    """The outbox key of one person's questions for one round: at most one per person and round."""
    return f"{KEY_PREFIX}:p{program_id}:{round_starts.isoformat()}:{user_id}"


def round_of_key(key: str) -> tuple[int, date] | None:
    """(program id, round's first day) named by a `feedback_key` (kept when a sent nudge's payload is
    cleared); None for any other key."""
    parts = key.split(":")
    if len(parts) != 4 or parts[0] != KEY_PREFIX or not parts[1][1:].isdigit():
        return None
    try:
        return int(parts[1][1:]), date.fromisoformat(parts[2])
    except ValueError:
        return None


def is_answer(question: str, answer: str) -> bool:
    return answer in QUESTIONS.get(question, {})


@dataclass(frozen=True)
class Answers:
    """One person's answers for one round; None where they haven't answered (yet)."""

    worth: str | None = None
    met: str | None = None
    carry_on: str | None = None
    """The "would you continue?" answer."""

    def of(self, question: str) -> str | None:
        return {"worth": self.worth, "met": self.met, "continue": self.carry_on}[question]

    @property
    def any(self) -> bool:
        return any(value is not None for value in (self.worth, self.met, self.carry_on))

    @property
    def complete(self) -> bool:
        return all(value is not None for value in (self.worth, self.met, self.carry_on))


def answer_score(answers: Answers) -> float | None:
    """One person's score, 0..1: the mean of the values of the questions they answered."""
    values = [
        QUESTIONS[question][answer]
        for question in QUESTIONS
        if (answer := answers.of(question)) is not None and answer in QUESTIONS[question]
    ]
    return sum(values) / len(values) if values else None


def health_score(everyone: Iterable[Answers]) -> int | None:
    """The health score 0-100 of everyone's answers (see the module docstring); None when nobody answered."""
    scores = [score for answers in everyone if (score := answer_score(answers)) is not None]
    return round(100 * sum(scores) / len(scores)) if scores else None


@dataclass(frozen=True)
class RoundFeedback:
    """A program's feedback for one round: how many were asked, the answers counted, the shared comments."""

    program: str
    round_name: str
    """'round 3 of 2026–27' (`bot.domain.calendar.RoundWindow.name`)."""
    starts: date
    asked: int = 0
    answers: tuple[Answers, ...] = ()
    comments: tuple[str, ...] = ()
    """Comments shared anonymously, in an order that says nothing about who wrote them."""
    counts: Mapping[str, Counter[str]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        program: str,
        round_name: str,
        starts: date,
        asked: int,
        answers: Iterable[Answers],
        comments: Iterable[str] = (),
    ) -> RoundFeedback:
        given = tuple(answer for answer in answers if answer.any)
        counts = {
            question: Counter(value for a in given if (value := a.of(question)) is not None)
            for question in QUESTIONS
        }
        shown = tuple(sorted((c for c in comments if c.strip()), key=lambda text: (text.casefold(), text)))
        return cls(program, round_name, starts, max(asked, len(given)), given, shown, counts)

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def shown(self) -> bool:
        """Whether enough people answered for the counts and the score to be shown."""
        return self.answered >= MIN_ANSWERS_SHOWN

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    @property
    def score(self) -> int | None:
        return health_score(self.answers) if self.shown else None


@dataclass(frozen=True)
class LatestRound:
    """A program's latest round with feedback asked for: who was asked and what each person answered."""

    round_name: str
    asked: frozenset[str]
    """Slack user ids of the people asked."""
    answers: Mapping[str, Answers]
    """Slack user id -> their answers: only ever counted or scored together, never shown one by one."""

    def answered(self, user_id: str) -> bool:
        found = self.answers.get(user_id)
        return found is not None and found.any

    def group(self, user_ids: Iterable[str]) -> tuple[int, int, int | None]:
        """(asked, answered, health score) of a circle or mentorship's people; the score only once
        `MIN_ANSWERS_SHOWN` of them answered."""
        people = [user_id for user_id in user_ids if user_id in self.asked]
        given = [self.answers[user_id] for user_id in people if self.answered(user_id)]
        score = health_score(given) if len(given) >= MIN_ANSWERS_SHOWN else None
        return len(people), len(given), score
