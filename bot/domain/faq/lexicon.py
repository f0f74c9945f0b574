"""Synonyms and abbreviations from the knowledge base's data file, applied to questions and entries alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.faq.text import normalize_text, stem, tokenize


@dataclass(frozen=True)
class SynonymGroup:
    """Any of ``terms`` (a word or phrase) found in a text also stands for the words of ``means``."""

    terms: tuple[str, ...]
    means: str


@dataclass(frozen=True)
class Expansion:
    groups: tuple[tuple[str, ...], ...]
    """For each matched term, the words it stands for, to be searched as well as the original words."""
    matched: frozenset[int]
    """Positions of the tokens that were part of a matched term."""

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(word for group in self.groups for word in group)


class Lexicon:
    """Terms are matched on stems, so "signing up" finds "sign up" and "canceled" finds "cancelled"."""

    def __init__(self, groups: Iterable[SynonymGroup]) -> None:
        phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        words: set[str] = set()
        for group in groups:
            means = tuple(tokenize(normalize_text(group.means)))
            words.update(means)
            for term in group.terms:
                tokens = tokenize(normalize_text(term))
                words.update(tokens)
                key = tuple(stem(t) for t in tokens)
                if key:
                    known = phrases.get(key, ())
                    phrases[key] = known + tuple(w for w in means if w not in known)
        self._phrases = phrases
        self._words = frozenset(words)
        self._longest = max((len(k) for k in phrases), default=0)

    @property
    def words(self) -> frozenset[str]:
        """Every word the lexicon knows, as written in its terms and in what they mean."""
        return self._words

    def expand(self, tokens: Sequence[str]) -> Expansion:
        """Greedy longest-first matching of the lexicon's terms over ``tokens``."""
        stems = [stem(t) for t in tokens]
        groups: list[tuple[str, ...]] = []
        matched: set[int] = set()
        i = 0
        while i < len(stems):
            for n in range(min(self._longest, len(stems) - i), 0, -1):
                means = self._phrases.get(tuple(stems[i : i + n]))
                if means is not None:
                    if means:
                        groups.append(means)
                    matched.update(range(i, i + n))
                    i += n
                    break
            else:
                i += 1
        return Expansion(tuple(groups), frozenset(matched))


@dataclass(frozen=True)
class SearchAids:
    """The knowledge base's search vocabulary beyond the entries themselves."""

    synonyms: Lexicon
    off_topic: Lexicon
    """Matches words that mark a question as being about something else; its terms mean nothing."""

    @property
    def words(self) -> frozenset[str]:
        return self.synonyms.words | self.off_topic.words
