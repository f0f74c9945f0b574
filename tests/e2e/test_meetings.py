"""Meetings through the running app: `/mentor met`, `/mentor meetings`, the choice buttons and the modal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.domain.members import MET_USAGE, format_date, local_today
from bot.presentation.meetings import PendingMeeting
from bot.sandbox import User
from storage.models import Meeting, MeetingAttendee, MeetingNote, Member
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.members import MENTOR, join, relate
from tests.e2e.test_goals import say, wait_for_home
from tests.e2e.test_help_over_http import block_text


@pytest.fixture
def bob(running_app: RunningApp) -> User:
    return running_app.sandbox.add_user(
        running_app.workspace.team_id, "bob", "Bob Brown", tz="America/Chicago"
    )


@pytest.fixture
def cara(running_app: RunningApp) -> User:
    return running_app.sandbox.add_user(
        running_app.workspace.team_id, "cara", "Cara Chen", tz="America/Chicago"
    )


@pytest.fixture
def mentor(running_app: RunningApp) -> User:
    return running_app.sandbox.add_user(
        running_app.workspace.team_id, "maya", "Dr. Maya Moss", tz="America/Chicago"
    )


def yesterday() -> date:
    return local_today(datetime.now(UTC), "America/Chicago") - timedelta(days=1)


def meetings(running_app: RunningApp) -> list[tuple[int | None, date, list[str], list[tuple[str, str]]]]:
    """Every stored meeting as (relationship id, day, attendees' Slack ids, (author's Slack id, note))."""
    with running_app.services.db.session() as session:
        slack = {i: u for i, u in session.execute(select(Member.id, Member.slack_user_id))}
        rows = session.scalars(select(Meeting).order_by(Meeting.id)).all()
        return [
            (
                m.relationship_id,
                m.held_on,
                sorted(slack[a.member_id] for a in m.attendees),
                [(slack[n.member_id], n.text) for n in sorted(m.notes, key=lambda n: n.id)],
            )
            for m in rows
        ]


def publishes_for(running_app: RunningApp, user: User) -> int:
    return sum(1 for call in running_app.sandbox.calls("views.publish") if call.args["user_id"] == user.id)


def row_count(running_app: RunningApp, model) -> int:
    with running_app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def circle(running_app: RunningApp, alice, bob, cara) -> int:
    for user in (alice, bob, cara):
        join(running_app, user)
    return relate(running_app, "circle", [(alice, "peer"), (bob, "peer"), (cara, "peer")])


def test_met_with_the_only_circle_is_inferred_and_counted_for_everyone(
    running_app: RunningApp, alice, bob, cara, circle
) -> None:
    reply = say(running_app, alice, "met yesterday we swapped tips on &lt;night&gt; shifts")
    assert reply["text"].startswith(f"Logged your meeting with your circle on {format_date(yesterday())}.")
    assert meetings(running_app) == [
        (
            circle,
            yesterday(),
            sorted([alice.id, bob.id, cara.id]),
            [(alice.id, "we swapped tips on <night> shifts")],
        )
    ]
    wait_for_home(running_app, bob, present=f"last met {format_date(yesterday())}")
    wait_for_home(running_app, cara, present=f"last met {format_date(yesterday())}")

    listing = say(running_app, alice, "meetings")
    text = block_text(listing["blocks"])
    assert format_date(yesterday()) in text and "&lt;night&gt;" in text


def test_a_meeting_logged_by_two_attendees_counts_once(
    running_app: RunningApp, alice, bob, cara, circle
) -> None:
    say(running_app, alice, f"met <@{bob.id}> yesterday alice's private notes")
    second = say(running_app, bob, f"met <@{alice.id}|alice> yesterday bob's own notes")
    assert f"<@{alice.id}> already logged your meeting with your circle" in second["text"]
    assert "counts once for everyone" in second["text"] and "added your notes" in second["text"]
    ((relationship, day, attendees, notes),) = meetings(running_app)
    assert (relationship, day) == (circle, yesterday())
    assert attendees == sorted([alice.id, bob.id]), "only the people who were there count"
    assert notes == [(alice.id, "alice's private notes"), (bob.id, "bob's own notes")]

    repeat = say(running_app, bob, f"met <@{alice.id}> yesterday bob's own notes")
    assert "already logged" in repeat["text"] and "added" not in repeat["text"]
    assert row_count(running_app, Meeting) == 1 and row_count(running_app, MeetingNote) == 2

    bobs_list = block_text(say(running_app, bob, "meetings")["blocks"])
    assert "bob's own notes" in bobs_list and "alice's private notes" not in bobs_list
    alices_list = block_text(say(running_app, alice, "meetings")["blocks"])
    assert "alice's private notes" in alices_list and "bob's own notes" not in alices_list


def test_ambiguous_meetings_are_asked_about_with_buttons(running_app: RunningApp, alice, bob, mentor) -> None:
    join(running_app, alice)
    join(running_app, bob)
    join(running_app, mentor, MENTOR)
    relate(running_app, "circle", [(alice, "peer"), (bob, "peer")], label="Night floats")
    mentorship = relate(running_app, "mentorship", [(alice, "mentee"), (mentor, "mentor")])
    question = say(running_app, alice, "met yesterday talked about fellowship applications")
    assert "Which was this meeting for" in question["text"]
    buttons = next(b for b in question["blocks"] if b["type"] == "actions")["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Night floats (circle)", "Dr. Maya Moss (mentorship)"]
    assert row_count(running_app, Meeting) == 0, "nothing is stored until the member chooses"

    session = running_app.session(alice)
    answer = session.click("meeting_pick_2").wait_for_response(1, 10)[0]
    assert answer["replace_original"] is True
    assert (
        f"Logged your meeting with your mentor <@{mentor.id}> on {format_date(yesterday())}" in answer["text"]
    )
    assert meetings(running_app) == [
        (
            mentorship,
            yesterday(),
            sorted([alice.id, mentor.id]),
            [(alice.id, "talked about fellowship applications")],
        )
    ]
    wait_for_home(running_app, mentor, present=f"last met {format_date(yesterday())}")

    items = running_app.sandbox.state.feed.items(running_app.workspace.team_id, alice.id)
    asked = next(
        i for i in reversed(items) if i.kind == "ephemeral" and "meeting_pick_2" in json.dumps(i.blocks)
    )
    again = session.message_action(asked, "meeting_pick_2").wait_for_response(1, 10)[0]
    assert "You already logged" in again["text"]
    assert row_count(running_app, Meeting) == 1 and row_count(running_app, MeetingNote) == 1

    with_bob = say(running_app, alice, f"met <@{bob.id}> on {yesterday().isoformat()}")
    assert "with your circle (Night floats)" in with_bob["text"], "mentioning Bob settles which it was"


def test_notes_too_long_to_carry_on_a_button_are_refused(running_app: RunningApp, alice, bob, mentor) -> None:
    join(running_app, alice)
    join(running_app, bob)
    join(running_app, mentor, MENTOR)
    relate(running_app, "circle", [(alice, "peer"), (bob, "peer")])
    relate(running_app, "mentorship", [(alice, "mentee"), (mentor, "mentor")])
    reply = say(running_app, alice, "met today " + "long notes " * 180)
    assert "too long for me to hold" in reply["text"] and "blocks" not in reply
    assert row_count(running_app, Meeting) == 0


def test_a_meeting_outside_circles_is_logged_with_the_people_mentioned(
    running_app: RunningApp, alice, bob, cara
) -> None:
    join(running_app, alice)
    join(running_app, bob)
    assert say(running_app, alice, "met")["text"] == MET_USAGE
    assert publishes_for(running_app, bob) == 0
    reply = say(
        running_app, alice, f"met <@{bob.id}> and <@{cara.id}> <@{alice.id}> today coffee after M&amp;M"
    )
    assert reply["text"].startswith(f"Logged your meeting with <@{bob.id}> and <@{cara.id}> on ")
    ((relationship, _, attendees, notes),) = meetings(running_app)
    assert relationship is None and attendees == sorted([alice.id, bob.id, cara.id])
    assert notes == [(alice.id, "coffee after M&M")]
    assert running_app.sandbox.state.feed.wait_until(lambda: publishes_for(running_app, bob) == 1, 10)
    assert publishes_for(running_app, cara) == 0, "Cara hasn't joined, so her Home has nothing new"

    from_bob = say(running_app, bob, f"met <@{cara.id}> <@{alice.id}> today")
    assert "already logged" in from_bob["text"]
    assert row_count(running_app, Meeting) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("met <@U0NOBODY1> yesterday", "couldn't find `U0NOBODY1`"),
        ("met on Feb 30 we met", "isn't a day on the calendar"),
        ("met tomorrow planning", "hasn't happened yet"),
        ("met on 2001-01-05", "more than a year ago"),
        ("met yesterday " + "n" * 5000, "2,000 characters"),
        ("met @someone yesterday", "pick them from Slack's @ autocomplete"),
        ("met <!channel> yesterday", "only log meetings with people"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(
    running_app: RunningApp, alice, circle, text: str, expected: str
) -> None:
    reply = say(running_app, alice, text)
    assert expected in reply["text"]
    assert row_count(running_app, Meeting) == 0 and row_count(running_app, MeetingAttendee) == 0


def test_people_who_have_not_joined_are_asked_to_join(running_app: RunningApp, alice, bob) -> None:
    for text in ("meetings", f"met <@{bob.id}> yesterday"):
        assert "haven't joined Mentor Circles yet" in say(running_app, alice, text)["text"]
    assert row_count(running_app, Meeting) == 0


def test_meetings_list_is_empty_at_first(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    reply = say(running_app, alice, "meetings")
    assert "No meetings logged yet" in block_text(reply["blocks"])


def test_log_meeting_modal_from_the_home(running_app: RunningApp, alice, bob, cara, circle) -> None:
    session = running_app.session(alice)
    session.app_home_opened()
    wait_for_home(running_app, alice, present="meeting_log_open")
    session.click("meeting_log_open")
    wait_for_modal(session, "meeting_log")
    modal = session.current_modal().payload
    day = next(b for b in modal["blocks"] if b.get("block_id") == "day")["element"]
    assert day["initial_date"] == (yesterday() + timedelta(days=1)).isoformat()
    group = next(b for b in modal["blocks"] if b.get("block_id") == "relationship")["element"]
    assert [o["value"] for o in group["options"]] == [str(circle)]

    nobody = session.view_submission(values={"notes": "x" * 2500})
    assert set(nobody.errors) == {"relationship", "notes"}
    future = session.view_submission(
        values={"relationship": str(circle), "day": yesterday() + timedelta(days=3)}
    )
    assert "hasn't happened yet" in future.errors["day"]
    stranger = session.view_submission(values={"relationship": str(circle), "people": ["U0NOBODY1"]})
    assert "aren't in that circle" in stranger.errors["people"]
    assert row_count(running_app, Meeting) == 0

    logged = session.view_submission(
        values={
            "relationship": str(circle),
            "day": yesterday(),
            "notes": "Planned our QI project",
            "people": [],
        }
    )
    assert logged.body["response_action"] == "update", logged.body
    assert "Logged your meeting with your circle" in block_text(logged.body["view"]["blocks"])
    assert meetings(running_app) == [
        (circle, yesterday(), sorted([alice.id, bob.id, cara.id]), [(alice.id, "Planned our QI project")])
    ]
    wait_for_home(running_app, cara, present=f"last met {format_date(yesterday())}")

    session.click("meeting_log_open")
    wait_for_modal(session, "meeting_log")
    twice = session.view_submission(
        values={"relationship": str(circle), "day": yesterday(), "notes": "Planned our QI project"}
    )
    assert "already logged" in block_text(twice.body["view"]["blocks"])
    assert row_count(running_app, Meeting) == 1 and row_count(running_app, MeetingNote) == 1


def test_log_meeting_modal_with_people_only(running_app: RunningApp, alice, bob) -> None:
    join(running_app, alice)
    join(running_app, bob)
    session = running_app.session(alice)
    session.app_home_opened()
    wait_for_home(running_app, alice, present="meeting_log_open")
    session.click("meeting_log_open")
    wait_for_modal(session, "meeting_log")
    blocks = session.current_modal().payload["blocks"]
    assert all(b.get("block_id") != "relationship" for b in blocks), "no circle yet, so no circle menu"
    empty = session.view_submission(values={})
    assert set(empty.errors) == {"people"}
    unknown = session.view_submission(values={"people": ["U0NOBODY1"]})
    assert "couldn't find" in unknown.errors["people"]
    logged = session.view_submission(values={"people": [bob.id, alice.id]})
    assert f"Logged your meeting with <@{bob.id}>" in block_text(logged.body["view"]["blocks"])
    ((relationship, _, attendees, notes),) = meetings(running_app)
    assert (relationship, attendees, notes) == (None, sorted([alice.id, bob.id]), [])


# The "which one was it?" button value on its own.

slack_ids = st.from_regex(r"U[A-Z0-9]{8,10}", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(
    relationship_id=st.integers(1, 2**31),
    held_on=st.dates(),
    mentioned=st.lists(slack_ids, max_size=20, unique=True).map(tuple),
    notes=st.text(max_size=2000),
)
def test_a_pending_meeting_survives_its_button(relationship_id, held_on, mentioned, notes) -> None:
    pending = PendingMeeting(relationship_id, held_on, mentioned, notes)
    assert PendingMeeting.decode(pending.encode()) == pending


@given(st.text(max_size=300))
def test_any_button_value_decodes_or_is_refused(value: str) -> None:
    decoded = PendingMeeting.decode(value)
    assert decoded is None or isinstance(decoded.held_on, date)
