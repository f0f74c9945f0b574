"""What everyday English says about a word: how common it is, and its American spelling.

The FAQ is a few dozen short documents, too few for word statistics to tell a topical word from a
generic one: "put" appears in one entry, so BM25 rates it as telling as "noncompete". Word frequencies
from a large general corpus (wordfreq's English list) supply that missing background. They also tell a
typo ("reserch") from a real word the knowledge base happens not to use ("bailed", a surname), which must
never be "corrected" into some other word.
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache

from wordfreq import get_frequency_dict

COMMON_WORD_ZIPF = 3.0
"""Zipf 3 is once per million words: wordfreq's "small" English list holds exactly the words this common."""


@cache
def _frequencies() -> dict[str, float]:
    return get_frequency_dict("en", wordlist="small")


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """log10 of a word's frequency per billion words; 0 for words rarer than once per million."""
    frequency = _frequencies().get(word)
    return math.log10(frequency) + 9 if frequency else 0.0


def is_common_word(word: str) -> bool:
    return zipf(word) >= COMMON_WORD_ZIPF


_BRITISH_TO_AMERICAN = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"is(e|ed|es|ing|ation|ations|er|ers)$", r"iz\1"),
        (r"ys(e|ed|es|ing)$", r"yz\1"),
        (r"(?<=.{3})our(s|ed|ing|ite|ites|able|ful)?$", r"or\1"),
        (r"(?<=.{2})tre(s)?$", r"ter\1"),
        (r"ogue(s)?$", r"og\1"),
        (r"ence(s)?$", r"ense\1"),
        (r"ise(s|d)?$", r"ice\1"),
        (r"mme(s)?$", r"m\1"),
        (r"(?<=[aeiou])l(ment|ments)?$", r"ll\1"),
        (r"ae|oe", "e"),
    )
)


def american_spellings(word: str) -> list[str]:
    """Candidate American forms of a possibly British word ("programme" -> "program"), most likely first.

    Purely mechanical: a caller keeps only the candidates its vocabulary actually contains.
    """
    candidates = []
    for pattern, replacement in _BRITISH_TO_AMERICAN:
        candidate = pattern.sub(replacement, word)
        if candidate != word and candidate not in candidates:
            candidates.append(candidate)
    return candidates
