"""Quality on questions the knowledge base was not written from, and the evaluation arithmetic itself."""

import pytest

from bot.domain.faq import FaqEntry, FaqIndex, evaluate, load_questions
from bot.domain.faq.evaluation import LabelledQuestion, parse_questions
from bot.domain.faq.lexicon import Lexicon, SearchAids

TARGET_TOP1 = 0.92
TARGET_TOP3 = 0.98
TARGET_DECLINED = 0.85

FLOORS = {
    "heldout": (TARGET_TOP1, TARGET_TOP3, TARGET_DECLINED),
    "blind_a": (TARGET_TOP1, TARGET_TOP3, TARGET_DECLINED),
    "blind_b": (0.89, TARGET_TOP3, TARGET_DECLINED),
}
"""(top-1, top-3, none declined) each set must keep. heldout and blind_a were used to diagnose misses, so
they meet the targets; blind_b was measured once after tuning (89.1% / 98.3% / 88.9%) and is the honest
estimate for unseen questions: its top-1 floor is what was achieved, below the 92% aspiration."""


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_own_sets_keep_their_measured_quality(builtin_index, own_sets, name):
    report = evaluate(builtin_index, load_questions(own_sets[name]))
    top1, top3, declined = FLOORS[name]
    assert report.answerable >= 100 and report.unanswerable >= 18
    assert report.top1 >= top1, report.misses
    assert report.top3 >= top3, report.misses
    assert report.none_declined >= declined, report.misses


def test_dev_set_meets_the_targets(builtin_index, dev_set):
    report = evaluate(builtin_index, load_questions(dev_set))
    assert report.top1 >= TARGET_TOP1 and report.top3 >= TARGET_TOP3
    assert report.none_declined >= TARGET_DECLINED


def test_evaluation_counts_hits_declines_and_misses():
    entries = [
        FaqEntry("parking", "Parking", "Site", "Park in lot B with your badge.", keywords=["parking", "car"]),
        FaqEntry(
            "lunch", "Lunch", "Site", "Lunch is served at noon in the atrium.", keywords=["lunch", "food"]
        ),
    ]
    index = FaqIndex.build(entries, aids=SearchAids(synonyms=Lexicon([]), off_topic=Lexicon([])))
    questions = [
        LabelledQuestion("where is lunch served", "lunch"),
        LabelledQuestion("lot for my car", "parking"),
        LabelledQuestion("car lunch", "parking"),
        LabelledQuestion("zzz qqq", "none"),
    ]
    report = evaluate(index, questions)
    assert (report.answerable, report.unanswerable, report.declined) == (3, 1, 1)
    assert report.top1_hits == 2 and report.top3_hits == 3
    assert [m.question for m in report.misses] == ["car lunch"]


def test_questions_file_format_is_checked():
    assert parse_questions({"questions": [{"q": "hi", "topic": "none"}]}) == [LabelledQuestion("hi", "none")]
    for bad in ({}, {"questions": "x"}, {"questions": [{"q": "no topic"}]}):
        try:
            parse_questions(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")
