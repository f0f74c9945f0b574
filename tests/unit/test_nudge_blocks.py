"""The nudge DMs: each kind names the specifics, validates as Block Kit, and carries only ids in buttons."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.nudges.model import KINDS
from bot.presentation.nudges import (
    GOALS_SHOWN,
    MEETING_ANSWERS,
    RENDERERS,
    RESUME_ACTION,
    ButtonValue,
    render_nudge,
)
from bot.sandbox import validate_blocks

CIRCLE = {
    "outbox_id": 41,
    "relationship_id": 7,
    "relationship_kind": "circle",
    "label": "Night owls",
    "others": ["UBOB", "UCARA"],
    "expected_on": "2027-03-04",
    "last_met_on": "2027-02-02",
}
MENTORSHIP = {
    "outbox_id": 42,
    "relationship_id": 8,
    "relationship_kind": "mentorship",
    "label": "",
    "others": ["UMAYA"],
    "role": "mentee",
    "expected_on": "2027-03-10",
    "last_met_on": None,
}

SAMPLES: dict[str, dict[str, Any]] = {
    "meeting_reminder": CIRCLE,
    "did_you_meet": CIRCLE,
    "goal_checkin": {
        "outbox_id": 43,
        "goals": [
            {"id": 501, "number": 1, "text": "Submit my case report"},
            {"id": 502, "number": 2, "text": "Learn <ultrasound> & echo basics"},
        ],
    },
    "mentor_digest": {
        "since": "2027-03-01",
        "mentees": [
            {
                "user_id": "UALICE",
                "goal_updates": [
                    {"number": 1, "text": "Submit my case report", "kind": "done", "on": "2027-03-03"}
                ],
                "meetings": ["2027-03-02"],
            }
        ],
    },
    "stalled": {**MENTORSHIP, "reason": "no_meeting", "last_met_on": "2027-01-05"},
    "stalled_coordinator": {
        "relationship_id": 8,
        "relationship_kind": "mentorship",
        "members": ["UALICE", "UMAYA"],
        "reason": "not_yet",
        "last_met_on": None,
    },
    "paused_notice": {"outbox_id": 44, "unanswered": 3},
    "coordinator_digest": {
        "week_of": "2027-03-01",
        "participants": 12,
        "active": 10,
        "paused": 1,
        "left": 1,
        "meetings_logged": 4,
        "did_you_meet_asked": 6,
        "did_you_meet_yes": 4,
        "goals_set": 5,
        "goals_done": 2,
        "stalled": 1,
        "dead_letters": 0,
    },
    "need_help": {"mentee": "UALICE", "goal_number": 2, "goal_text": "Learn ultrasound basics"},
    "coordinator_notices": {
        "notices": [
            {
                "id": 1,
                "kind": "round_due",
                "facts": {"program": "PGY-1 circles", "round": "round 3 of 2026–27", "starts": "2027-01-01"},
            },
            {
                "id": 2,
                "kind": "round_published",
                "facts": {
                    "program": "Research pairs",
                    "round": "round 2 of 2026–27",
                    "starts": "2027-01-01",
                    "kind": "mentors",
                    "groups": 1,
                    "people": 2,
                    "repeat_pairs": 1,
                    "unplaced": 2,
                },
            },
            {
                "id": 3,
                "kind": "below_minimum",
                "facts": {"program": "PGY-1 circles", "present": 1, "minimum": 3},
            },
            {
                "id": 4,
                "kind": "intro_failed",
                "facts": {"program": "PGY-1 circles", "kind": "circle", "error": ""},
            },
        ]
    },
}


SAMPLES["combined"] = {
    "day": "2027-03-04",
    "parts": [
        {"kind": "did_you_meet", "payload": CIRCLE},
        {"kind": "did_you_meet", "payload": {**MENTORSHIP, "outbox_id": 45}},
        {"kind": "goal_checkin", "payload": SAMPLES["goal_checkin"]},
        {"kind": "meeting_reminder", "payload": MENTORSHIP},
    ],
}
SAMPLES["meeting_agenda"] = {
    "channel": "GPAIR",
    "relationship_id": 8,
    "relationship_kind": "mentorship",
    "label": "",
    "members": ["UALICE", "UMAYA"],
    "mentors": ["UMAYA"],
    "expected_on": "2027-03-10",
    "stage": "mid",
    "goals": [{"user_id": "UALICE", "number": 2, "text": "Learn <ultrasound> & echo basics"}],
    "needs": ["research"],
}


def test_a_combined_dm_keeps_each_parts_buttons_and_unique_block_ids() -> None:
    _text, blocks, body = rendered("combined", SAMPLES["combined"])
    ids = [block["block_id"] for block in blocks if "block_id" in block]
    assert len(ids) == len(set(ids)) and "did_you_meet@41" in ids and "did_you_meet@45" in ids
    assert "goal_501@43" in ids and "goal_502@43" in ids
    assert {button["value"] for button in buttons(blocks)} == {"41", "45", "43:501", "43:502"}
    assert body.count("Log a meeting any time") == 1, "a hint said by several parts appears once"
    assert "&lt;ultrasound&gt;" in body and "<ultrasound>" not in body


def rendered(kind: str, payload: dict[str, Any]) -> tuple[str, list[dict[str, Any]], str]:
    text, blocks = render_nudge(kind, payload)
    as_dicts = [block.to_dict() for block in blocks]
    return text, as_dicts, json.dumps(as_dicts)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        element
        for block in blocks
        for element in [block.get("accessory"), *(block.get("elements") or [])]
        if isinstance(element, dict) and element.get("type") == "button"
    ]


def test_every_planned_kind_has_a_renderer() -> None:
    assert set(KINDS) <= set(RENDERERS)
    with pytest.raises(KeyError):
        render_nudge("no_such_kind", {})


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_kind_is_valid_block_kit_with_notification_text(kind: str) -> None:
    text, blocks, _ = rendered(kind, SAMPLES[kind])
    assert text.strip()
    assert validate_blocks(blocks) == []


def test_meeting_reminder_names_the_circle_people_dates_and_a_circle_agenda() -> None:
    text, _, body = rendered("meeting_reminder", CIRCLE)
    assert "Thursday, March 4, 2027" in text
    for expected in ("Night owls", "<@UBOB>", "<@UCARA>", "Tuesday, February 2, 2027", "Suggested slot"):
        assert expected in body
    assert "one win and one thing" in body
    assert body.count("1. ") == 1 and "3. " in body


def test_meeting_reminder_for_a_new_mentorship_says_first_meeting_and_names_the_mentor() -> None:
    _, _, body = rendered("meeting_reminder", MENTORSHIP)
    assert "your mentor <@UMAYA>" in body
    assert "first meeting" in body
    assert "One specific question" in body
    _, _, for_mentor = rendered("meeting_reminder", {**MENTORSHIP, "role": "mentor", "others": ["UALICE"]})
    assert "your mentee <@UALICE>" in for_mentor
    assert "Ask how their goals are going" in for_mentor
    _, _, either = rendered("meeting_reminder", {**MENTORSHIP, "role": None})
    assert "time to meet with <@UMAYA>:" in either and "your mentorship with" not in either
    assert "the mentee's goals" in either


def test_did_you_meet_has_the_four_answers_carrying_only_the_row_id() -> None:
    _, blocks, body = rendered("did_you_meet", CIRCLE)
    found = buttons(blocks)
    assert [b["action_id"] for b in found] == list(MEETING_ANSWERS)
    assert [b["text"]["text"] for b in found] == ["We met", "Scheduled", "Not yet", "Skip this cycle"]
    assert {b["value"] for b in found} == {"41"}
    assert "Thursday, March 4, 2027" in body


def test_goal_checkin_lists_each_goal_with_its_own_buttons_and_escapes_text() -> None:
    _, blocks, body = rendered("goal_checkin", SAMPLES["goal_checkin"])
    ids = [b["action_id"] for b in buttons(blocks)]
    assert ids == [
        "nudge_goal_on_track_501",
        "nudge_goal_need_help_501",
        "nudge_goal_done_501",
        "nudge_goal_on_track_502",
        "nudge_goal_need_help_502",
        "nudge_goal_done_502",
    ]
    assert {b["value"] for b in buttons(blocks)} == {"43:501", "43:502"}
    assert "Submit my case report" in body
    assert "&lt;ultrasound&gt; &amp; echo" in body


def test_goal_checkin_caps_a_long_list_and_points_to_the_rest() -> None:
    goals = [{"id": i, "number": i, "text": f"goal {i}"} for i in range(1, GOALS_SHOWN + 6)]
    _, blocks, body = rendered("goal_checkin", {"outbox_id": 1, "goals": goals})
    assert validate_blocks(blocks) == []
    assert len(buttons(blocks)) == 3 * GOALS_SHOWN
    assert "5 more" in body


def test_mentor_digest_names_mentee_goal_update_and_meeting() -> None:
    _, _, body = rendered("mentor_digest", SAMPLES["mentor_digest"])
    for expected in ("<@UALICE>", "finished goal #1", "Submit my case report", "Tuesday, March 2, 2027"):
        assert expected in body


@pytest.mark.parametrize(
    ("reason", "phrase"),
    [("no_meeting", "Tuesday, January 5, 2027"), ("not_yet", "not yet"), ("goals_untouched", "few months")],
)
def test_stalled_says_why_and_gives_the_practical_tips(reason: str, phrase: str) -> None:
    _, _, body = rendered("stalled", {**SAMPLES["stalled"], "reason": reason})
    assert phrase in body
    for tip in ("honest conversation", "rhythm", "agenda", "another mentor", "stepping back"):
        assert tip in body


def test_coordinator_note_names_people_and_reason_but_no_goal_text() -> None:
    _, _, body = rendered("stalled_coordinator", SAMPLES["stalled_coordinator"])
    assert "<@UALICE>" in body and "<@UMAYA>" in body
    assert "not yet" in body
    assert "No meeting logged yet" in body


def test_paused_notice_is_kind_and_offers_resume() -> None:
    _, blocks, body = rendered("paused_notice", SAMPLES["paused_notice"])
    (resume,) = buttons(blocks)
    assert resume["action_id"] == RESUME_ACTION and resume["value"] == "44"
    assert "last 3 check-ins" in body


def test_coordinator_digest_shows_the_counts() -> None:
    _, _, body = rendered("coordinator_digest", SAMPLES["coordinator_digest"])
    assert "Meetings logged: *4*" in body and "Participants: *12*" in body
    assert "Monday, March 1, 2027" in body


def test_need_help_tells_the_mentor_which_goal() -> None:
    _, _, body = rendered("need_help", SAMPLES["need_help"])
    assert "<@UALICE>" in body and "goal #2" in body and "Learn ultrasound basics" in body


@given(outbox_id=st.integers(min_value=1, max_value=2**62), goal_id=st.none() | st.integers(0, 2**62))
def test_button_values_round_trip(outbox_id: int, goal_id: int | None) -> None:
    value = ButtonValue(outbox_id, goal_id)
    assert ButtonValue.decode(value.encode()) == value


@pytest.mark.parametrize("forged", ["", "abc", "1:x", "٣", "1:٣", "-4", "1:2:3", "9" * 40])
def test_malformed_button_values_are_rejected(forged: str) -> None:
    assert ButtonValue.decode(forged) is None


@given(st.text(max_size=30))
def test_button_value_decode_never_raises(raw: str) -> None:
    decoded = ButtonValue.decode(raw)
    if decoded is not None:
        assert set(raw) <= set("0123456789:")
        assert ButtonValue.decode(decoded.encode()) == decoded


texts = st.text(min_size=1, max_size=400)


@given(
    goals=st.lists(
        st.tuples(st.integers(1, 10**6), texts), min_size=1, max_size=25, unique_by=lambda g: g[0]
    ),
    label=st.text(max_size=120),
    others=st.lists(st.from_regex(r"U[A-Z0-9]{8}", fullmatch=True), max_size=6),
    expected=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1)),
)
def test_any_payload_renders_valid_blocks_and_buttons_never_carry_text(
    goals: list[tuple[int, str]], label: str, others: list[str], expected: date
) -> None:
    checkin = {
        "outbox_id": 9,
        "goals": [{"id": i, "number": n, "text": t} for n, (i, t) in enumerate(goals, 1)],
    }
    group = {**CIRCLE, "label": label, "others": others, "expected_on": expected.isoformat()}
    for kind, payload in (("goal_checkin", checkin), ("did_you_meet", group), ("meeting_reminder", group)):
        _, blocks, _ = rendered(kind, payload)
        assert validate_blocks(blocks) == []
        for button in buttons(blocks):
            assert ButtonValue.decode(button["value"]) is not None


def test_coordinator_notices_read_as_english_with_counts_of_one_and_more() -> None:
    text, blocks = render_nudge("coordinator_notices", SAMPLES["coordinator_notices"])
    body = json.dumps([block.to_dict() for block in blocks], ensure_ascii=False)
    assert text == "A few things in your programs need a look"
    assert (
        "*PGY-1 circles*: round 3 of 2026–27 started on Friday, January 1, 2027 and is waiting for you."
        in body
    )
    assert "went out on its own: 1 mentorship, 2 people. 1 pair had been matched together before." in body
    assert "2 people couldn't be placed this time." in body
    assert "a circle is down to 1 active member, below the program's minimum of 3" in body
    assert "(no answer from Slack)" in body
    single = {"notices": SAMPLES["coordinator_notices"]["notices"][:1]}
    assert rendered("coordinator_notices", single)[0] == "Something in your programs needs a look"
