"""Every message template, rendered with counts 0, 1 and 2 and with one, two and three names, reads as
correct English: counts agree with their nouns, a name list agrees with its noun and verb, and none of
the mistakes the app once made ("1 circles", "goal goal #1", "month(s)", ...) comes back."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from bot.domain.calendar import Cycle
from bot.domain.change_requests import Suggestion, Suggestions
from bot.domain.commands import CommandSpec
from bot.domain.faq import FaqEntry
from bot.domain.feedback import Answers, RoundFeedback
from bot.domain.members.goals import check_goal_number
from bot.domain.members.profile import ProfileDraft, profile_summary_lines
from bot.domain.notices import NoticeKind
from bot.domain.nudges.model import (
    GoalEvent,
    MemberSnapshot,
    RelationshipSnapshot,
    WorkspaceSnapshot,
)
from bot.domain.nudges.policy import plan_nudges
from bot.domain.programs import ProgramSettings
from bot.domain.reports import CycleCounts, FaqGaps, Participants, Report
from bot.domain.scheduling import SlotTally
from bot.domain.text import inflect, join_labels, plural
from bot.matching_service import Group, Proposal
from bot.presentation import change_requests as presentation_changes
from bot.presentation import (
    faq,
    feedback,
    goals,
    help,
    home,
    matching,
    meetings,
    my_data,
    notices,
    nudges,
    programs,
    scheduling,
    stats,
)
from bot.presentation.change_requests import offer_text
from bot.usecases import change_requests, mentor_choice
from bot.usecases import scheduling as usecase_scheduling
from bot.usecases.coordinator_admin import roster_change_message
from bot.usecases.rounds import RoundStatus
from bot.usecases.scheduling import ScheduleForm, VoteBoard
from storage.goals import GoalSummary
from storage.home import GoalLine, PersonGoals, RelationshipLine
from storage.meetings import MeetingSummary
from storage.my_data import PrivacyFacts

COUNTS = (0, 1, 2)
PEOPLE = ("U0ALEX", "U0BEN", "U0CHLOE")
DAY = date(2027, 3, 4)

NOUNS = (
    "circle|mentorship|mentee|mentor|meeting|goal|open goal|check-in|pair|new pair|repeat|introduction|"
    "participant|member|active member|topic|field|nudge|question|month|program|answer|coordinator|"
    "mentor match|peer circle|mentorship team|meeting note|day|week"
)
PLURALS = "|".join(f"{noun}s" for noun in NOUNS.split("|"))
BAD = {
    "one with a plural": re.compile(rf"(?<![\d.,#-])\b1 (?:{PLURALS}|people)\b"),
    "many with a singular": re.compile(
        rf"(?<![\d.,#-])\b(?:0|[2-9]|\d\d+) (?:{NOUNS}|person)\b(?![- ](?:match|note|circle|team|pair))"
    ),
    "a doubled word": re.compile(r"\b(goal|with|the|a|your) \1\b", re.IGNORECASE),
    "an optional plural": re.compile(r"\w\(s\)"),
    "a mentorship met with": re.compile(r"meet with your mentorship with|met with your mentorship with"),
    "one name with a plural verb": re.compile(
        r"(?<!and )(?<!, )<@\w+> (?:already |no longer )?(?:coordinate|are|were|weren't|have)\b"
    ),
    "one name after a plural noun": re.compile(r"\b(?:mentees|mentors)\b\*?:? <@\w+>(?!,| and)"),
    "names after a singular noun": re.compile(r"\b(?:mentee|mentor)\b\*?:? <@\w+>(?:, <@\w+>)* and <@"),
    "an empty list": re.compile(r"\b(?:with|and) [.,:?)!]|\(\)"),
}


def texts(value: Any) -> Iterable[str]:
    """Every string a message shows: its notification text and each text object in its blocks."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if (
                key in ("text", "title", "label", "placeholder", "fields", "elements", "blocks", "accessory")
                or key == "options"
            ):
                yield from texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from texts(item.to_dict() if hasattr(item, "to_dict") else item)
    elif hasattr(value, "to_dict"):
        yield from texts(value.to_dict())


def problems(rendered: Any) -> list[str]:
    found = []
    for text in texts(rendered):
        for name, pattern in BAD.items():
            match = pattern.search(text)
            if match:
                found.append(f"{name}: …{text[max(0, match.start() - 40) : match.end() + 40]}…")
    return found


def _payload_variants(count: int, names: tuple[str, ...]) -> list[dict[str, Any]]:
    base = {"outbox_id": 7, "expected_on": DAY.isoformat(), "last_met_on": None, "label": "Night owls"}
    return [
        {**base, "relationship_kind": "circle", "others": list(names)},
        {**base, "relationship_kind": "mentorship", "role": "mentee", "others": list(names)},
        {**base, "relationship_kind": "mentorship", "role": "mentor", "others": list(names)},
        {**base, "relationship_kind": "mentorship", "others": list(names)},
    ]


def nudge_messages(count: int, names: tuple[str, ...]) -> list[Any]:
    rendered: list[Any] = []
    goal_list = [{"id": i, "number": i, "text": f"Submit abstract {i}"} for i in range(1, count + 1)]
    for variant in _payload_variants(count, names):
        for kind in ("meeting_reminder", "did_you_meet", "stalled"):
            for reason in ("no_meeting", "not_yet", "goals_untouched"):
                rendered.append(nudges.render_nudge(kind, {**variant, "reason": reason}))
    mentees = [
        {
            "user_id": name,
            "goal_updates": [
                {"number": n, "text": "Case report", "kind": kind, "on": DAY.isoformat()}
                for n in range(1, count + 1)
                for kind in nudges.GOAL_UPDATE_WORDS
            ],
            "meetings": [DAY.isoformat()] * count,
        }
        for name in names
    ]
    rendered += [
        nudges.render_nudge("goal_checkin", {"outbox_id": 7, "goals": goal_list}),
        nudges.render_nudge("mentor_digest", {"since": DAY.isoformat(), "mentees": mentees}),
        nudges.render_nudge(
            "stalled_coordinator",
            {"relationship_kind": "circle", "members": list(names), "reason": "not_yet", "last_met_on": None},
        ),
        nudges.render_nudge("paused_notice", {"outbox_id": 7, "unanswered": count}),
        nudges.render_nudge("coordinator_digest", {"week_of": DAY.isoformat(), "meetings_logged": count}),
        nudges.render_nudge(
            "need_help", {"mentee": names[0], "goal_number": count, "goal_text": "Pass boards"}
        ),
        nudges.render_nudge(
            "round_feedback",
            {
                "outbox_id": 7,
                "program": "Residents",
                "round": "round 2 of 2026–27",
                "last_day": DAY.isoformat(),
            },
        ),
        *[
            nudges.render_nudge(
                "meeting_agenda",
                {
                    "channel": "G1",
                    "relationship_kind": kind,
                    "label": "Night owls",
                    "members": list(names),
                    "mentors": list(names[1:]) if kind == "mentorship" else [],
                    "expected_on": DAY.isoformat(),
                    "stage": stage,
                    "goals": [
                        {"user_id": name, "number": n, "text": "Case report"}
                        for name in names
                        for n in range(1, count + 1)
                    ],
                    "needs": ["research", "wellbeing"][:count],
                },
            )
            for kind in ("circle", "mentorship")
            for stage in ("first", "mid", "last")
        ],
        nudges.render_nudge(
            "combined",
            {
                "day": DAY.isoformat(),
                "parts": [
                    {"kind": "did_you_meet", "payload": {**variant, "outbox_id": 7 + index}}
                    for index, variant in enumerate(_payload_variants(count, names)[: count + 1])
                ],
            },
        ),
        feedback.round_feedback({"outbox_id": 7}, Answers("yes", "once", "not_sure")),
        feedback.comment_modal(7, "A comment"),
    ]
    facts = {
        "program": "Residents",
        "round": "Spring round",
        "starts": DAY.isoformat(),
        "kind": "circles",
        "groups": count,
        "people": count,
        "repeat_pairs": count,
        "unplaced": count,
        "present": count,
        "minimum": 3,
    }
    notice_list = [{"id": i, "kind": kind, "facts": facts} for i, kind in enumerate(NoticeKind)][: count or 1]
    rendered.append(nudges.render_nudge("coordinator_notices", {"notices": notice_list}))
    rendered += [notices.notice_line(kind, {**facts, "kind": "mentorship"}) for kind in NoticeKind]
    return rendered


def matching_messages(count: int, names: tuple[str, ...]) -> list[Any]:
    circle = Proposal(
        "circles",
        (Group(tuple((name, "peer") for name in names), ("both PGY-2",)),),
        stats={
            "placed": count,
            "circles": count,
            "new_pairs": count,
            "repeat_pairs": count,
            "unplaced": count,
        },
    )
    mentors = Proposal(
        "mentors",
        (Group((("U0MENTEE", "mentee"), *((name, "mentor") for name in names))),),
        stats={"matched": count, "kept": count, "unmatched": count},
    )
    status = RoundStatus("Residents", "circles", DAY, count, count, count, count, count)
    return [
        matching.preview_blocks(1, circle, 1),
        matching.preview_blocks(1, mentors, 1),
        *(matching.published_text(kind, count, 0, count, False) for kind in matching.KIND_TITLES),
        *(matching.published_text(kind, count, count, 0, False) for kind in matching.KIND_TITLES),
        matching.circle_intro_blocks(list(names), ["both PGY-2"], 30),
        matching.mentorship_intro_blocks(
            "U0MENTEE", list(names), ["research"], ["research"], ["Publish"], 30
        ),
        matching.round_status_text([status]),
    ]


def member_messages(count: int, names: tuple[str, ...]) -> list[Any]:
    others_circle = tuple((name, "peer") for name in names)
    goal_lines = tuple(GoalLine(n, "Finish QI project", DAY, "research") for n in range(1, count + 1))
    lines = [
        RelationshipLine(1, "circle", "Night owls", "peer", others_circle, DAY, DAY),
        RelationshipLine(2, "mentorship", "", "mentor", tuple((n, "mentee") for n in names), None, DAY),
        RelationshipLine(
            3,
            "mentorship",
            "",
            "mentee",
            tuple((n, "mentor") for n in names),
            None,
            None,
            (PersonGoals(names[0], goal_lines),),
        ),
    ]
    summary = GoalSummary(1, "Write case report", DAY, "research", "open", True, count)
    meeting = MeetingSummary(DAY, "mentorship", "", names, ("Talked about boards",))
    facts = PrivacyFacts(
        joined=True, goals=count, shared_goals=count, notes=count, mentors=count, avoided=count
    )
    return [
        *(home.relationship_text(line) for line in lines),
        home.goal_blocks(goal_lines),
        goals.goals_list_text(count),
        goals.goals_list_blocks(
            [dataclasses.replace(summary, number=n) for n in range(1, count + 1)], [summary]
        ),
        meetings.logged_message(
            meetings.who_phrase("mentorship", "mentee", [(n, "mentor") for n in names]), DAY, with_notes=True
        ),
        meetings.logged_message(
            meetings.who_phrase("mentorship", "mentor", [(n, "mentee") for n in names]), DAY, with_notes=False
        ),
        meetings.meetings_list_blocks([meeting] * count),
        my_data.facts_line(facts),
        profile_summary_lines(ProfileDraft(roles=("mentor",), capacity=count, needs=("research",))),
        check_goal_number(count + 1, count),
        *change_request_messages(count, names),
    ]


def change_request_messages(count: int, names: tuple[str, ...]) -> list[Any]:
    """`/mentor change`: the request's replies, the suggestions, the mentor's question and the answers."""
    found = Suggestions(
        7,
        "Residents",
        tuple(Suggestion(name, name.title(), ("covers research", "same site")) for name in names[:count]),
        max(count, 1),
    )
    offer = offer_text(names[0], "Residents", "PGY-2", ["research", "education"][:count], max(count, 1))
    texts = [
        *change_requests.SAVED.values(),
        change_requests.UPDATED,
        change_requests.NOTHING_TO_CHANGE + change_requests.CHOOSE_HINT,
        change_requests.NOT_YOURS,
        change_requests.TOO_LONG,
        mentor_choice.INTRO.format(program="Residents"),
        *(
            template.format(mentor=names[0], mentee=names[-1], day="Monday, March 1, 2027")
            for template in (
                mentor_choice.WAITING,
                mentor_choice.ASKED,
                mentor_choice.DECLINED_NOTE + mentor_choice.NEXT.format(program="Residents"),
                mentor_choice.EXPIRED_NOTE + " " + mentor_choice.NONE_LEFT,
                mentor_choice.ACCEPTED_NOTE,
                mentor_choice.THANKS_ACCEPT,
                mentor_choice.THANKS_DECLINE,
                mentor_choice.NO_ROOM,
                mentor_choice.NO_LONGER,
            )
        ),
        mentor_choice.GONE,
        mentor_choice.ALREADY_ANSWERED,
        mentor_choice.HAS_MENTOR,
        mentor_choice.NOT_A_MENTEE,
        mentor_choice.CHOOSE_USAGE,
    ]
    return [
        *texts,
        presentation_changes.suggestions_blocks("Pick one:", found),
        presentation_changes.offer_blocks(offer, 3),
        presentation_changes.change_modal([(1, f"Your circle with {join_labels(list(names))}")], 1).to_dict(),
    ]


def coordinator_messages(count: int, names: tuple[str, ...]) -> list[Any]:
    cycle = CycleCounts(Cycle(DAY, DAY + timedelta(days=30), "March 2027"), meetings=count, asked=count)
    report = Report(
        title="Residents",
        as_of=DAY,
        participants=Participants(active=count, paused=count, left=count),
        circles=count,
        mentorships=count,
        cycles=(cycle,),
        stalled=count,
        dead_letters=count,
        faq=FaqGaps(declined=count, not_helpful=count, top_questions=(("parking?", count),)),
        programs=2,
        in_several=count,
        feedback=tuple(
            RoundFeedback.of(
                "Residents",
                "round 2 of 2026–27",
                DAY,
                asked,
                [Answers("yes", "four_plus", "yes")] * min(count, asked),
                ["Loved it"] * count,
            )
            for asked in (count, count + 2)
        ),
    )
    mentions = [f"<@{name}>" for name in names]
    return [
        stats.summary_text(report),
        stats.summary_blocks(report),
        feedback.feedback_blocks(()),
        programs.describe(ProgramSettings(round_months=max(count, 1))),
        *(roster_change_message(action, mentions, mentions, configured=True) for action in ("add", "remove")),
    ]


def help_and_faq_messages(count: int, names: tuple[str, ...]) -> list[Any]:
    entries = [FaqEntry(f"topic-{i}", f"Topic {i}", "Getting started", "An answer.") for i in range(count)]
    specs = [CommandSpec(name="goals", summary="your goals", usage=("/mentor goals",))]
    return [
        faq.decline_blocks("I don't have a good answer for that yet.", entries, 3, "where do I park"),
        faq.wellbeing_line(count),
        faq.browser_blocks({"Getting started": entries}),
        help.unknown_command_blocks("gaols", specs[:count], specs),
        help.unknown_command_text("gaols", specs[:count]),
    ]


def scheduling_messages(count: int, names: tuple[str, ...]) -> list[Any]:
    """Find a time: the vote as it fills up, once settled, its invite comment, the modal and the replies."""
    at = datetime(2027, 3, 4, 17, tzinfo=UTC)
    slots = tuple(
        SlotTally(index, at + timedelta(days=index), names[:count], names[count:])
        for index in range(count + 1)
    )
    board = VoteBoard(7, names[0], names, slots, count, 2, None, "C1", "1.0")
    settled = dataclasses.replace(board, chosen=0)
    form = ScheduleForm(((1, "Night owls (circle)"),) * (count + 1), 1, ((DAY, time(12)),) * count, "UTC")
    return [
        scheduling.vote_text(board),
        scheduling.vote_blocks(board),
        scheduling.vote_blocks(dataclasses.replace(board, proposer=None)),
        scheduling.vote_blocks(settled),
        scheduling.invite_comment(settled),
        scheduling.propose_modal(form),
        profile_summary_lines(ProfileDraft(call_days=("mon", "tue", "wed")[:count])),
        *(getattr(usecase_scheduling, name) for name in dir(usecase_scheduling) if name.isupper()),
    ]


TEMPLATES: dict[str, Callable[[int, tuple[str, ...]], list[Any]]] = {
    "find a time": scheduling_messages,
    "nudges and notices": nudge_messages,
    "matching and introductions": matching_messages,
    "members' replies and Home": member_messages,
    "coordinators' replies and stats": coordinator_messages,
    "help and FAQ": help_and_faq_messages,
}


@pytest.mark.parametrize("area", TEMPLATES)
@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("people", (1, 2, 3))
def test_every_template_reads_as_english(area: str, count: int, people: int) -> None:
    rendered = TEMPLATES[area](count, PEOPLE[:people])
    assert rendered
    assert problems(rendered) == []


@pytest.mark.parametrize(
    "text",
    [
        "1 circles",
        "0 circle",
        "2 person",
        "1 people",
        "set a new goal goal #1",
        "rounds of 3 month(s)",
        "did you meet with your mentorship with <@U0BEN>",
        "<@U0DEV> already coordinate.",
        "your mentors <@U0BEN>.",
        "Your mentee: <@U0A> and <@U0B>",
        "Did you meet with ?",
    ],
)
def test_the_checks_catch_each_mistake(text: str) -> None:
    assert problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "<@U0A> and <@U0B> already coordinate.",
        "<@U0A> already coordinates.",
        "your mentors <@U0A> and <@U0B>.",
        "2 people in 1 circle",
        "PGY-2 residents",
        "0 not placed",
    ],
)
def test_the_checks_pass_correct_english(text: str) -> None:
    assert problems(text) == []


def test_the_helpers_agree_with_their_counts() -> None:
    assert [plural(n, "circle") for n in COUNTS] == ["0 circles", "1 circle", "2 circles"]
    assert [plural(n, "person", "people") for n in COUNTS] == ["0 people", "1 person", "2 people"]
    assert [inflect(n, "coordinates", "coordinate") for n in COUNTS] == [
        "coordinate",
        "coordinates",
        "coordinate",
    ]
    assert [join_labels(PEOPLE[:n]) for n in range(4)] == [
        "",
        "U0ALEX",
        "U0ALEX and U0BEN",
        "U0ALEX, U0BEN and U0CHLOE",
    ]


def test_the_mentor_update_lists_changes_since_the_match_newest_first() -> None:
    """The update for the week before Monday March 8: the match began on Wednesday March 3 at noon, so the
    mentee's check-ins before it are left out, and the rest come newest first."""
    matched = datetime(2027, 3, 3, 12, tzinfo=UTC)
    members = (
        MemberSnapshot("U0MENTOR", "UTC", "active", None, ("mentor",), 30, DAY - timedelta(days=60)),
        MemberSnapshot("U0MENTEE", "UTC", "active", None, ("mentee",), 0, DAY - timedelta(days=60)),
    )
    relationship = RelationshipSnapshot(
        1,
        "mentorship",
        (("U0MENTEE", "mentee"), ("U0MENTOR", "mentor")),
        30,
        matched.date(),
        None,
        started_at=matched,
    )
    events = tuple(
        GoalEvent("U0MENTEE", number, f"Goal text {number}", "on_track", at)
        for number, at in (
            (1, datetime(2027, 3, 2, 9, tzinfo=UTC)),
            (2, datetime(2027, 3, 3, 11, tzinfo=UTC)),
            (3, datetime(2027, 3, 4, 9, tzinfo=UTC)),
            (4, datetime(2027, 3, 6, 9, tzinfo=UTC)),
        )
    )
    snapshot = WorkspaceSnapshot(members, (relationship,), goal_events=events)
    planned = [
        n for n in plan_nudges(snapshot, datetime(2027, 3, 8, 6, tzinfo=UTC)) if n.kind == "mentor_digest"
    ]
    assert len(planned) == 1
    updates = planned[0].payload["mentees"][0]["goal_updates"]
    assert [update["number"] for update in updates] == [4, 3]
    text = "\n".join(texts(nudges.render_nudge("mentor_digest", planned[0].payload)[1]))
    assert text.index("goal #4") < text.index("goal #3")
    assert "goal #2" not in text and "goal #1" not in text
