"""The searchable FAQ: built once from a set of entries, queried many times."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from bot.domain.faq.analysis import analyze_question, entry_terms, salient_stems, surface_words
from bot.domain.faq.bm25 import Bm25Matrix
from bot.domain.faq.confidence import DomainVocabulary, MatchSignals, answer_probability
from bot.domain.faq.distress import WELLBEING_TOPIC, DistressDetector, DistressReading
from bot.domain.faq.entry import FaqEntry
from bot.domain.faq.knowledge_base import load_knowledge_base
from bot.domain.faq.lexicon import SearchAids
from bot.domain.faq.phrasing import PhrasingSimilarity
from bot.domain.faq.semantic import SemanticSimilarity, builtin_embeddings
from bot.domain.faq.settings import SearchSettings
from bot.domain.faq.spelling import SpellingCorrector
from bot.domain.faq.text import is_content_word, normalize_text, stem, tokenize


@dataclass(frozen=True)
class ScoredEntry:
    entry: FaqEntry
    score: float
    """0..1, the order of the ranking: how much of what the question asks this entry covers (BM25), with a
    share for how closely the question follows one of its phrasings."""


@dataclass(frozen=True)
class SearchResult:
    question: str
    ranked: tuple[ScoredEntry, ...]
    """Best first; may be non-empty even when declined (the closest topics to offer instead)."""
    answer: FaqEntry | None
    """The entry to show, or None when no entry fits well enough."""
    coverage: float = 0.0
    distress: DistressReading = DistressReading(False)
    """Whether the question reads as distress; if so the wellbeing topic is the answer, ranked first."""
    closest_floor: float = 0.0
    """The score a ranked entry needs to be offered as a close topic when the question is declined."""
    signals: MatchSignals | None = None
    """What the decision to answer or decline was based on (None when the question had no known words)."""
    confidence: float = 0.0
    """The calibrated probability that the best entry answers the question."""

    @property
    def declined(self) -> bool:
        return self.answer is None

    def closest(self, limit: int = 3) -> list[FaqEntry]:
        """Topics worth offering instead of an answer: only those that really came close, maybe none."""
        return [scored.entry for scored in self.ranked[:limit] if scored.score >= self.closest_floor]


class FaqIndex:
    """Entries plus everything needed to rank them for a question.

    An index holds the built-in entries and at most one workspace's own entries, so scores are
    comparable across both and nothing leaks between workspaces.
    """

    def __init__(
        self,
        entries: tuple[FaqEntry, ...],
        aids: SearchAids,
        settings: SearchSettings,
        distress: DistressDetector | None = None,
    ) -> None:
        self._entries = entries
        self._by_id = {entry.id: entry for entry in entries}
        self._aids = _with_workspace_vocabulary(aids, entries)
        self._settings = settings
        self._distress = distress or load_knowledge_base().distress
        self._wellbeing = self._by_id.get(WELLBEING_TOPIC)
        self._bm25 = Bm25Matrix(
            [entry_terms(e, aids.synonyms, settings.fields) for e in entries],
            settings.bm25,
            corpus_weights(entries),
        )
        self._domain = DomainVocabulary(entries)
        self._phrasing = PhrasingSimilarity(entries)
        self._meaning = SemanticSimilarity(entries, builtin_embeddings())
        self._known_stems = frozenset(self._bm25.term_ids)
        self._salient_stems = salient_stems(list(entries), aids)

        words = surface_words(list(entries), aids)
        words.update({word: 1 for word in self._distress.words if word not in words})
        self._speller = SpellingCorrector(words)
        self._unknown_word_ceiling = self._bm25.typical_ceiling()

    @classmethod
    def build(
        cls,
        entries: Iterable[FaqEntry],
        *,
        aids: SearchAids | None = None,
        settings: SearchSettings | None = None,
        distress: DistressDetector | None = None,
    ) -> FaqIndex:
        """Index ``entries``; the search aids and distress vocabulary default to the built-in knowledge
        base's."""
        entries = tuple(entries)
        _check_entries(entries)
        return cls(entries, aids or load_knowledge_base().aids, settings or SearchSettings(), distress)

    @property
    def entries(self) -> tuple[FaqEntry, ...]:
        return self._entries

    @property
    def workspace_id(self) -> str | None:
        return next((e.workspace_id for e in self._entries if e.workspace_id is not None), None)

    def get(self, entry_id: str) -> FaqEntry | None:
        return self._by_id.get(entry_id)

    def related(self, entry: FaqEntry, limit: int = 3) -> list[FaqEntry]:
        """The entry's related topics that this index holds, in the order the entry lists them."""
        found = (self._by_id.get(related_id) for related_id in entry.related)
        return [e for e in found if e is not None and e.id != entry.id][:limit]

    def by_category(self) -> dict[str, list[FaqEntry]]:
        """Entries grouped by category, categories and entries in knowledge-base order."""
        groups: dict[str, list[FaqEntry]] = {}
        for entry in self._entries:
            groups.setdefault(entry.category, []).append(entry)
        return groups

    def search(self, question: str, limit: int = 5) -> SearchResult:
        analyzed = analyze_question(
            question,
            self._aids,
            self._speller,
            self._known_stems,
            self._salient_stems,
            self._settings.query,
        )
        distress = self._distress.read(analyzed.typed, analyzed.corrected)
        policy = self._settings.decline
        if not analyzed.terms or not self._entries:
            result = SearchResult(
                question=question,
                ranked=(),
                answer=None,
                coverage=analyzed.coverage,
                closest_floor=policy.min_closest,
            )
            return self._wellbeing_first(result, distress)

        raw = self._bm25.scores(analyzed.terms)
        weights = self._settings.query
        missed = (
            analyzed.unknown_weight
            + weights.off_topic_penalty * len(analyzed.off_topic)
            + weights.incidental_penalty * len(analyzed.incidental)
        )
        ceiling = self._bm25.ceiling(analyzed.terms) + self._unknown_word_ceiling * missed
        scores = raw / ceiling
        meaning = self._meaning.similarities(" ".join(analyzed.corrected))
        ranking = (
            scores
            + weights.phrasing * self._phrasing.similarities(analyzed.corrected)
            + weights.meaning * meaning
        ) / (1 + weights.phrasing + weights.meaning)
        order = np.argsort(-ranking, kind="stable")[:limit]
        ranked = tuple(
            ScoredEntry(self._entries[i], round(float(ranking[i]), 4)) for i in order if ranking[i] > 0
        )
        best_two = np.sort(scores)[::-1][:2]
        signals = MatchSignals(
            score=float(best_two[0]),
            lead=float(best_two[0] - best_two[1]) if len(best_two) > 1 else float(best_two[0]),
            coverage=analyzed.coverage,
            anchor=self._domain.anchor(analyzed.corrected),
            meaning=float(meaning.max()),
        )
        confidence = answer_probability(signals, policy.weights, policy.bias)
        fits = bool(ranked) and confidence >= policy.min_probability
        if analyzed.off_topic:
            fits = fits and signals.score >= policy.min_score_off_topic
        result = SearchResult(
            question=question,
            ranked=ranked,
            answer=ranked[0].entry if fits else None,
            coverage=round(analyzed.coverage, 4),
            closest_floor=policy.min_closest if analyzed.coverage >= policy.min_coverage else float("inf"),
            signals=signals,
            confidence=round(confidence, 4),
        )
        return self._wellbeing_first(result, distress)

    def _wellbeing_first(self, result: SearchResult, distress: DistressReading) -> SearchResult:
        """A question that reads as distress is answered with the wellbeing topic, whatever else ranked."""
        if not distress.distress or self._wellbeing is None:
            return replace(result, distress=distress)
        wellbeing = self._wellbeing
        best = max((scored.score for scored in result.ranked), default=1.0)
        others = tuple(scored for scored in result.ranked if scored.entry.id != wellbeing.id)
        return replace(
            result,
            ranked=(ScoredEntry(wellbeing, best), *others),
            answer=wellbeing,
            distress=distress,
        )


def corpus_weights(entries: Sequence[FaqEntry]) -> list[float]:
    """How much each entry counts in word statistics: a workspace's entries together never count for
    more than the built-ins, so a large program FAQ cannot skew how the built-in topics rank."""
    builtin = sum(1 for e in entries if e.workspace_id is None)
    own = len(entries) - builtin
    share = min(1.0, builtin / own) if own and builtin else 1.0
    return [1.0 if e.workspace_id is None else share for e in entries]


def _with_workspace_vocabulary(aids: SearchAids, entries: Sequence[FaqEntry]) -> SearchAids:
    """A workspace's own entries may be about what the built-ins call off-topic (a retreat, parking):
    words from their titles and keywords, and from questions its coordinators mapped to a topic, stop
    counting against a question in that workspace's index."""
    own = [e for e in entries if e.workspace_id is not None or e.learned]
    if not own:
        return aids
    texts = (text for e in own for text in (*_own_texts(e), *e.learned))
    words = {w for text in texts for w in tokenize(normalize_text(text))}
    return replace(aids, off_topic=aids.off_topic.excluding(stem(w) for w in words if is_content_word(w)))


def _own_texts(entry: FaqEntry) -> tuple[str, ...]:
    return (entry.title, *entry.keywords) if entry.workspace_id is not None else ()


def _check_entries(entries: Sequence[FaqEntry]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"duplicate FAQ entry id {entry.id!r}")
        seen.add(entry.id)
    workspaces = {e.workspace_id for e in entries if e.workspace_id is not None}
    if len(workspaces) > 1:
        raise ValueError(f"one index may hold one workspace's entries, got {sorted(workspaces)}")
