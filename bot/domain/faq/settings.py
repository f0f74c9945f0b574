"""The knobs of FAQ search, in one place so the benchmark and tests can see what was tuned."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.faq.bm25 import Bm25Params


@dataclass(frozen=True)
class FieldWeights:
    """How much a word counts in each part of an entry."""

    title: float = 2.0
    keywords: float = 2.0
    phrasings: float = 1.0
    """With a few dozen example questions per entry, a word several of them repeat ("meet", "often") would
    otherwise outweigh the entry's own title and keywords."""
    answer: float = 0.6
    """Answer prose is written to explain, not in the words people ask with, so it counts for less."""
    synonym_share: float = 0.5
    """Words a synonym stands for count this share of the word that triggered them."""
    pair_share: float = 1.0
    """Neighbouring word pairs ("red flag") count this share of a single word."""


@dataclass(frozen=True)
class QueryWeights:
    typed: float = 1.0
    corrected: float = 0.8
    synonym: float = 0.6
    pair: float = 0.3
    """A pair of neighbouring words in the question that an entry also uses ("red flags", "give back")."""
    phrasing: float = 0.6
    """Entries rank by their BM25 confidence plus this share of ``phrasing.PhrasingSimilarity``: how
    closely the question's word pairs, function words included, follow one of the entry's phrasings."""
    meaning: float = 0.9
    """... plus this share of ``semantic.SemanticSimilarity``: how close in meaning the question comes to
    the entry's nearest phrasings, whatever words it uses."""
    context: float = 0.5
    """Words that say who is asking ("PGY2 here") count this share of what they would otherwise."""
    off_topic_penalty: float = 3.0
    """An off-topic word counts as this many unknown words against the best match."""
    incidental_penalty: float = 0.5
    """A word known only from answer prose counts as this share of an unknown word."""
    generic_from_zipf: float = 4.8
    generic_to_zipf: float = 6.3
    generic_floor: float = 0.5
    """Everyday words tell less about a topic than the knowledge base's statistics suggest: a typed word's
    weight falls linearly from 1 at ``generic_from_zipf`` to ``generic_floor`` at ``generic_to_zipf``
    (wordfreq's Zipf scale: 6 is "time" or "know", 5 is "career", 4 is "mentor")."""


@dataclass(frozen=True)
class DeclinePolicy:
    """When the best match is not good enough to show.

    A logistic model over ``confidence.MatchSignals`` (BM25 confidence of the best entry, its lead over
    the runner-up, the share of known words, the domain anchor, the closeness in meaning) estimates whether
    some entry answers the question; below ``min_probability`` the question is declined. ``weights`` and
    ``bias`` were fitted by ``python -m bench.faq.calibrate`` on the dev set and the older evaluation
    rounds, each round searched without its own example questions and validated leaving one round out at a
    time (never on the newest held-out set). Leaving out heldout_v5, v6, v7 and v8 in turn, it declined 91%,
    92%, 96% and 88% of their off-topic questions; heldout_v8, measured once before it was fitted on, had
    shown that the previous fit (0.3) declined only 81%.
    """

    weights: tuple[float, float, float, float, float] = (3.98, 0.89, 4.69, 1.85, 5.37)
    bias: float = -9.36
    min_probability: float = 0.4
    min_score_off_topic: float = 0.55
    """A question with a term the knowledge base marks as off-topic ("swap my call", "Epic password")
    also needs this BM25 confidence (0.5 until the example questions joined the entries; 0.55 changed
    nothing on the earlier rounds searched as new)."""
    min_coverage: float = 0.4
    """Below this share of known words, a declined question offers no "came closest" topics."""
    min_closest: float = 0.3
    """A declined question offers only the topics scoring at least this as "came closest" (maybe none)."""


@dataclass(frozen=True)
class SearchSettings:
    bm25: Bm25Params = field(default_factory=lambda: Bm25Params(k1=1.6, b=0.75))

    fields: FieldWeights = field(default_factory=FieldWeights)
    query: QueryWeights = field(default_factory=QueryWeights)
    decline: DeclinePolicy = field(default_factory=DeclinePolicy)
