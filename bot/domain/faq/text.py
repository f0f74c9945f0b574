"""Turning free text into comparable words: normalisation, tokens, stop words and stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_LETTER_HYPHEN_DIGIT = re.compile(r"(?<=[a-z])-(?=\d)")
_SLACK_LINK = re.compile(r"<(?:[^|>]*\|)?([^>]*)>")
_DIGIT_PLURAL = re.compile(r"(?<=\d)s\b")
_WORD = re.compile(r"[a-z0-9]+")

_STOP_WORDS_TEXT = """
    a about above actually after again all also am an and any anyone anything anyway are as at basically
    be been being both but by can cant could currently did do does doing done dont each either else etc
    even ever every exactly for from further get gets getting go going got gonna had has have having he
    her here hers hey hi him his honestly how however i id if ill im in into is isnt it its itll ive just
    lets like literally ll maybe me might mine more most much must
    my myself need needs of off ok okay on once one only or other our ours out over own please pls plz
    probably really s same she should shouldnt so some someone something still such sure t than thanks thank that
    thats the their theirs them then there theres these they thing things this those though through to
    tbh too u under until up us very vs versus via want wanna was way we well were weve what whats when where
    wheres whether which while who whos whom why will with wont would wouldnt yeah yes yet you youd your
    youre yours yourself ur
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
"""Function words and chat filler; "kind", "no" and "not" are kept out because they carry meaning."""


def normalize_text(text: str) -> str:
    """Lower-case, plain-ASCII-ish text with Slack link markup reduced to its label."""
    text = _SLACK_LINK.sub(r" \1 ", text)
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("", text)
    text = text.replace("&", " and ")
    text = _LETTER_HYPHEN_DIGIT.sub("", text)
    return _DIGIT_PLURAL.sub("", text)


def tokenize(text: str) -> list[str]:
    """Words of already normalised text, stop words included (phrases like "how often" need them)."""
    return _WORD.findall(text)


def is_content_word(word: str) -> bool:
    return len(word) > 1 and not word.isdigit() and word not in STOP_WORDS


FILLER_WORDS = frozenset(
    [
        "actually",
        "basically",
        "exactly",
        "honestly",
        "literally",
        "really",
        "just",
        "even",
        "like",
        "um",
        "uh",
        "tbh",
        "pls",
        "plz",
        "please",
        "simply",
        "truly",
    ]
)
"""Words people drop into a phrase without changing it: "what exactly is a mentor" is "what is a mentor"."""

_stemmer = snowballstemmer.stemmer("english")

_STEM_EXCEPTIONS = {
    "busy": "busy",
    "informal": "informal",
    "informally": "informal",
    "personal": "personal",
    "personally": "personal",
    "polite": "polite",
    "politely": "polite",
}
"""Words the Snowball stemmer folds into an unrelated word: busy/business, informal/information,
personal/person, polite/politics."""


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEM_EXCEPTIONS.get(word) or _stemmer.stemWord(word)
