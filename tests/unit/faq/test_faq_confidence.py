"""The calibrated decision to answer or decline: the domain anchor and the logistic model over the signals."""

import pytest

from bot.domain.faq import FaqIndex, build_workspace_index, load_builtin_entries, workspace_entry
from bot.domain.faq.confidence import DomainVocabulary, MatchSignals, answer_probability
from bot.domain.faq.settings import DeclinePolicy

POLICY = DeclinePolicy()


def test_words_the_knowledge_base_uses_far_more_than_everyday_english_anchor_a_question():
    vocabulary = DomainVocabulary(load_builtin_entries())
    assert vocabulary.anchor(["mentor"]) > 1.0
    assert vocabulary.anchor(["fellowship", "the"]) == vocabulary.anchor(["fellowship"]) > 0.6
    assert vocabulary.anchor(["found", "fix", "today"]) < 0.4
    assert vocabulary.anchor(["zzyzx"]) < 0
    assert vocabulary.anchor([]) < 0


def test_a_large_workspace_faq_never_dilutes_the_builtin_vocabulary_and_its_own_words_become_topical():
    builtins = load_builtin_entries()
    own = [
        workspace_entry(
            "T1", str(n), f"Retreat logistics {n}", f"The retreat bus {n} leaves at noon.", ["retreat"]
        )
        for n in range(300)
    ]
    alone = DomainVocabulary(builtins)
    mixed = DomainVocabulary([*builtins, *own])
    assert mixed.specificity("mentor") == alone.specificity("mentor")
    assert alone.anchor(["retreat"]) < mixed.anchor(["retreat"])
    assert mixed.anchor(["retreat"]) > 1.0


def test_the_probability_rises_with_each_signal():
    base = MatchSignals(score=0.5, lead=0.1, coverage=0.8, anchor=0.5)
    p = answer_probability(base, POLICY.weights, POLICY.bias)
    for better in (
        MatchSignals(0.7, 0.1, 0.8, 0.5),
        MatchSignals(0.5, 0.3, 0.8, 0.5),
        MatchSignals(0.5, 0.1, 1.0, 0.5),
        MatchSignals(0.5, 0.1, 0.8, 1.2),
    ):
        assert answer_probability(better, POLICY.weights, POLICY.bias) > p
    assert 0 < p < 1


@pytest.mark.parametrize(
    "question",
    ["how do i unclog the sink in the break room", "fix the jammed window in room 4", "found a wallet today"],
)
def test_a_question_in_everyday_words_only_is_declined(builtin_index, question):
    result = builtin_index.search(question)
    assert result.declined, result.signals
    assert result.confidence < POLICY.min_probability


@pytest.mark.parametrize(
    "question, topic",
    [
        ("sponser vs mentr", "sponsorship"),
        ("rvu", "contract-negotiation"),
        ("noncompete clause", "contract-negotiation"),
    ],
)
def test_terse_questions_in_the_domain_vocabulary_are_answered(builtin_index, question, topic):
    result = builtin_index.search(question)
    assert result.answer is not None and result.answer.id == topic, result.signals
    assert result.confidence >= POLICY.min_probability


def test_a_workspace_entry_about_what_the_builtins_never_mention_is_answered():
    entry = workspace_entry(
        "T1", "1", "Where do we park for the retreat?", "Lot C, with your badge.", ["retreat parking"]
    )
    index = build_workspace_index("T1", [entry])
    result = index.search("retreat parking?")
    assert result.answer is not None and result.answer.id == entry.id
    assert FaqIndex.build(load_builtin_entries()).search("retreat parking?").declined
