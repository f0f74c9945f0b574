"""Everyday-English knowledge: real words are never "corrected", British spellings find American ones,
and common words count for less than rare ones."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.faq.analysis import specificity
from bot.domain.faq.english import american_spellings, is_common_word, zipf
from bot.domain.faq.settings import QueryWeights
from bot.domain.faq.spelling import SpellingCorrector


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("programme", "program"),
        ("organise", "organize"),
        ("organisation", "organization"),
        ("prioritising", "prioritizing"),
        ("analyse", "analyze"),
        ("centre", "center"),
        ("colour", "color"),
        ("behaviours", "behaviors"),
        ("paediatric", "pediatric"),
        ("practise", "practice"),
        ("licence", "license"),
        ("enrolment", "enrollment"),
        ("catalogue", "catalog"),
    ],
)
def test_british_spellings_have_their_american_form_among_the_candidates(british, american):
    assert american in american_spellings(british)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=20))
def test_candidates_are_distinct_and_never_the_word_itself(word):
    candidates = american_spellings(word)
    assert word not in candidates
    assert len(candidates) == len(set(candidates))


def test_common_words_are_told_from_typos():
    assert is_common_word("bailed") and is_common_word("mentor") and is_common_word("patel")
    assert not is_common_word("reserch") and not is_common_word("negotiatte") and not is_common_word("")
    assert zipf("time") > zipf("career") > zipf("mentor") > zipf("noncompete")


def test_speller_leaves_real_words_alone_but_fixes_typos_of_them():
    speller = SpellingCorrector(Counter({"failed": 4, "panel": 2, "program": 5, "organize": 1}))
    assert speller.correct("bailed") is None
    assert speller.correct("patel") is None
    assert speller.correct("faild") == "failed"
    assert speller.correct("programme") == "program"
    assert speller.correct("organise") == "organize"


def test_speller_can_be_told_what_a_real_word_is():
    speller = SpellingCorrector(Counter({"failed": 4}), is_real_word=lambda word: False)
    assert speller.correct("bailed") == "failed"


def test_specificity_falls_for_everyday_words_and_stays_within_its_bounds():
    weights = QueryWeights()
    assert specificity("noncompete", weights) == 1.0
    assert specificity("mentor", weights) == 1.0
    assert weights.generic_floor <= specificity("time", weights) < specificity("career", weights) <= 1.0
    flat = QueryWeights(generic_floor=1.0)
    assert specificity("time", flat) == 1.0
