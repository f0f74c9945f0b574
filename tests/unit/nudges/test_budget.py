"""The message budget: one DM per member and local day, at most the week's budget, the most useful day
winning, and every part accounted for (merged into a day's DM, or dropped with a reason)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from nudge_factories import member

from bot.domain.nudges.budget import (
    BUDGET,
    COMBINED,
    DAY_CLOSED,
    Booked,
    arrange,
    combined_key,
    usefulness,
)
from bot.domain.nudges.model import PlannedNudge
from bot.presentation.nudges import render_nudge

NY = "America/New_York"
ANA = member("UANA", NY)


def nudge(kind: str, day: int, user: str = "UANA", tag: str = "") -> PlannedNudge:
    """A nudge due at 9:00 New York time on March `day`, 2027 (13:00 UTC in the week of the 15th)."""
    due = datetime(2027, 3, day, 13, tzinfo=UTC)
    return PlannedNudge(kind, f"{kind}:{user}:{day}{tag}", user, due, {"n": day})


def test_everything_due_on_one_day_is_one_dm_and_planning_again_gives_the_same_key() -> None:
    planned = [
        nudge("meeting_reminder", 15, tag="a"),
        nudge("meeting_reminder", 15, tag="b"),
        nudge("goal_checkin", 15),
    ]
    first = arrange(planned, [ANA], {})
    (message,) = first.messages
    assert (message.kind, message.key, message.payload) == (
        COMBINED,
        combined_key("UANA", date(2027, 3, 15)),
        {"day": "2027-03-15"},
    )
    assert message.key == "combined:UANA:2027-03-15" and message.due_at == planned[0].due_at
    assert sorted(part.key for part, key in first.merged if key == message.key) == sorted(
        p.key for p in planned
    )
    assert first.dropped == [] and arrange(planned, [ANA], {}).messages == first.messages


def test_a_day_waiting_to_go_takes_new_parts_and_one_already_sent_drops_them_with_a_reason() -> None:
    late = [nudge("stalled", 15)]
    waiting = arrange(late, [ANA], {"UANA": [Booked(date(2027, 3, 15), open=True, counts=True)]})
    assert waiting.messages == [] and waiting.merged == [(late[0], "combined:UANA:2027-03-15")]
    gone = arrange(late, [ANA], {"UANA": [Booked(date(2027, 3, 15), open=False, counts=True)]})
    assert gone.messages == [] and gone.dropped == [(late[0], DAY_CLOSED)]


def test_once_the_weeks_budget_is_spent_the_day_is_dropped_with_the_reason_budget() -> None:
    booked = {"UANA": [Booked(date(2027, 3, 15), False, True), Booked(date(2027, 3, 16), False, True)]}
    planned = [nudge("did_you_meet", 18)]
    result = arrange(planned, [ANA], booked)
    assert result.messages == [] and result.dropped == [(planned[0], BUDGET)]
    skipped_ones = {"UANA": [Booked(date(2027, 3, 15), False, False), Booked(date(2027, 3, 16), False, True)]}
    assert len(arrange(planned, [ANA], skipped_ones).messages) == 1, "a skipped DM used no budget"
    next_week = arrange([nudge("did_you_meet", 22)], [ANA], booked)
    assert len(next_week.messages) == 1, "a new week, a new budget"


def test_the_most_useful_days_of_the_week_win_the_budget() -> None:
    monday = [nudge("meeting_reminder", 15)]
    preview = [*monday, nudge("goal_checkin", 17), nudge("did_you_meet", 18)]
    result = arrange(monday, [ANA], {}, preview)
    assert result.messages == [] and result.dropped == [(monday[0], BUDGET)]
    roomier = dataclasses.replace(ANA, weekly_budget=3)
    assert len(arrange(monday, [roomier], {}, preview).messages) == 1
    wednesday = [nudge("goal_checkin", 17)]
    assert len(arrange(wednesday, [ANA], {}, preview[1:]).messages) == 1
    assert usefulness("did_you_meet") == usefulness("goal_checkin") < usefulness("stalled")
    assert usefulness("stalled") < usefulness("meeting_reminder") < usefulness("mentor_digest")


def test_nudges_outside_the_budget_are_stored_as_planned() -> None:
    planned = [
        nudge("need_help", 15),
        nudge("paused_notice", 15),
        nudge("round_feedback", 15),
        nudge("coordinator_digest", 15),
    ]
    result = arrange(planned, [ANA], {})
    assert result.untouched == planned and result.messages == result.merged == result.dropped == []


def test_a_combined_dm_reads_as_its_parts_with_their_own_buttons() -> None:
    one = {
        "parts": [
            {
                "kind": "did_you_meet",
                "payload": {"outbox_id": 5, "relationship_kind": "circle", "others": ["UB"], "label": "Owls"},
            }
        ]
    }
    assert render_nudge(COMBINED, one) == render_nudge("did_you_meet", one["parts"][0]["payload"])
    two = {
        "parts": [
            one["parts"][0],
            {
                "kind": "did_you_meet",
                "payload": {
                    "outbox_id": 6,
                    "relationship_kind": "mentorship",
                    "role": "mentee",
                    "others": ["UM"],
                },
            },
        ]
    }
    text, blocks = render_nudge(COMBINED, two)
    ids = [block.block_id for block in blocks if block.block_id]
    assert "did_you_meet@5" in ids and "did_you_meet@6" in ids and len(ids) == len(set(ids))
    assert "Plus 1 more note" in text
    values = [
        e["value"] for b in blocks for e in (b.to_dict().get("elements") or []) if e.get("type") == "button"
    ]
    assert set(values) == {"5", "6"}
