"""Reading a question as distress: a resident who is burnt out, exhausted, overwhelmed or in crisis.

Such a question is answered with the wellbeing topic ahead of anything else and is never declined, however
it is worded. The decision looks at what the question says, not at how it is phrased: it matches the
knowledge base's distress vocabulary (``distress`` in ``bot/data/faq.yaml``) on word stems, after the
index's typo correction and on the words as typed, so "exausted", "overwhelmd" and "burnt out" count alike.

Two kinds of terms:

* *crisis* terms (self-harm, wanting to die, a crisis line) always mean distress.
* *signs* (burnt out, drowning, can't cope, panic attacks...) mean distress unless the question talks about
  them in general, as something to prevent or measure ("how can a mentor help prevent burnout", "do mentored
  residents burn out less"): a *general* word next to every sign, and nothing saying the asker is in that
  state now: a *present* word just before a sign ("I'm", "I feel") or a *now* word anywhere ("lately").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.domain.faq.lexicon import Lexicon, SynonymGroup
from bot.domain.faq.text import normalize_text, tokenize

WELLBEING_TOPIC = "resident-wellbeing"
"""The topic every distress question is answered with first."""

WINDOW_BEFORE = 4
WINDOW_AFTER = 3
"""How many words before a sign a present word, and before or after it a general word, may sit."""


@dataclass(frozen=True)
class DistressTerms:
    """The vocabulary as written in the knowledge base's data file."""

    crisis: tuple[str, ...] = ()
    signs: tuple[str, ...] = ()
    general: tuple[str, ...] = ()
    """Words that turn a sign into a topic ("prevent", "avoid", "rates", "less")."""
    present: tuple[str, ...] = ()
    """Words that, just before a sign, put the asker in that state ("im", "i feel")."""
    now: tuple[str, ...] = ()
    """Words that put the asker in the state wherever they stand ("lately", "these days")."""


@dataclass(frozen=True)
class DistressReading:
    distress: bool
    crisis: bool = False
    matched: tuple[str, ...] = ()
    """The terms found, as typed (for tests and the offline `faq ask`; never stored)."""


def _lexicon(terms: Iterable[str]) -> Lexicon:
    return Lexicon([SynonymGroup(tuple(terms), "")])


@dataclass(frozen=True)
class DistressDetector:
    terms: DistressTerms
    _crisis: Lexicon = field(init=False, repr=False, compare=False)
    _signs: Lexicon = field(init=False, repr=False, compare=False)
    _general: Lexicon = field(init=False, repr=False, compare=False)
    _present: Lexicon = field(init=False, repr=False, compare=False)
    _now: Lexicon = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_crisis", _lexicon(self.terms.crisis))
        object.__setattr__(self, "_signs", _lexicon(self.terms.signs))
        object.__setattr__(self, "_general", _lexicon(self.terms.general))
        object.__setattr__(self, "_present", _lexicon(self.terms.present))
        object.__setattr__(self, "_now", _lexicon(self.terms.now))

    @property
    def words(self) -> frozenset[str]:
        """Every word of the distress vocabulary, so the speller can correct typos towards them."""
        return self._crisis.words | self._signs.words

    def read(self, *versions: Sequence[str]) -> DistressReading:
        """Read the question's tokens; several versions (as typed, typos corrected) may be given and any
        one reading as distress is enough."""
        readings = [self._read(tokens) for tokens in versions]
        hits = [r for r in readings if r.distress]
        if not hits:
            return DistressReading(False)
        matched = tuple(dict.fromkeys(term for r in hits for term in r.matched))
        return DistressReading(True, any(r.crisis for r in hits), matched)

    def read_text(self, text: str) -> DistressReading:
        return self.read(tokenize(normalize_text(text)))

    def _read(self, tokens: Sequence[str]) -> DistressReading:
        crisis = self._crisis.expand(tokens).terms
        if crisis:
            return DistressReading(True, True, _spans(tokens, crisis))
        signs = self._signs.expand(tokens).terms
        if not signs:
            return DistressReading(False)
        matched = _spans(tokens, signs)
        if self._now.expand(tokens).terms:
            return DistressReading(True, False, matched)
        general = _positions(self._general.expand(tokens).terms)
        present = _positions(self._present.expand(tokens).terms)
        for span in signs:
            if present.intersection(range(span.start - WINDOW_BEFORE, span.start)):
                return DistressReading(True, False, matched)
            if not general.intersection(range(span.start - WINDOW_BEFORE, span.stop + WINDOW_AFTER)):
                return DistressReading(True, False, matched)
        return DistressReading(False, False, matched)


def _positions(spans: Iterable[range]) -> set[int]:
    return {i for span in spans for i in span}


def _spans(tokens: Sequence[str], spans: Iterable[range]) -> tuple[str, ...]:
    return tuple(" ".join(tokens[i] for i in span) for span in spans)
