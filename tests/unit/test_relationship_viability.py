"""A circle or mentorship goes on after someone leaves only while it can still meet."""

from __future__ import annotations

import pytest

from bot.domain.relationships import can_still_run


@pytest.mark.parametrize(
    ("kind", "remaining", "runs_on"),
    [
        ("circle", ["peer", "peer"], True),
        ("circle", ["peer"], False),
        ("mentorship", ["mentee", "mentor"], True),
        ("mentorship", ["mentee", "mentor", "mentor"], True),
        ("mentorship", ["mentor", "mentor"], False),
        ("mentorship", ["mentee"], False),
    ],
)
def test_what_is_left_decides(kind: str, remaining: list[str], runs_on: bool) -> None:
    assert can_still_run(kind, remaining) is runs_on
