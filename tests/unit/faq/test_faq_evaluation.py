"""Quality on questions the knowledge base was not written from, and the evaluation arithmetic itself."""

import pytest

from bot.domain.faq import FaqEntry, FaqIndex, evaluate, load_questions
from bot.domain.faq.distress import WELLBEING_TOPIC
from bot.domain.faq.evaluation import LabelledQuestion, parse_questions
from bot.domain.faq.lexicon import Lexicon, SearchAids

TARGET_TOP1 = 0.92
TARGET_TOP3 = 0.98
TARGET_DECLINED = 0.85

FLOORS = {
    "heldout": (TARGET_TOP1, TARGET_TOP3, TARGET_DECLINED),
    "blind_a": (TARGET_TOP1, TARGET_TOP3, TARGET_DECLINED),
    "blind_b": (0.89, TARGET_TOP3, TARGET_DECLINED),
    "heldout_v3": (0.9625, 0.975, 1.0),
    "heldout_v4": (0.94, 0.988, 0.942),
    "heldout_v5": (0.845, 0.93, 0.66),
    "heldout_v6": (0.686, 0.866, 0.81),
    "heldout_v7": (0.803, 0.941, 0.933),
}
"""(top-1, top-3, none declined) each set must keep. heldout and blind_a were used to diagnose misses, so
they meet the targets; blind_b was measured once after tuning (89.1% / 98.3% / 88.9%) and is the honest
estimate for unseen questions: its top-1 floor is what was achieved, below the 92% aspiration. heldout_v3
was written for issue 14 before its tuning and measured once at the end (88.8% / 95.0% / 87.5%, every
distress question answered with resident-wellbeing): its floors are what was achieved, below the top-1 and
top-3 targets. It was then studied to separate near-twin topics by their content, and its floors are its
numbers after that tuning (96.25% / 97.5% / 100%): a seen set now, not an estimate. heldout_v4 was written
before that tuning and measured once at its end (85.1% / 89.9% / 88.6%, all 22 resident-wellbeing questions
answered with that topic). It was then studied in the third round (concept-level vocabulary, change-mentor owning
"new mentor"), and its floors are its numbers after that round (94.0% / 98.8% / 94.3%): a seen set now.
heldout_v5 was written before the third round and measured once at its end (85.5% / 94.2% / 70.4%, and 3 of its
13 distress questions were NOT answered with resident-wellbeing): the honest estimate for unseen questions, below
every target. Its floors are those figures less about one question each. The three distress misses were then
fixed with general distress vocabulary (safety comes before a clean estimate), so for distress v5 is seen; its
top-1 then read 87.7% and top-3 95.7%. heldout_v6 was written before the fourth round (a calibrated decline
model over a domain-vocabulary anchor, answer prose counting for less, word pairs with function words as a second
ranking signal), in wording checked against every older set for near-duplicates, and measured once at its end:
69.3% (104/150) / 87.3% (131/150) / 84.4% (27/32), and 8 of its 15 distress questions were NOT answered with
resident-wellbeing. That is the honest estimate for unseen questions, far below the top-1 and top-3 targets, and
its floors are those figures less about one question each. The distress misses were then fixed with general
distress vocabulary (no hope, losing it, breaking me, can't get out of bed, wanting to disappear...) and its one
declined wellbeing question with general keywords (support resources), so for wellbeing v6 is seen; its top-1 then
read 75.3% and top-3 91.3%. heldout_v7 was written before a fifth round (WordNet synonyms and base forms for
words the entries never use, precomputed into a vendored table) and checked the same way. Measured once at its
end, the pre-change code and the WordNet code scored the same: 81.0% (124/153) / 94.8% (145/153) / 96.7% (29/30),
the WordNet code declining two distress questions the pre-change code answered, so the WordNet change was not kept
(heldout_v7.measured-once.txt). Its floors are those figures less one question each. Its one distress miss (chest
tightness and shaking before a shift) was then fixed with general distress vocabulary, so for wellbeing v7 is
seen. A fresh set is needed for the next estimate."""


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_own_sets_keep_their_measured_quality(builtin_index, own_sets, name):
    report = evaluate(builtin_index, load_questions(own_sets[name]))
    top1, top3, declined = FLOORS[name]
    assert report.answerable >= 100 and report.unanswerable >= 18
    assert report.top1 >= top1, report.misses
    assert report.top3 >= top3, report.misses
    assert report.none_declined >= declined, report.misses


def test_every_distress_question_of_the_own_sets_is_answered_with_wellbeing(builtin_index, own_sets):
    distress = [q for path in own_sets.values() for q in load_questions(path) if q.topic == WELLBEING_TOPIC]
    assert len(distress) >= 20
    for labelled in distress:
        answer = builtin_index.search(labelled.question).answer
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
