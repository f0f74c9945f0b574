"""From entries and questions to weighted stems: the shared vocabulary of the index."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.faq.english import zipf
from bot.domain.faq.entry import FaqEntry
from bot.domain.faq.lexicon import Lexicon, SearchAids
from bot.domain.faq.settings import FieldWeights, QueryWeights
from bot.domain.faq.spelling import SpellingCorrector
from bot.domain.faq.text import STOP_WORDS, is_content_word, normalize_text, stem, tokenize


def entry_fields(entry: FaqEntry) -> dict[str, str]:
    return {
        "title": entry.title,
        "keywords": " . ".join(entry.keywords),
        "phrasings": " . ".join((*entry.phrasings, *entry.learned)),
        "answer": entry.answer,
    }


_CLAUSE_BREAK = re.compile(r"[.,;:!?()\n\u2022*\"]+")


def word_pairs(text: str) -> list[str]:
    """Neighbouring content-word stems within each clause, as single terms ("red flag", "give back")."""
    pairs: list[str] = []
    for clause in _CLAUSE_BREAK.split(normalize_text(text)):
        stems = [stem(t) for t in tokenize(clause) if is_content_word(t)]
        pairs.extend(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False) if a != b)
    return pairs


def entry_segments(entry: FaqEntry) -> dict[str, list[str]]:
    return {
        "title": [entry.title],
        "keywords": list(entry.keywords),
        "phrasings": [*entry.phrasings, *entry.learned],
        "answer": [entry.answer],
    }


@lru_cache(maxsize=8192)
def entry_terms(entry: FaqEntry, lexicon: Lexicon, weights: FieldWeights) -> Counter[str]:
    """Weighted stem frequencies of an entry, synonyms of its words and word pairs included.

    Cached, since every workspace's index counts the same built-in entries again (the lexicon by identity, the
    entry and weights by value); callers only read the result."""
    terms: Counter[str] = Counter()
    for name, segments in entry_segments(entry).items():
        field_weight: float = getattr(weights, name)
        for text in segments:
            tokens = tokenize(normalize_text(text))
            for token in tokens:
                if is_content_word(token):
                    terms[stem(token)] += field_weight  # type: ignore[assignment]  # weights are floats; Counter's stubs say int
            for word in lexicon.expand(tokens).words:
                if is_content_word(word):
                    terms[stem(word)] += field_weight * weights.synonym_share  # type: ignore[assignment]  # weights are floats; Counter's stubs say int
            if weights.pair_share:
                for pair in word_pairs(text):
                    terms[pair] += field_weight * weights.pair_share  # type: ignore[assignment]  # weights are floats; Counter's stubs say int
    return terms


def salient_stems(entries: list[FaqEntry], aids: SearchAids) -> frozenset[str]:
    """Stems people would use to ask about an entry: its title, keywords, example questions, synonyms."""
    texts = [text for e in entries for text in (e.title, *e.keywords, *e.phrasings, *e.learned)]
    words = {w for text in texts for w in tokenize(normalize_text(text))} | aids.synonyms.words
    return frozenset(stem(w) for w in words)


def surface_words(entries: list[FaqEntry], aids: SearchAids) -> Counter[str]:
    """Every word as written in the entries and the search aids, counted, for spelling correction."""
    counts: Counter[str] = Counter()
    for entry in entries:
        for text in entry_fields(entry).values():
            counts.update(tokenize(normalize_text(text)))
    counts.update(aids.words)
    return counts


def specificity(word: str, weights: QueryWeights) -> float:
    """1 for a word rare in everyday English, down to ``generic_floor`` for the most common ones."""
    span = weights.generic_to_zipf - weights.generic_from_zipf
    share = min(1.0, max(0.0, (zipf(word) - weights.generic_from_zipf) / span)) if span > 0 else 0.0
    return 1 - share * (1 - weights.generic_floor)


@dataclass(frozen=True)
class AnalyzedQuestion:
    terms: dict[str, float]
    """Stem -> weight: typed words, corrected typos and the synonyms they match."""
    unknown: tuple[str, ...]
    """Words of the question that neither the index nor the lexicon knows."""
    off_topic: tuple[str, ...]
    """Words of the question that mark it as being about something other than mentorship."""
    incidental: tuple[str, ...]
    """Words found only in answer prose, never in a title, keyword, example question or synonym."""
    content_words: int
    unknown_weight: float = 0.0
    """The unknown words' total specificity: a missed everyday word costs less than a missed rare one."""
    typed: tuple[str, ...] = ()
    """The question's tokens as typed."""
    corrected: tuple[str, ...] = ()
    """The same tokens with typos corrected."""

    @property
    def coverage(self) -> float:
        if not self.content_words:
            return 0.0
        return max(0.0, 1 - (len(self.unknown) + len(self.off_topic)) / self.content_words)


def analyze_question(
    question: str,
    aids: SearchAids,
    speller: SpellingCorrector,
    known_stems: set[str] | frozenset[str],
    salient_stems: set[str] | frozenset[str],
    weights: QueryWeights,
) -> AnalyzedQuestion:
    tokens = tokenize(normalize_text(question))
    fixed: list[str] = []
    corrected: set[int] = set()
    for i, token in enumerate(tokens):
        if (
            token in STOP_WORDS
            or token in speller
            or stem(token) in known_stems
            or not is_content_word(token)
        ):
            fixed.append(token)
            continue
        replacement = speller.correct(token)
        if replacement is None:
            fixed.append(token)
        else:
            fixed.append(replacement)
            corrected.add(i)

    off_topic_terms = aids.off_topic.expand(fixed).terms
    off_topic_at = {i for span in off_topic_terms for i in span}
    context_at = aids.context.expand(fixed).matched
    expansion = aids.synonyms.expand([t if i not in off_topic_at else "" for i, t in enumerate(fixed)])
    terms: dict[str, float] = {}

    def add(term: str, weight: float) -> None:
        terms[term] = max(terms.get(term, 0.0), weight)

    unknown: list[str] = []
    off_topic = [" ".join(tokens[i] for i in span) for span in off_topic_terms]
    incidental: list[str] = []
    content = len(off_topic)
    for i, token in enumerate(fixed):
        term = stem(token)
        if i in off_topic_at or not is_content_word(token) or (i in context_at and term not in known_stems):
            continue
        content += 1
        if term in known_stems:
            base = weights.corrected if i in corrected else weights.typed
            if i in context_at:
                base *= weights.context
            add(term, base * specificity(token, weights))
            if term not in salient_stems and i not in expansion.matched:
                incidental.append(tokens[i])
        elif i not in expansion.matched:
            unknown.append(tokens[i])
    if weights.pair:
        for pair in word_pairs(" ".join(t if i not in off_topic_at else "," for i, t in enumerate(fixed))):
            if pair in known_stems:
                add(pair, weights.pair)
    for group, span in zip(expansion.groups, expansion.spans, strict=True):
        share = weights.synonym / math.sqrt(len(group))
        if any(i in context_at for i in span):
            share *= weights.context
        for word in group:
            if is_content_word(word) and stem(word) in known_stems:
                add(stem(word), share)
    return AnalyzedQuestion(
        terms=terms,
        unknown=tuple(unknown),
        off_topic=tuple(off_topic),
        incidental=tuple(incidental),
        content_words=content,
        unknown_weight=sum(specificity(word, weights) for word in unknown),
        typed=tuple(tokens),
        corrected=tuple(fixed),
    )
