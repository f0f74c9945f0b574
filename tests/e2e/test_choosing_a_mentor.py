"""Mentees choose their mentor among the engine's top three; the mentor accepts or declines in Slack.

Suggestions respect capacity and do-not-match lists and carry the engine's reasons; the mentor sees the
mentee's stage and needs, never their goals; accepting introduces them once; declining, or not answering
within the program's days, offers the mentee the next mentors; a late click reads "already answered".
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.sandbox import User
from bot.sandbox.models import FeedItem
from storage.models import ChangeRequest
from tests.e2e import test_nudges
from tests.e2e.conftest import RunningApp, settle_effects, wait_for_modal
from tests.e2e.members import MENTOR
from tests.e2e.test_coordinator_notices import run_until
from tests.e2e.test_program_matching import (
    MENTEE,
    ONE_TO_ONE,
    add_program,
    command,
    enrol,
    introduced,
    live_groups,
    opened_home,
    posts,
)

clock = test_nudges.clock


def suggested(blocks: list[dict]) -> list[str]:
    """The mentors offered, in order: the user ids of the blocks with an "Ask" button."""
    return [
        block["block_id"].removeprefix("choice_")
        for block in blocks
        if (block.get("accessory") or {}).get("action_id") == "choice_pick"
    ]


def newest(running_app: RunningApp, user: User, action_id: str) -> FeedItem:
    """The newest message or ephemeral the user saw with a button `action_id`."""
    settle_effects(running_app)
    items = running_app.sandbox.state.feed.items(running_app.workspace.team_id, user.id)
    return next(
        item
        for item in reversed(items)
        if item.kind in ("message", "ephemeral") and action_id in json.dumps(item.blocks or [])
    )


def ask(running_app: RunningApp, mentee: User, mentor_id: str) -> str:
    """The mentee clicks "Ask" beside `mentor_id` in the newest suggestions they saw; what they're told."""
    item = newest(running_app, mentee, "choice_pick")
    sent = running_app.session(mentee).message_action(item, "choice_pick", block_id=f"choice_{mentor_id}")
    return sent.wait_for_response(1, 20)[0]["text"]


def answer(running_app: RunningApp, mentor: User, action_id: str) -> str:
    item = newest(running_app, mentor, action_id)
    return running_app.session(mentor).message_action(item, action_id).wait_for_response(1, 20)[0]["text"]


def dm_texts(running_app: RunningApp, user: User) -> list[str]:
    settle_effects(running_app)
    return [m.text + json.dumps(m.blocks or []) for m in test_nudges.dms(running_app, user)]


def mentors(running_app: RunningApp) -> dict[str, User]:
    """Four mentors with room, one who is full and one the mentee asked not to be matched with."""
    found = {
        "mo": enrol(running_app, ONE_TO_ONE, "mo", MENTOR),
        "liz": enrol(running_app, ONE_TO_ONE, "liz", replace(MENTOR, offers=("research",), capacity=1)),
        "kim": enrol(running_app, ONE_TO_ONE, "kim", replace(MENTOR, offers=("education",))),
        "tom": enrol(
            running_app, ONE_TO_ONE, "tom", replace(MENTOR, specialty="surgery", offers=("wellbeing",))
        ),
        "sam": enrol(running_app, ONE_TO_ONE, "sam", replace(MENTOR, capacity=1)),
        "ray": enrol(running_app, ONE_TO_ONE, "ray", MENTOR),
    }
    return found


def test_a_mentee_picks_among_three_and_the_mentor_accepts(
    running_app: RunningApp, coordinator: User
) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    team = mentors(running_app)
    ben = enrol(running_app, ONE_TO_ONE, "ben", MENTEE)
    command(running_app, coordinator, f"admin pair <@{ben.id}> <@{team['sam'].id}>")
    ana = enrol(running_app, ONE_TO_ONE, "ana", replace(MENTEE, avoid_user_ids=(team["ray"].id,)))
    command(running_app, ana, "goal add Pass my boards quietly")

    shown = command(running_app, ana, "change mentor")
    offered = suggested(shown["blocks"])
    assert len(offered) == 3 and len(set(offered)) == 3
    assert set(offered) <= {team[name].id for name in ("mo", "liz", "kim", "tom")}, "not full, not on a list"
    assert offered[0] in (team["mo"].id, team["liz"].id), "the best fit for research comes first"
    text = json.dumps(shown["blocks"])
    assert "covers research" in text and "Ask" in text
    assert "list" not in text

    first = next(user for user in team.values() if user.id == offered[0])
    settle_effects(running_app)
    before = posts(running_app)
    asked = ask(running_app, ana, first.id)
    assert asked.startswith(f"I've asked <@{first.id}>. They have until")
    (question,) = [t for t in dm_texts(running_app, first) if "would like you as their mentor" in t]
    assert f"<@{ana.id}> would like you as their mentor in *{ONE_TO_ONE}*" in question
    assert "Their stage: PGY-2" in question and "help with research" in question
    assert "Pass my boards" not in question, "never the mentee's goals"
    assert "You've asked" in command(running_app, ana, "change mentor")["text"], "one mentor at a time"

    accepted = answer(running_app, first, "choice_accept")
    assert accepted == f"Thank you! I've introduced you to <@{ana.id}>."
    assert live_groups(running_app, program_id) == [
        frozenset({ben.id, team["sam"].id}),
        frozenset({ana.id, first.id}),
    ]
    assert introduced(running_app, before) == [frozenset({ana.id, first.id})], "introduced exactly once"
    assert any(f"<@{first.id}> said yes" in t for t in dm_texts(running_app, ana))
    assert "You already have a mentor" in command(running_app, ana, "change mentor")["text"]


def test_a_decline_and_a_timeout_each_offer_the_next_mentor(
    running_app: RunningApp, clock, coordinator: User
) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    team = mentors(running_app)
    ana = enrol(running_app, ONE_TO_ONE, "ana", replace(MENTEE, avoid_user_ids=(team["ray"].id,)))
    first = command(running_app, ana, "change mentor")
    offered = suggested(first["blocks"])
    by_id = {user.id: user for user in team.values()}

    ask(running_app, ana, offered[0])
    declined = answer(running_app, by_id[offered[0]], "choice_decline")
    assert declined.startswith(f"Thanks for letting me know. I'll tell <@{ana.id}> kindly")
    (note,) = [t for t in dm_texts(running_app, ana) if "can't take on a new mentee" in t]
    after_decline = suggested(json.loads(note[note.index("[") :]))
    assert offered[0] not in after_decline and offered[1] in after_decline and len(after_decline) == 3

    ask(running_app, ana, after_decline[0])
    waiting = by_id[after_decline[0]]
    run_until(running_app, clock, clock() + timedelta(days=2), step=timedelta(hours=6))
    assert not any("couldn't answer in time" in t for t in dm_texts(running_app, ana)), "not before 3 days"
    run_until(running_app, clock, clock() + timedelta(days=2), step=timedelta(hours=6))
    (lapsed,) = [t for t in dm_texts(running_app, ana) if "couldn't answer in time" in t]
    assert f"<@{waiting.id}> couldn't answer in time" in lapsed
    after_timeout = suggested(json.loads(lapsed[lapsed.index("[") :]))
    assert after_timeout and not {offered[0], waiting.id} & set(after_timeout)

    late = answer(running_app, waiting, "choice_accept")
    assert late == "This request has already been answered (or its time ran out), so nothing changed."
    assert live_groups(running_app, program_id) == []


def test_after_asking_for_a_change_a_mentee_chooses_their_next_mentor(
    running_app: RunningApp, coordinator: User
) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    mo = enrol(running_app, ONE_TO_ONE, "mo", MENTOR)
    liz = enrol(running_app, ONE_TO_ONE, "liz", replace(MENTOR, capacity=1))
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    command(running_app, coordinator, f"admin pair <@{ana.id}> <@{mo.id}>")
    assert "You already have a mentor" in command(running_app, ana, "change mentor")["text"]

    session = running_app.session(ana)
    session.slash_command("/mentor", "change")
    wait_for_modal(session, "change_request")
    session.view_submission(values={"change_reason": "Different field"})
    shown = command(running_app, ana, "change mentor")
    assert suggested(shown["blocks"]) == [liz.id], "never the mentor they asked to leave"

    ask(running_app, ana, liz.id)
    settle_effects(running_app)
    before = posts(running_app)
    assert answer(running_app, liz, "choice_accept").startswith("Thank you!")
    assert live_groups(running_app, program_id) == [frozenset({ana.id, liz.id})]
    assert introduced(running_app, before) == [frozenset({ana.id, liz.id})]
    assert any(
        f"Your mentorship with <@{ana.id}> has come to a close" in t for t in dm_texts(running_app, mo)
    )
    with running_app.services.db.session() as db_session:
        assert [r.status for r in db_session.scalars(select(ChangeRequest))] == ["done"]


def test_choosing_is_for_mentees_and_a_stale_suggestion_asks_nobody(
    running_app: RunningApp, coordinator: User, alice: User
) -> None:
    add_program(running_app, ONE_TO_ONE, "mentors")
    mo = enrol(running_app, ONE_TO_ONE, "mo", replace(MENTOR, capacity=1))
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    ben = enrol(running_app, ONE_TO_ONE, "ben", MENTEE)
    assert "Choosing a mentor is for mentees" in command(running_app, mo, "change mentor")["text"]
    assert "You haven't joined" in command(running_app, alice, "change mentor")["text"]
    command(running_app, ana, "change mentor")
    command(running_app, coordinator, f"admin pair <@{ben.id}> <@{mo.id}>")
    stale = ask(running_app, ana, mo.id)
    assert stale.startswith("That suggestion has changed"), "Mo has no room left now"
    assert not any("would like you as their mentor" in t for t in dm_texts(running_app, mo))
    assert "I don't have a mentor to suggest right now" in command(running_app, ana, "change mentor")["text"]


def test_the_homes_button_sends_the_suggestions_to_the_mentees_dm(
    running_app: RunningApp, coordinator: User
) -> None:
    add_program(running_app, ONE_TO_ONE, "mentors")
    mo = enrol(running_app, ONE_TO_ONE, "mo", MENTOR)
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    session, home = opened_home(running_app, ana)
    assert "Ask for a change" not in json.dumps(home.payload["blocks"]), "nothing to change yet"
    session.view_action(home, "choice_open")
    assert running_app.sandbox.state.feed.wait_until(
        lambda: any("choice_pick" in t for t in dm_texts(running_app, ana)), 10
    )
    assert ask(running_app, ana, mo.id).startswith(f"I've asked <@{mo.id}>")
    assert answer(running_app, mo, "choice_accept").startswith("Thank you!")
    session, home = opened_home(running_app, ana)
    shown = json.dumps(home.payload["blocks"])
    assert "Ask for a change" in shown and "Choose a mentor" not in shown
    _, mentor_home = opened_home(running_app, mo)
    assert "Ask for a change" not in json.dumps(mentor_home.payload["blocks"]), "for mentees and peers"
