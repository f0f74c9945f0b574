"""Word-pair similarity to an entry's own phrasings, function words included, as a second ranking signal."""

from bot.domain.faq import FaqEntry, FaqIndex
from bot.domain.faq.lexicon import Lexicon, SearchAids
from bot.domain.faq.phrasing import PhrasingSimilarity
from bot.domain.faq.text import normalize_text, tokenize

WHEN = FaqEntry(
    "when",
    "Timing",
    "Basics",
    "Early is good: a mentor helps at every stage.",
    phrasings=["when should i get a mentor"],
)
WHAT = FaqEntry(
    "what",
    "Roles",
    "Basics",
    "A mentor guides, the mentee drives.",
    phrasings=["what does a mentor do for you"],
)


def tokens(text: str) -> list[str]:
    return tokenize(normalize_text(text))


def test_the_entry_whose_phrasing_the_question_follows_scores_highest():
    similarity = PhrasingSimilarity([WHEN, WHAT])
    what = similarity.similarities(tokens("so what does a mentor do"))
    assert what[1] > what[0] and 0 < what[1] <= 1
    when = similarity.similarities(tokens("when should i look for a mentor"))
    assert when[0] > when[1]


def test_a_question_without_word_pairs_scores_nothing():
    similarity = PhrasingSimilarity([WHEN, WHAT])
    assert not similarity.similarities(tokens("mentor")).any()
    assert not similarity.similarities([]).any()


def test_the_pair_signal_breaks_a_tie_between_entries_sharing_the_only_content_word():
    index = FaqIndex.build([WHEN, WHAT], aids=SearchAids(synonyms=Lexicon([]), off_topic=Lexicon([])))
    assert index.search("what does a mentor do").ranked[0].entry.id == "what"
    assert index.search("when should i get a mentor").ranked[0].entry.id == "when"
