"""The match commands' grammar: `[KIND] [PROGRAM]`, and why an empty preview is empty."""

from __future__ import annotations

import pytest

from bot.domain.match_commands import MatchTarget, NobodyPlaced, match_targets, why_nobody_placed
from bot.domain.programs import kind_named


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("circle", "circles"),
        ("Circles", "circles"),
        ("mentor", "mentors"),
        ("MENTORS", "mentors"),
        ("team", "teams"),
        ("teams", "teams"),
        ("mentoring", None),
        ("", None),
    ],
)
def test_singular_and_plural_kind_words(word: str, kind: str | None) -> None:
    assert kind_named(word) == kind


def test_a_program_name_with_spaces_is_read_whole_first_then_after_a_kind() -> None:
    assert match_targets("") == [MatchTarget(None, "")]
    assert match_targets("IM Faculty Mentoring") == [MatchTarget(None, "IM Faculty Mentoring")]
    assert match_targets("mentor  IM Faculty Mentoring") == [
        MatchTarget(None, "mentor IM Faculty Mentoring"),
        MatchTarget("mentors", "IM Faculty Mentoring"),
    ]
    assert match_targets("teams") == [MatchTarget(None, "teams"), MatchTarget("teams", "")]


def test_an_empty_preview_is_explained_from_counts_alone() -> None:
    assert why_nobody_placed("circles", 0, 3, 1) == NobodyPlaced.NO_PEERS
    assert why_nobody_placed("circles", 1, 0, 0) == NobodyPlaced.TOO_FEW_PEERS
    assert why_nobody_placed("circles", 4, 0, 0) == NobodyPlaced.NO_FIT
    assert why_nobody_placed("mentors", 5, 0, 2) == NobodyPlaced.NO_MENTEES
    assert why_nobody_placed("teams", 0, 2, 0) == NobodyPlaced.NO_MENTORS
    assert why_nobody_placed("mentors", 0, 2, 1) == NobodyPlaced.NO_FIT
