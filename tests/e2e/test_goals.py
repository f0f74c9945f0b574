"""Goals through the running app: `/mentor goals`, `/mentor goal ...`, the Home's Done button and the modal."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.domain.members import local_today
from bot.domain.vocabulary import DOMAINS
from bot.presentation import goals as goals_blocks
from bot.sandbox import User, validate_blocks
from bot.usecases.goals import CLOSED_SHOWN
from storage.goals import GoalRepository, GoalSummary
from storage.models import Goal
from storage.repositories import MemberRepository, WorkspaceRepository
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.members import MENTOR, join, relate
from tests.e2e.test_help_over_http import block_text


@pytest.fixture
def bob(running_app: RunningApp) -> User:
    return running_app.sandbox.add_user(running_app.workspace.team_id, "bob", "Bob Brown", tz="Europe/London")


@pytest.fixture
def mentor(running_app: RunningApp) -> User:
    return running_app.sandbox.add_user(
        running_app.workspace.team_id, "maya", "Dr. Maya Moss", tz="America/New_York"
    )


def say(running_app: RunningApp, user: User, text: str) -> dict:
    """Send `/mentor TEXT` as `user`; the app acks at once and answers through response_url."""
    sent = running_app.session(user).slash_command("/mentor", text)
    assert sent.status == 200
    responses = sent.wait_for_response(1, timeout=10)
    assert responses, f"no answer to /mentor {text[:40]}"
    assert responses[0]["response_type"] == "ephemeral"
    return responses[0]


def goals_of(running_app: RunningApp, user: User) -> list[Goal]:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        member = MemberRepository(session, space.id).find(user.id)
        if member is None:
            return []
        return GoalRepository(session, space.id).for_member(member.id)


def history(goal: Goal) -> list[str]:
    return [checkin.kind for checkin in goal.checkins]


def home_text(running_app: RunningApp, user: User) -> str:
    view = running_app.sandbox.state.home_view(running_app.workspace.team_id, user.id)
    return json.dumps(view) if view else ""


def wait_for_home(running_app: RunningApp, user: User, present: str = "", absent: str = "") -> str:
    """Wait until `user`'s published Home shows `present` and no longer shows `absent`."""

    def shown() -> bool:
        text = home_text(running_app, user)
        return bool(text) and present in text and not (absent and absent in text)

    assert running_app.sandbox.state.feed.wait_until(shown, timeout=10), (
        f"{user.name}'s Home never showed {present!r} without {absent!r}"
    )
    return home_text(running_app, user)


def chicago_today() -> date:
    return local_today(datetime.now(UTC), "America/Chicago")


def test_add_list_finish_and_reopen_a_goal(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    added = say(running_app, alice, "goal add Submit my case report in 6 weeks #research")
    assert "Added goal 1: *Submit my case report*" in added["text"]
    (goal,) = goals_of(running_app, alice)
    assert (goal.number, goal.text, goal.domain, goal.status) == (
        1,
        "Submit my case report",
        "research",
        "open",
    )
    assert goal.due_on == chicago_today() + timedelta(weeks=6), "'in 6 weeks' counts from alice's own date"
    assert history(goal) == ["created"]
    wait_for_home(running_app, alice, present="Submit my case report")

    listing = say(running_app, alice, "goals")
    text = block_text(listing["blocks"])
    assert "*#1* Submit my case report" in text and "research" in text
    assert any(b.get("accessory", {}).get("action_id") == "goal_done" for b in listing["blocks"])

    done = say(running_app, alice, "goal done #1")
    assert "Marked goal 1 (*Submit my case report*) as done" in done["text"]
    wait_for_home(running_app, alice, absent="Submit my case report")
    again = say(running_app, alice, "goal drop 1")
    assert "already done" in again["text"]
    (goal,) = goals_of(running_app, alice)
    assert goal.status == "done" and goal.completed_at is not None
    assert history(goal) == ["created", "done"], "a refused change records nothing"

    finished = block_text(say(running_app, alice, "goals")["blocks"])
    assert "Recently finished" in finished and "done" in finished and "1 check-in" in finished

    reopened = say(running_app, alice, "goal reopen 1")
    assert "Reopened goal 1" in reopened["text"]
    dropped = say(running_app, alice, "goal drop 1")
    assert "Dropped goal 1" in dropped["text"]
    (goal,) = goals_of(running_app, alice)
    assert goal.status == "dropped"
    assert history(goal) == ["created", "done", "reopened", "dropped"]


def test_several_tags_keep_the_first_and_say_so(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    added = say(running_app, alice, "goal add Give grand rounds by June 30 #teaching #leadership")
    assert "filed it under teaching" in added["text"]
    (goal,) = goals_of(running_app, alice)
    assert goal.domain == "education" and goal.due_on is not None and goal.due_on.month == 6


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("goal add " + "a" * 5000, "300 characters"),
        ("goal add Finish my QI project by Feb 30", "isn't a day on the calendar"),
        ("goal add Publish a paper by 2001-01-01", "has already passed"),
        ("goal add Learn ultrasound #cooking", "I don't know that tag"),
        ("goal add", "Add a goal like this"),
        ("goal add ok", "a little short"),
        ("goal done 7", "You don't have any goals yet"),
        ("goal done the big one", "by its number"),
        ("goal share", "by its number"),
        ("goal polish 2", "Here's what I can do with goals"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    running_app: RunningApp, alice, command: str, expected: str
) -> None:
    join(running_app, alice)
    publishes = len(running_app.sandbox.calls("views.publish"))
    reply = say(running_app, alice, command)
    assert expected in reply["text"]
    assert goals_of(running_app, alice) == []
    assert len(running_app.sandbox.calls("views.publish")) == publishes, "nothing changed, so no Home refresh"


def test_numbers_beyond_your_goals_are_refused(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    say(running_app, alice, "goal add Read two papers a week")
    reply = say(running_app, alice, "goal done 3")
    assert "You don't have a goal 3: you have one goal." in reply["text"]
    assert [g.status for g in goals_of(running_app, alice)] == ["open"]


def test_the_same_goal_twice_is_stored_once(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    say(running_app, alice, "goal add Submit my abstract by March")
    second = say(running_app, alice, "goal add submit my  ABSTRACT by March")
    assert "already have this goal as number 1" in second["text"]
    assert len(goals_of(running_app, alice)) == 1


def test_people_who_have_not_joined_are_asked_to_join(running_app: RunningApp, alice) -> None:
    for command in ("goals", "goal add Run a half marathon", "goal done 1"):
        assert "haven't joined Mentor Circles yet" in say(running_app, alice, command)["text"]
    assert goals_of(running_app, alice) == []


def test_nobody_can_act_on_someone_elses_goals(running_app: RunningApp, alice, bob) -> None:
    join(running_app, alice)
    join(running_app, bob)
    say(running_app, alice, "goal add Apply for the chief resident role")
    wait_for_home(running_app, alice, present="chief resident")

    reply = say(running_app, bob, "goal done 1")
    assert "You don't have any goals yet" in reply["text"]
    assert "You don't have any goals yet" in say(running_app, bob, "goal share 1")["text"]

    alices_home = running_app.sandbox.state.views.home(running_app.workspace.team_id, alice.id)
    publishes = len(running_app.sandbox.calls("views.publish"))
    forged = running_app.session(bob).view_action(alices_home, "goal_done")
    assert forged.status == 200
    refreshed = running_app.sandbox.state.wait_for_calls("views.publish", count=publishes + 1)
    assert refreshed[-1].args["user_id"] == bob.id, "a click acts for (and refreshes) the one who clicked"
    (goal,) = goals_of(running_app, alice)
    assert (goal.status, goal.shared, history(goal)) == ("open", False, ["created"])
    assert "chief resident" not in home_text(running_app, bob)


def test_the_home_done_button_finishes_the_goal(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    say(running_app, alice, "goal add Present at journal club")
    say(running_app, alice, "goal add Meet the program director")
    wait_for_home(running_app, alice, present="Meet the program director")

    home = running_app.sandbox.state.views.home(running_app.workspace.team_id, alice.id)
    assert home is not None
    first = next(b for b in home.payload["blocks"] if b.get("block_id") == "home_goal_1")
    assert first["accessory"]["value"] == "1"
    clicked = running_app.session(alice).click("goal_done")
    assert clicked.status == 200
    wait_for_home(running_app, alice, present="Meet the program director", absent="journal club")
    assert [g.status for g in goals_of(running_app, alice)] == ["done", "open"]


def test_done_button_in_the_goal_list_confirms_in_the_conversation(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    say(running_app, alice, "goal add Shadow a hospitalist")
    running_app.session(alice).slash_command("/mentor", "goals").wait_for_response(1, 10)
    items = running_app.sandbox.state.feed.items(running_app.workspace.team_id, alice.id)
    listing = next(
        i for i in reversed(items) if i.kind == "ephemeral" and "goal_done" in json.dumps(i.blocks)
    )
    clicked = running_app.session(alice).message_action(listing, "goal_done")
    answer = clicked.wait_for_response(1, 10)[0]
    assert answer["replace_original"] is False and "as done" in answer["text"]
    assert [g.status for g in goals_of(running_app, alice)] == ["done"]


def test_a_mentors_home_shows_their_mentees_goals(running_app: RunningApp, alice, mentor) -> None:
    join(running_app, alice)
    join(running_app, mentor, MENTOR)
    relate(running_app, "mentorship", [(alice, "mentee"), (mentor, "mentor")])
    say(running_app, alice, "goal add Choose a research mentor for fellowship")
    home = wait_for_home(running_app, mentor, present="Choose a research mentor for fellowship")
    assert f"<@{alice.id}>" in home
    say(running_app, alice, "goal drop 1")
    wait_for_home(running_app, mentor, absent="Choose a research mentor")


def test_circle_mates_see_only_shared_goals(running_app: RunningApp, alice, bob) -> None:
    join(running_app, alice)
    join(running_app, bob)
    relate(running_app, "circle", [(alice, "peer"), (bob, "peer")], label="Night floats")
    say(running_app, alice, "goal add Sleep seven hours on post-call days #wellbeing")
    say(running_app, alice, "goal add Draft my personal statement")
    shared = say(running_app, alice, "goal share 2")
    assert "Shared your goal 2" in shared["text"]
    home = wait_for_home(running_app, bob, present="Draft my personal statement")
    assert "Sleep seven hours" not in home, "an unshared goal stays private"
    assert goals_of(running_app, alice)[1].shared is True
    assert "already shared" in say(running_app, alice, "goal share 2")["text"]

    private = say(running_app, alice, "goal unshare 2")
    assert "private again" in private["text"]
    wait_for_home(running_app, bob, absent="Draft my personal statement")
    assert [g.shared for g in goals_of(running_app, alice)] == [False, False]


def test_add_goal_modal_validates_inline_and_adds_once(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    session = running_app.session(alice)
    session.app_home_opened()
    wait_for_home(running_app, alice, present="goal_add_open")
    session.click("goal_add_open")
    wait_for_modal(session, "goal_add")

    empty = session.view_submission(values={"text": "", "due": chicago_today() - timedelta(days=1)})
    assert empty.body["response_action"] == "errors"
    assert set(empty.errors) == {"text", "due"}
    far = session.view_submission(
        values={"text": "x" * 5000, "due": chicago_today() + timedelta(days=6 * 366)}
    )
    assert "300 characters" in far.errors["text"] and "within 5 years" in far.errors["due"]
    assert goals_of(running_app, alice) == []

    due = chicago_today() + timedelta(days=30)
    values = {"text": "Finish the ultrasound module", "due": due, "domain": "clinical"}
    saved = session.view_submission(values=values)
    assert saved.body["response_action"] == "update"
    assert "Added goal 1" in block_text(saved.body["view"]["blocks"])
    (goal,) = goals_of(running_app, alice)
    assert (goal.text, goal.due_on, goal.domain) == ("Finish the ultrasound module", due, "clinical")
    wait_for_home(running_app, alice, present="Finish the ultrasound module")

    session.click("goal_add_open")
    wait_for_modal(session, "goal_add")
    repeat = session.view_submission(values=values)
    assert "already have this goal" in block_text(repeat.body["view"]["blocks"])
    assert len(goals_of(running_app, alice)) == 1


def test_long_lists_are_paginated(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        member = MemberRepository(session, space.id).find(alice.id)
        goals = GoalRepository(session, space.id)
        for n in range(1, 26):
            goals.add(member.id, f"Practice goal number {n}", None, None)
        goals.set_status(goals.by_number(member.id, 3), "done", "done", datetime.now(UTC))
    listing = say(running_app, alice, "goals")
    assert listing["text"] == "You have 24 open goals."
    assert len(listing["blocks"]) <= 50
    first_page = block_text(listing["blocks"])
    assert "Practice goal number 21" in first_page and "Practice goal number 22" not in first_page
    assert "Page 1 of 2" in first_page and "Recently finished" not in first_page

    second = running_app.session(alice).click("goals_page_next").wait_for_response(1, 10)[0]
    assert second["replace_original"] is True
    second_page = block_text(second["blocks"])
    assert "Practice goal number 25" in second_page and "Practice goal number 21" not in second_page
    assert "Recently finished" in second_page and "#3 Practice goal number 3" in second_page


def test_goals_stay_in_their_workspace(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    say(running_app, alice, "goal add Mentor a medical student")
    other = running_app.sandbox.add_workspace("T0MERCY1", name="Mercy Residency")
    stranger = running_app.sandbox.add_user(other.team_id, "sam", "Sam Stone")
    join(running_app, stranger, workspace=other)
    with running_app.services.db.session() as db_session:
        space = WorkspaceRepository(db_session).ensure(other.team_id)
        # The app holds one bot token (this workspace's), so Sam's profile comes from the cache.
        MemberRepository(db_session, space.id).find(stranger.id).slack_synced_at = datetime.now(UTC)
    session = running_app.sandbox.as_user(
        other.team_id, stranger.id, running_app.sandbox.http_transport(running_app.events_url)
    )
    sent = session.slash_command("/mentor", "goal done 1")
    reply = sent.wait_for_response(1, 10)[0]
    assert "You don't have any goals yet" in reply["text"]
    with running_app.services.db.session() as db_session:
        statuses = db_session.scalars(select(Goal.status)).all()
    assert statuses == ["open"]


# The list's builder on its own: any number of goals fits Slack's limits, and every goal has a page.

summaries = st.builds(
    GoalSummary,
    number=st.integers(1, 10**6),
    text=st.text(min_size=3, max_size=300),
    due_on=st.none() | st.dates(),
    domain=st.none() | st.sampled_from(DOMAINS),
    status=st.just("open"),
    shared=st.booleans(),
    check_ins=st.integers(0, 50),
)


@settings(max_examples=60, deadline=None)
@given(
    open_goals=st.lists(summaries, max_size=70, unique_by=lambda goal: goal.number),
    closed=st.lists(summaries.map(lambda g: replace(g, status="done")), max_size=CLOSED_SHOWN),
)
def test_every_page_of_any_goal_list_is_valid_block_kit(open_goals: list[GoalSummary], closed) -> None:
    pages = goals_blocks.page_count(len(open_goals))
    seen = []
    for page in range(pages):
        page_blocks = [b.to_dict() for b in goals_blocks.goals_list_blocks(open_goals, closed, page)]
        assert validate_blocks(page_blocks) == []
        seen.extend(
            b["accessory"]["value"]
            for b in page_blocks
            if b.get("accessory", {}).get("action_id") == "goal_done"
        )
    assert seen == [str(goal.number) for goal in open_goals]
