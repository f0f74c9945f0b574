"""Quality on questions the knowledge base was not written from, and the evaluation arithmetic itself."""

import pytest

from bot.domain.faq import FaqEntry, FaqIndex, evaluate, load_questions
from bot.domain.faq.distress import WELLBEING_TOPIC
from bot.domain.faq.evaluation import LabelledQuestion, parse_questions, round_questions
from bot.domain.faq.knowledge_base import entries_without_round
from bot.domain.faq.lexicon import Lexicon, SearchAids
from tests.unit.faq.conftest import HELD_OUT

TARGET_TOP1 = 0.92
TARGET_TOP3 = 0.98
TARGET_DECLINED = 0.85

FLOORS = {
    "heldout": (0.96, TARGET_TOP3, TARGET_DECLINED),
    "blind_a": (0.975, TARGET_TOP3, TARGET_DECLINED),
    "blind_b": (0.98, TARGET_TOP3, TARGET_DECLINED),
    "heldout_v3": (0.985, TARGET_TOP3, 0.96),
    "heldout_v4": (0.95, TARGET_TOP3, 0.97),
    "heldout_v5": (0.955, TARGET_TOP3, 0.92),
    "heldout_v6": (0.89, 0.966, 0.93),
    "heldout_v7": (0.90, 0.974, 0.96),
    "heldout_v8": (0.93, 0.98, 0.90),
    "heldout_v9": (0.96, TARGET_TOP3, 0.88),
}
"""(top-1, top-3, none declined) each earlier round must keep when searched as new: in an index built without
that round's own example questions (``entries_without_round``). Each round was written before a round of
tuning and measured once at its end (heldout_v6/v7/v8.measured-once.txt and git history: v6 69.3% / 87.3% /
84.4%, v7 81.0% / 94.8% / 96.7%, v8 94.3% / 98.6% / 81.2%); its answerable questions then joined
``bot/data/faq_examples.yaml``. These floors are the figures searched as new once all of them had, and the
decline model was refitted with v8 (v6 90.0% / 97.3% / 93.8%, v7 90.8% / 98.0% / 96.7%, v8 93.8% / 98.6% /
90.6%), less about one question each. heldout_v9 was written after that refit and measured once (96.9% / 100% /
91.1%, all 12 distress questions answered with resident-wellbeing): the estimate for unseen questions, its
questions not among the examples (so "searched as new" is the plain built-in index), its floors those figures
less one question each."""


def round_index(name: str) -> FaqIndex:
    return FaqIndex.build(entries_without_round(name))


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_each_round_keeps_its_quality_searched_as_new(own_sets, name):
    report = evaluate(round_index(name), round_questions(name, own_sets[name]))
    top1, top3, declined = FLOORS[name]
    assert report.answerable >= 95 and report.unanswerable >= 18
    assert report.top1 >= top1, report.misses
    assert report.top3 >= top3, report.misses
    assert report.none_declined >= declined, report.misses


@pytest.mark.parametrize("name", sorted(set(FLOORS) - HELD_OUT))
def test_example_questions_are_searched_like_phrasings(builtin_index, own_sets, name):
    """With its examples in the index, a round's answerable questions find their topic first."""
    report = evaluate(builtin_index, round_questions(name, own_sets[name]))
    assert report.top1 >= 0.98 and report.top3 == 1.0, report.misses


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_every_distress_question_is_answered_with_wellbeing_even_searched_as_new(own_sets, name):
    index = round_index(name)
    distress = [q for q in round_questions(name, own_sets[name]) if q.topic == WELLBEING_TOPIC]
    for labelled in distress:
        answer = index.search(labelled.question).answer
        assert answer is not None and answer.id == WELLBEING_TOPIC, labelled.question


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
