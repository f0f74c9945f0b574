"""The building blocks: synonyms matched on stems, typo correction that stays conservative."""

import subprocess
import sys
from collections import Counter

from bot.domain.faq.lexicon import Lexicon, SynonymGroup
from bot.domain.faq.spelling import SpellingCorrector
from bot.domain.faq.text import normalize_text, tokenize


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
