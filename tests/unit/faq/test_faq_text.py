"""The building blocks: synonyms matched on stems, typo correction that stays conservative."""

import subprocess
import sys
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.faq.analysis import word_pairs
from bot.domain.faq.lexicon import Lexicon, SynonymGroup
from bot.domain.faq.spelling import SpellingCorrector
from bot.domain.faq.text import FILLER_WORDS, normalize_text, stem, tokenize


def test_normalisation_handles_slack_quotes_ampersands_and_training_years():
    assert tokenize(normalize_text("Don’t PGY-2s & MS3s <https://x.y|count>?")) == [
        "dont",
        "pgy2",
        "and",
        "ms3",
        "count",
    ]


def test_lexicon_matches_word_forms_and_prefers_the_longest_term():
    lexicon = Lexicon(
        [
            SynonymGroup(("sign up",), "join"),
            SynonymGroup(("break",), "pause"),
            SynonymGroup(("break up",), "end relationship"),
        ]
    )
    assert lexicon.expand(tokenize("signing up today")).words == ("join",)
    expansion = lexicon.expand(tokenize("how to break up with a mentor"))
    assert expansion.words == ("end", "relationship")
    assert expansion.matched == frozenset({2, 3})


def test_speller_fixes_near_misses_but_leaves_short_and_distant_words():
    speller = SpellingCorrector(Counter({"sponsor": 3, "mentor": 9, "contract": 2, "research": 4}))
    assert speller.correct("sponser") == "sponsor"
    assert speller.correct("reserch") == "research"
    assert speller.correct("mentr") == "mentor"
    assert speller.correct("pd") is None
    assert speller.correct("cafeteria") is None
    assert speller.correct("contract") == "contract"


def test_the_faq_domain_imports_neither_slack_nor_sqlalchemy():
    code = (
        "import sys, bot.domain.faq; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('slack_bolt', 'slack_sdk', 'sqlalchemy')]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


FILLERS = sorted(FILLER_WORDS)


@given(
    words=st.lists(
        st.sampled_from(["what", "is", "a", "mentor", "sign", "up", "for", "circles"]), max_size=8
    ),
    fillers=st.lists(st.tuples(st.integers(min_value=0, max_value=8), st.sampled_from(FILLERS)), max_size=4),
)
def test_filler_words_never_change_what_a_phrase_matches(words, fillers):
    lexicon = Lexicon([SynonymGroup(("what is a mentor",), "definition"), SynonymGroup(("sign up",), "join")])
    padded = list(words)
    for position, filler in sorted(fillers, reverse=True):
        padded.insert(min(position, len(padded)), filler)
    assert lexicon.expand(padded).words == lexicon.expand(words).words


def test_matched_terms_report_where_they_are():
    lexicon = Lexicon([SynonymGroup(("sign up",), "join"), SynonymGroup(("m and m",), "")])
    expansion = lexicon.expand(tokenize(normalize_text("can I sign really up before M&M")))
    assert expansion.spans == (range(2, 5),)
    assert expansion.terms == (range(2, 5), range(6, 9))
    assert expansion.matched == frozenset({2, 4, 6, 7, 8})


def test_a_lexicon_can_drop_terms_made_of_given_words():
    lexicon = Lexicon([SynonymGroup(("retreat", "parking lot", "parking"), "")])
    trimmed = lexicon.excluding({"retreat", "park"})
    assert trimmed.expand(["retreat"]).terms == ()
    assert trimmed.expand(["parking"]).terms == ()
    assert trimmed.expand(["parking", "lot"]).terms == (range(0, 2),)
    assert lexicon.expand(["retreat"]).terms == (range(0, 1),)


def test_stemming_keeps_apart_words_the_stemmer_would_fold_together():
    assert stem("busy") != stem("business")
    assert stem("informal") != stem("information") and stem("informally") == stem("informal")
    assert stem("personal") != stem("person")
    assert stem("mentoring") == stem("mentored") == stem("mentor")


def test_word_pairs_stay_inside_a_clause_and_skip_stop_words():
    assert word_pairs("red flags in a contract") == ["red flag", "flag contract"]
    assert word_pairs("red flags. Contract terms") == ["red flag", "contract term"]
    assert word_pairs("the and of") == []
