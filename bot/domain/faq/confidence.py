"""Whether the best match is good enough to show: one calibrated judgement from several signals.

A question about the staff bathroom code or a paper jam shares an everyday word or two with some entry
and can score as well as a terse on-topic question does. What tells them apart is whether the question
uses the knowledge base's own vocabulary at all: "mentor", "rvu", "fellowship", "circle" are far more
frequent in the entries than in everyday English; "code", "fix", "found", "dog" are not. That domain
anchor, the BM25 confidence, how far the best entry leads the next, the share of words the index knows
and how close in meaning the question comes to some entry's phrasings are combined by a logistic model
whose weights live in ``settings.DeclinePolicy``; nothing here lists off-topic words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.faq.english import zipf
from bot.domain.faq.entry import FaqEntry
from bot.domain.faq.text import is_content_word, normalize_text, tokenize

ANCHOR_RANGE = (-1.0, 6.0)
"""Domain specificity is clipped to this range: beyond it, a word is simply unknown or simply topical."""


class DomainVocabulary:
    """How much more often each word occurs in the entries than in everyday English (log10 ratio).

    The built-in entries and a workspace's own entries are counted apart and a word keeps the higher of
    its two ratios: a program FAQ about the retreat makes "retreat" topical in that workspace, and however
    large it is, it never dilutes the built-in vocabulary.
    """

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self._specificity: dict[str, float] = {}
        for own in (False, True):
            counts: Counter[str] = Counter()
            for entry in entries:
                if (entry.workspace_id is not None) != own:
                    continue
                for text in (entry.title, *entry.keywords, *entry.phrasings, *entry.learned, entry.answer):
                    counts.update(t for t in tokenize(normalize_text(text)) if is_content_word(t))
            total = sum(counts.values())
            for word, n in counts.items():
                ratio = math.log10(n / total) + 9 - zipf(word)
                self._specificity[word] = max(ratio, self._specificity.get(word, ratio))

    def specificity(self, word: str) -> float:
        low, high = ANCHOR_RANGE
        return min(high, max(low, self._specificity.get(word, low)))

    def anchor(self, words: Iterable[str]) -> float:
        """The most domain-specific of ``words``, scaled to about 0..2."""
        low = ANCHOR_RANGE[0]
        return max((self.specificity(w) for w in words if is_content_word(w)), default=low) / 3


@dataclass(frozen=True)
class MatchSignals:
    score: float
    """The best entry's BM25 confidence, 0..1."""
    lead: float
    """How far that score leads the runner-up's."""
    coverage: float
    """Share of the question's content words the knowledge base knows."""
    anchor: float
    """``DomainVocabulary.anchor`` of the question's words."""
    meaning: float = 0.0
    """``semantic.SemanticSimilarity`` of the entry closest in meaning: how near the question comes to
    something the knowledge base is asked, in any words."""

    def values(self) -> tuple[float, ...]:
        return (self.score, self.lead, self.coverage, self.anchor, self.meaning)


def answer_probability(signals: MatchSignals, weights: Sequence[float], bias: float) -> float:
    """The logistic model's estimate that some entry answers the question."""
    z = bias + math.fsum(w * v for w, v in zip(weights, signals.values(), strict=True))
    return 1 / (1 + math.exp(-z))
