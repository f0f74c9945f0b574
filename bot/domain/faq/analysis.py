"""From entries and questions to weighted stems: the shared vocabulary of the index."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from bot.domain.faq.entry import FaqEntry
from bot.domain.faq.lexicon import Lexicon, SearchAids
from bot.domain.faq.settings import FieldWeights, QueryWeights
from bot.domain.faq.spelling import SpellingCorrector
from bot.domain.faq.text import STOP_WORDS, is_content_word, normalize_text, stem, tokenize


def entry_fields(entry: FaqEntry) -> dict[str, str]:
    return {
        "title": entry.title,
        "keywords": " . ".join(entry.keywords),
        "phrasings": " . ".join(entry.phrasings),
        "answer": entry.answer,
    }


def entry_terms(entry: FaqEntry, lexicon: Lexicon, weights: FieldWeights) -> Counter[str]:
    """Weighted stem frequencies of an entry, synonyms of its words included."""
    terms: Counter[str] = Counter()
    for name, text in entry_fields(entry).items():
        field_weight: float = getattr(weights, name)
        tokens = tokenize(normalize_text(text))
        for token in tokens:
            if is_content_word(token):
                terms[stem(token)] += field_weight
        for word in lexicon.expand(tokens).words:
            if is_content_word(word):
                terms[stem(word)] += field_weight * weights.synonym_share
    return terms


def salient_stems(entries: list[FaqEntry], aids: SearchAids) -> frozenset[str]:
    """Stems people would use to ask about an entry: its title, keywords, example questions, synonyms."""
    texts = [text for e in entries for text in (e.title, *e.keywords, *e.phrasings)]
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

    off_topic_at = aids.off_topic.expand(fixed).matched
    expansion = aids.synonyms.expand([t if i not in off_topic_at else "" for i, t in enumerate(fixed)])
    terms: dict[str, float] = {}

    def add(term: str, weight: float) -> None:
        terms[term] = max(terms.get(term, 0.0), weight)

    unknown: list[str] = []
    off_topic: list[str] = []
    incidental: list[str] = []
    content = 0
    for i, token in enumerate(fixed):
        if not is_content_word(token):
            continue
        content += 1
        if i in off_topic_at:
            off_topic.append(tokens[i])
            continue
        term = stem(token)
        if term in known_stems:
            add(term, weights.corrected if i in corrected else weights.typed)
            if term not in salient_stems and i not in expansion.matched:
                incidental.append(tokens[i])
        elif i not in expansion.matched:
            unknown.append(tokens[i])
    for group in expansion.groups:
        share = weights.synonym / math.sqrt(len(group))
        for word in group:
            if is_content_word(word) and stem(word) in known_stems:
                add(stem(word), share)
    return AnalyzedQuestion(
        terms=terms,
        unknown=tuple(unknown),
        off_topic=tuple(off_topic),
        incidental=tuple(incidental),
        content_words=content,
    )
