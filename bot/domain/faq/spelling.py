"""Typo correction against the vocabulary an index actually contains."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.faq.english import american_spellings, is_common_word

MIN_WORD_LENGTH = 5
_CACHE_LIMIT = 20_000


class SpellingCorrector:
    """Maps an unknown word to the closest known word, or to nothing when no word is close enough.

    Distance is optimal string alignment (edits plus swapped neighbours), one edit for words under nine
    letters, two for longer ones; ties go to the word the knowledge base uses most. Short words are left
    alone: "pd" or "qi" are abbreviations, and one edit turns most four-letter words into other words.
    Real words are left alone too (``is_real_word``, by default: common in everyday English): "bailed" is
    not a misspelt "failed". A British spelling is mapped to the American one the knowledge base uses.
    """

    def __init__(
        self, word_counts: Counter[str], is_real_word: Callable[[str], bool] = is_common_word
    ) -> None:
        self._counts = word_counts
        self._is_real_word = is_real_word
        self._choices = sorted(w for w in word_counts if len(w) >= MIN_WORD_LENGTH - 1 and not w.isdigit())
        self._cache: dict[str, str | None] = {}

    def __contains__(self, word: str) -> bool:
        return word in self._counts

    def correct(self, word: str) -> str | None:
        if word in self._counts:
            return word
        if word.isdigit():
            return None
        if word not in self._cache:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[word] = self._closest(word)
        return self._cache[word]

    def _closest(self, word: str) -> str | None:
        american = next((w for w in american_spellings(word) if w in self._counts), None)
        if american is not None:
            return american
        if len(word) < MIN_WORD_LENGTH or self._is_real_word(word):
            return None
        allowed = 1 if len(word) < 9 else 2
        found = process.extract(word, self._choices, scorer=OSA.distance, score_cutoff=allowed, limit=8)
        if not found:
            return None
        best = min(found, key=lambda hit: (hit[1], -self._counts[hit[0]], hit[0]))
        return best[0]
