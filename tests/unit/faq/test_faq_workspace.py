"""Workspace entries rank alongside the built-ins, and never leak into another workspace's index."""

import threading

import pytest

from bot.domain.faq import (
    FaqEntry,
    FaqIndex,
    WorkspaceIndexCache,
    build_workspace_index,
    check_workspace_entry,
    load_builtin_entries,
    parse_keywords,
    workspace_entry,
)

LEAD = workspace_entry(
    "T_ALPHA",
    "1",
    "Who is our mentorship lead?",
    "Dr. Rivera leads mentorship; DM her any time.",
    ["lead", "mentorship lead", "in charge"],
)
DINNER = workspace_entry(
    "T_ALPHA",
    "2",
    "When is the kickoff dinner?",
    "The kickoff dinner is on September 12 at 6 pm in the atrium.",
    ["kickoff", "dinner", "welcome event"],
)
RETREAT = workspace_entry(
    "T_BETA",
    "1",
    "When is the wellness retreat?",
    "Our retreat is the first weekend of May at Lake Anna.",
    ["retreat", "wellness weekend"],
)


def test_workspace_entries_answer_their_own_questions():
    index = build_workspace_index("T_ALPHA", [LEAD, DINNER])
    assert index.search("when's the kick-off dinner this year?").answer == DINNER
    assert index.search("who leads mentorship here").answer == LEAD


def test_builtins_still_win_their_own_questions_in_a_workspace_index():
    index = build_workspace_index("T_ALPHA", [LEAD, DINNER])
    assert (
        index.search("what should I look for in my employment contract").answer.id == "contract-negotiation"
    )
    assert index.search("who can see my meeting notes").answer.id == "privacy"


def test_workspace_entries_are_searchable_only_in_their_workspace():
    alpha = build_workspace_index("T_ALPHA", [LEAD, DINNER])
    beta = build_workspace_index("T_BETA", [RETREAT])
    assert beta.search("when is the kickoff dinner").answer != DINNER
    assert all(s.entry.workspace_id in (None, "T_BETA") for s in beta.search("kickoff dinner lead").ranked)
    assert alpha.get(RETREAT.id) is None and beta.get(DINNER.id) is None
    assert beta.search("wellness retreat date").answer == RETREAT
    assert alpha.workspace_id == "T_ALPHA" and beta.workspace_id == "T_BETA"


def test_one_index_refuses_two_workspaces_entries():
    with pytest.raises(ValueError):
        FaqIndex.build([*load_builtin_entries(), LEAD, RETREAT])
    with pytest.raises(ValueError):
        build_workspace_index("T_ALPHA", [RETREAT])


def test_workspace_ids_cannot_clash_with_builtin_topics():
    entry = workspace_entry("T_ALPHA", "privacy", "Our privacy contact", "Ask Sam.", [])
    assert entry.id != "privacy" and entry.source == "workspace"
    build_workspace_index("T_ALPHA", [entry])


def test_cache_reuses_an_index_until_the_entries_change():
    cache = WorkspaceIndexCache()
    loads: list[str] = []

    def entries(*chosen: FaqEntry):
        def load() -> list[FaqEntry]:
            loads.append("load")
            return list(chosen)

        return load

    first = cache.get("T_ALPHA", 1, entries(LEAD))
    assert cache.get("T_ALPHA", 1, entries(LEAD)) is first
    assert len(loads) == 1, "an unchanged version reuses the index without loading entries"
    changed = cache.get("T_ALPHA", 2, entries(LEAD, DINNER))
    assert changed is not first and changed.get(DINNER.id) == DINNER
    assert cache.get("T_BETA", 1, entries(RETREAT)).get(LEAD.id) is None
    assert cache.builds == 3
    cache.invalidate("T_ALPHA")
    assert cache.get("T_ALPHA", 2, entries(LEAD, DINNER)) is not changed


def test_cache_is_bounded():
    cache = WorkspaceIndexCache(max_workspaces=2)
    a = cache.get("A", 0, list)
    cache.get("B", 0, list)
    cache.get("C", 0, list)
    assert cache.get("A", 0, list) is not a


def test_cache_is_safe_across_threads():
    cache = WorkspaceIndexCache()
    seen: list[FaqIndex] = []

    def ask() -> None:
        seen.append(cache.get("T_ALPHA", 1, lambda: [LEAD, DINNER]))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(i) for i in seen}) == 1 and cache.builds == 1


def test_coordinator_input_checks():
    assert check_workspace_entry("Who is our lead?", "Dr. Rivera.", ["lead"]) == {}
    problems = check_workspace_entry(" ", "x" * 3000, ["k" * 61])
    assert set(problems) == {"title", "answer", "keywords"}
    assert parse_keywords("lead, contact;  kickoff\nwelcome ,") == ("lead", "contact", "kickoff", "welcome")
