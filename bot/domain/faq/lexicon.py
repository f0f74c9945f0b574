"""Synonyms and abbreviations from the knowledge base's data file, applied to questions and entries alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.domain.faq.text import FILLER_WORDS, normalize_text, stem, tokenize


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
    spans: tuple[range, ...] = ()
    """For each group, the token positions of the term that matched."""
    terms: tuple[range, ...] = ()
    """The token positions of every matched term, including terms that stand for nothing."""

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

    def excluding(self, stems: Iterable[str]) -> Lexicon:
        """A copy without the terms whose words all stem to one of ``stems``."""
        drop = frozenset(stems)
        copy = Lexicon([])
        copy._phrases = {key: means for key, means in self._phrases.items() if not set(key) <= drop}
        copy._words = self._words
        copy._longest = max((len(k) for k in copy._phrases), default=0)
        return copy

    def expand(self, tokens: Sequence[str]) -> Expansion:
        """Greedy longest-first matching of the lexicon's terms over ``tokens``, filler words skipped."""
        positions = [i for i, token in enumerate(tokens) if token not in FILLER_WORDS]
        stems = [stem(tokens[i]) for i in positions]
        groups: list[tuple[str, ...]] = []
        spans: list[range] = []
        terms: list[range] = []
        matched: set[int] = set()
        k = 0
        while k < len(stems):
            for n in range(min(self._longest, len(stems) - k), 0, -1):
                means = self._phrases.get(tuple(stems[k : k + n]))
                if means is not None:
                    span = range(positions[k], positions[k + n - 1] + 1)
                    if means:
                        groups.append(means)
                        spans.append(span)
                    terms.append(span)
                    matched.update(positions[k : k + n])
                    k += n
                    break
            else:
                k += 1
        return Expansion(tuple(groups), frozenset(matched), tuple(spans), tuple(terms))


@dataclass(frozen=True)
class SearchAids:
    """The knowledge base's search vocabulary beyond the entries themselves."""

    synonyms: Lexicon
    off_topic: Lexicon
    """Matches words that mark a question as being about something else; its terms mean nothing."""
    context: Lexicon = field(default_factory=lambda: Lexicon([]))
    """Matches words that say who is asking ("PGY2", "new attending") rather than what they ask."""

    @property
    def words(self) -> frozenset[str]:
        return self.synonyms.words | self.off_topic.words | self.context.words
