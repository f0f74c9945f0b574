"""Questions coordinators map to a topic become that topic's words, in their workspace's index only."""

from bot.domain.faq import WorkspaceIndexCache, build_workspace_index, workspace_entry
from bot.domain.faq.workspace import with_learned

QUESTION = "where do I park for the quarterly circle dinner"
"""Off-topic for the built-ins (parking, dinner): declined until a coordinator says what answers it."""


def test_a_declined_question_is_answered_once_mapped_to_a_topic():
    before = build_workspace_index("T_ALPHA", []).search(QUESTION)
    assert before.declined
    learned = build_workspace_index("T_ALPHA", [], learned={"how-circles-work": [QUESTION]})
    after = learned.search(QUESTION)
    assert after.answer is not None and after.answer.id == "how-circles-work"


def test_similar_wording_benefits_too():
    index = build_workspace_index("T_ALPHA", [], learned={"how-circles-work": [QUESTION]})
    result = index.search("parking for our circle dinner?")
    assert result.answer is not None and result.answer.id == "how-circles-work"


def test_learning_stays_in_its_workspace():
    build_workspace_index("T_ALPHA", [], learned={"how-circles-work": [QUESTION]})
    other = build_workspace_index("T_BETA", [])
    assert other.search(QUESTION).declined
    assert not any(e.learned for e in other.entries)


def test_questions_can_be_mapped_to_a_workspace_entry_and_unknown_ids_are_ignored():
    dinner = workspace_entry("T_ALPHA", "7", "Circle dinner", "Third Thursday, 7pm, at Rosa's.", ["dinner"])
    index = build_workspace_index(
        "T_ALPHA", [dinner], learned={dinner.id: ["when do we all eat together"], "gone-topic": ["x"]}
    )
    result = index.search("when do we all eat together")
    assert result.answer is not None and result.answer.id == dinner.id


def test_with_learned_copies_entries_and_leaves_the_originals_alone():
    dinner = workspace_entry("T_ALPHA", "7", "Circle dinner", "Third Thursday.", ["dinner"])
    (copy,) = with_learned([dinner], {dinner.id: ["a question"]})
    assert copy.learned == ("a question",) and dinner.learned == ()


def test_the_cache_rebuilds_when_the_learned_questions_change():
    cache = WorkspaceIndexCache()
    learned: dict[str, list[str]] = {}
    first = cache.get("T_ALPHA", (0, None, 0, None), list, lambda: learned)
    assert first.search(QUESTION).declined
    learned["how-circles-work"] = [QUESTION]
    assert cache.get("T_ALPHA", (0, None, 0, None), list, lambda: learned) is first
    second = cache.get("T_ALPHA", (0, None, 1, None), list, lambda: learned)
    answer = second.search(QUESTION).answer
    assert answer is not None and answer.id == "how-circles-work" and cache.builds == 2
