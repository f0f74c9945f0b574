"""Find a time, end to end: a circle across New York, Los Angeles and London proposes times, votes in its
group DM (each person reading the times in their own zone), gets the chosen time and a valid `.ics`
invite, and the "did you meet?" check-in waits until the meeting is over."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import func, select

from bot.presentation.scheduling import OPEN_ACTION, PROPOSE_VIEW
from bot.sandbox import Message, SandboxClock, User
from bot.sandbox.transports import Outgoing
from bot.shell.render import Names, mrkdwn
from bot.usecases.introductions import queue_introductions
from storage.models import MeetingPlan, Member, OutboxNudge, SlotVote
from tests.e2e.conftest import RunningApp, settle_effects, wait_for_modal
from tests.e2e.members import MENTOR, PEER
from tests.e2e.test_nudges import (
    Simulation,
    button_ids,
    deliver,
    did_you_meet_payload,
    dms,
    enrol,
    group,
    person,
    plant,
    workspace_id,
)

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
"""A Monday, before the US and EU clock changes."""
NEW_YORK, LOS_ANGELES, LONDON = "America/New_York", "America/Los_Angeles", "Europe/London"
FIRST = (date(2027, 3, 3), time(12, 0))
SECOND = (date(2027, 3, 4), time(12, 0))
"""Proposed in New York time: 17:00 UTC on Wednesday and on Thursday."""
CHOSEN_AT = datetime(2027, 3, 4, 17, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(START)


@pytest.fixture
def circle(running_app: RunningApp) -> tuple[int, User, User, User]:
    """Matched 29 days ago and meeting monthly: their first "did you meet?" is due on Wednesday."""
    since = START - timedelta(days=29)
    ana = person(running_app, "ana", "Ana Alvarez", NEW_YORK)
    ben = person(running_app, "ben", "Ben Brooks", LOS_ANGELES)
    cat = person(running_app, "cat", "Cat Clarke", LONDON)
    for user, tz in ((ana, NEW_YORK), (ben, LOS_ANGELES), (cat, LONDON)):
        enrol(running_app, user, PEER, tz, since)
    relationship_id = group(
        running_app, "circle", [(ana, "peer"), (ben, "peer"), (cat, "peer")], since, "Night owls"
    )
    return relationship_id, ana, ben, cat


def blank(*slots: int) -> dict[str, Any]:
    """Empty day and time pickers for these slots (the modal comes with suggestions filled in)."""
    return {f"slot{index}_{part}": None for index in slots for part in ("day", "time")}


def slot(index: int, picked: tuple[date, time]) -> dict[str, Any]:
    return {f"slot{index}_day": picked[0], f"slot{index}_time": picked[1]}


def plans(running_app: RunningApp) -> list[MeetingPlan]:
    with running_app.services.db.session() as session:
        found = list(session.scalars(select(MeetingPlan).order_by(MeetingPlan.id)))
        session.expunge_all()
        return found


def vote_count(running_app: RunningApp) -> int:
    with running_app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(SlotVote)) or 0


def shown_text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks or []:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text["text"])
        parts += [
            element["text"] for element in block.get("elements") or [] if element.get("type") == "mrkdwn"
        ]
    return "\n".join(parts)


def vote_message(running_app: RunningApp, plan: MeetingPlan) -> Message:
    found = running_app.sandbox.state.directory.conversations[plan.channel or ""].find(plan.ts or "")
    assert found is not None
    return found


def asked_did_you_meet(running_app: RunningApp) -> list[tuple[str, datetime]]:
    with running_app.services.db.session() as session:
        return [
            (row.user_id, row.sent_at)
            for row in session.scalars(
                select(OutboxNudge).where(
                    OutboxNudge.kind == "did_you_meet", OutboxNudge.sent_at.is_not(None)
                )
            )
            if row.sent_at is not None
        ]


def propose(running_app: RunningApp, user: User) -> Any:
    session = running_app.session(user)
    assert session.slash_command("/mentor", "schedule").status == 200
    wait_for_modal(session, PROPOSE_VIEW)
    return session


def test_three_time_zones_vote_and_get_one_invite_then_did_you_meet_waits_for_the_meeting(
    running_app: RunningApp, clock: SandboxClock, circle: tuple[int, User, User, User]
) -> None:
    relationship_id, ana, ben, cat = circle
    ana_session = propose(running_app, ana)
    modal = ana_session.current_modal().payload
    assert all(block.get("block_id") != "relationship" for block in modal["blocks"]), "one circle: no menu"
    suggested = {
        block["block_id"]: block["element"].get("initial_date") or block["element"].get("initial_time")
        for block in modal["blocks"]
        if block.get("type") == "input"
    }
    assert suggested["slot0_day"] and suggested["slot0_time"], "the bot's suggestions are filled in"
    assert "New_York" in str(modal["blocks"])

    past = ana_session.view_submission(values={**blank(1, 2, 3), **slot(0, (date(2027, 2, 27), time(12)))})
    assert "already passed" in past.errors["slot0_day"]
    nothing = ana_session.view_submission(values=blank(0, 1, 2, 3))
    assert "at least one time" in nothing.errors["slot0_day"]
    half = ana_session.view_submission(values={**blank(0, 1, 2, 3), "slot1_day": FIRST[0]})
    assert "both a day and a time" in half.errors["slot1_time"]
    assert plans(running_app) == []

    posted = ana_session.view_submission(values={**blank(2, 3), **slot(0, FIRST), **slot(1, SECOND)})
    assert posted.body["response_action"] == "update"
    assert "posted your times in the group DM" in str(posted.body["view"]["blocks"])
    settle_effects(running_app)
    (plan,) = plans(running_app)
    assert plan.relationship_id == relationship_id and plan.ts is not None
    conversation = running_app.sandbox.state.directory.conversations[plan.channel or ""]
    assert conversation.kind == "mpim" and {ana.id, ben.id, cat.id} <= set(conversation.members)

    message = vote_message(running_app, plan)
    for user, first, second in (
        (ana, "Mar 3, 2027 12:00 PM", "Mar 4, 2027 12:00 PM"),
        (ben, "Mar 3, 2027 9:00 AM", "Mar 4, 2027 9:00 AM"),
        (cat, "Mar 3, 2027 5:00 PM", "Mar 4, 2027 5:00 PM"),
    ):
        tz = running_app.sandbox.state.directory.users[user.id].tz
        seen = mrkdwn(shown_text(message), Names(tz=tz))
        assert first in seen and second in seen, (user.name, seen)
    assert button_ids(message) == ["schedule_yes_0", "schedule_no_0", "schedule_yes_1", "schedule_no_1"]

    ben_session = running_app.session(ben)
    assert "noted" in ben_session.click("schedule_no_0").wait_for_response()[0]["text"]
    yes = ben_session.click("schedule_yes_1")
    yes.wait_for_response()
    assert ben_session.transport.deliver(yes.outgoing).status == 200
    assert "already your answer" in yes.wait_for_response(count=2)[-1]["text"]
    assert vote_count(running_app) == 2
    settle_effects(running_app)
    message = vote_message(running_app, plan)
    assert f"Can't: <@{ben.id}>" in shown_text(message) and f"Can make it: <@{ben.id}>" in shown_text(message)
    assert running_app.sandbox.state.uploaded_files() == [], "one answer settles nothing"

    settled = running_app.session(ana).click("schedule_yes_1").wait_for_response()[0]["text"]
    assert "settles it" in settled
    settle_effects(running_app)
    (plan,) = plans(running_app)
    assert plan.chosen_slot == 1 and plan.chosen_at == CHOSEN_AT

    message = vote_message(running_app, plan)
    assert button_ids(message) == [] and "It's settled" in message.text
    (invite,) = running_app.sandbox.state.uploaded_files(running_app.workspace.team_id)
    assert invite.filename.endswith(".ics") and invite.channels == [plan.channel]
    calendar = icalendar.Calendar.from_ical(invite.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == CHOSEN_AT
    assert str(event["UID"]) == f"meeting-plan-{plan.id}-{running_app.workspace.team_id}@mentor-circles"
    assert "Night owls" in str(event["SUMMARY"])
    assert "Ana Alvarez, Ben Brooks and Cat Clarke" in str(event["DESCRIPTION"])
    (announced,) = [m for m in running_app.sandbox.state.messages(plan.channel or "") if m.files]
    assert "Mar 4, 2027 5:00 PM" in mrkdwn(announced.text, Names(tz=LONDON))
    assert "Mar 4, 2027 9:00 AM" in mrkdwn(announced.text, Names(tz=LOS_ANGELES))

    assert ben_session.transport.deliver(yes.outgoing).status == 200
    assert "settled already" in yes.wait_for_response(count=3)[-1]["text"]
    assert vote_count(running_app) == 3

    simulation = Simulation(running_app, clock)
    simulation.run_until(CHOSEN_AT)
    assert asked_did_you_meet(running_app) == [], "nobody is asked before the meeting"
    simulation.run_until(datetime(2027, 3, 5, 20, 0, tzinfo=UTC))
    asked = asked_did_you_meet(running_app)
    assert sorted(user_id for user_id, _ in asked) == sorted([ana.id, ben.id, cat.id])
    assert all(sent_at > CHOSEN_AT for _, sent_at in asked)


def test_the_buttons_in_an_introduction_and_a_not_yet_reply_open_the_form(
    running_app: RunningApp, circle: tuple[int, User, User, User]
) -> None:
    relationship_id, ana, ben, cat = circle
    with running_app.services.db.session() as session:
        queue_introductions(
            running_app.services.effects, session, workspace_id(running_app), [relationship_id]
        )
    settle_effects(running_app)
    cat_session = running_app.session(cat)
    cat_session.click(OPEN_ACTION)
    wait_for_modal(cat_session, PROPOSE_VIEW)
    assert cat_session.current_modal().payload["private_metadata"] == str(relationship_id)
    cat_session.close_modal()

    key = f"did_you_meet:r{relationship_id}:{ben.id}:2027-02-28"
    plant(running_app, "did_you_meet", ben, key, did_you_meet_payload(relationship_id, [ana, cat]))
    assert deliver(running_app) == 1
    ben_session = running_app.session(ben)
    ben_session.click("nudge_not_yet").wait_for_response()
    (reply,) = dms(running_app, ben)
    assert button_ids(reply) == [OPEN_ACTION] and "Find a time" in reply.text
    ben_session.click(OPEN_ACTION)
    wait_for_modal(ben_session, PROPOSE_VIEW)
    posted = ben_session.view_submission(values={**blank(1, 2, 3), **slot(0, FIRST)})
    assert "posted your time in the group DM" in str(posted.body["view"]["blocks"])
    settle_effects(running_app)
    (plan,) = plans(running_app)
    assert plan.relationship_id == relationship_id and plan.channel is not None


def test_only_the_circle_votes_and_someone_outside_it_is_refused(
    running_app: RunningApp, circle: tuple[int, User, User, User]
) -> None:
    relationship_id, ana, ben, cat = circle
    ana_session = propose(running_app, ana)
    ana_session.view_submission(values={**blank(1, 2, 3), **slot(0, FIRST)})
    settle_effects(running_app)
    (plan,) = plans(running_app)
    dan = person(running_app, "dan", "Dan Diaz", LONDON)
    enrol(running_app, dan, PEER, LONDON, START)
    ben_vote = running_app.session(ben).click("schedule_yes_0")
    ben_vote.wait_for_response()
    content = json.loads(json.dumps(ben_vote.outgoing.content))
    content["user"].update(id=dan.id, username="dan", name="dan")
    forged = running_app.session(dan).transport.deliver(Outgoing(ben_vote.outgoing.kind, content))
    assert forged.status == 200
    assert "not in" in ben_vote.wait_for_response(count=2)[-1]["text"]
    assert vote_count(running_app) == 1
    nobody = running_app.session(dan).slash_command("/mentor", "schedule")
    assert "not in a circle or mentorship yet" in nobody.wait_for_response(1, 10)[0]["text"]
    assert len(plans(running_app)) == 1 and plan.chosen_slot is None


def test_nights_or_call_days_from_the_profile_steer_suggestions_and_are_exported_and_erased(
    running_app: RunningApp, circle: tuple[int, User, User, User]
) -> None:
    relationship_id, ana, ben, cat = circle
    cat_session = running_app.session(cat)
    assert cat_session.slash_command("/mentor", "join").status == 200
    wait_for_modal(cat_session, "profile")
    field = next(b for b in cat_session.current_modal().payload["blocks"] if b.get("block_id") == "call_days")
    assert field["optional"] is True and len(field["element"]["options"]) == 7
    saved = cat_session.view_submission(values={"tz": LONDON, "call_days": ["tue", "wed", "thu"]})
    assert saved.body["response_action"] == "update"

    modal = propose(running_app, ana).current_modal().payload
    picked = {b["block_id"]: b["element"] for b in modal["blocks"] if b.get("type") == "input"}
    suggested = [
        datetime.combine(
            date.fromisoformat(picked[f"slot{i}_day"]["initial_date"]),
            time.fromisoformat(picked[f"slot{i}_time"]["initial_time"]),
            ZoneInfo(NEW_YORK),
        )
        for i in range(3)
    ]
    assert [moment.astimezone(ZoneInfo(LONDON)).strftime("%a") for moment in suggested] == [
        "Fri",
        "Sat",
        "Sun",
    ]

    ana_session = running_app.session(ana)
    ana_session.view_submission(values={**blank(1, 2, 3), **slot(0, FIRST)})
    settle_effects(running_app)
    cat_session.click("schedule_yes_0").wait_for_response()
    assert cat_session.slash_command("/mentor", "export").status == 200
    running_app.sandbox.state.wait_for_calls("files.completeUploadExternal", timeout=10)
    settle_effects(running_app)
    (exported,) = running_app.sandbox.state.uploaded_files(running_app.workspace.team_id)
    data = json.loads(exported.content or b"{}")
    assert data["profile"]["usually_on_nights_or_call"] == ["tue", "wed", "thu"]
    assert [vote["you_can_make_it"] for vote in data["find_a_time_votes"]] == [True]
    assert data["find_a_time_votes"][0]["time"].startswith("2027-03-03T17:00")

    cat_session.slash_command("/mentor", "delete-my-data")
    cat_session.click("my_data_delete").wait_for_response(1, 10)
    settle_effects(running_app)
    assert vote_count(running_app) == 0
    with running_app.services.db.session() as session:
        assert session.scalars(select(Member.call_days).where(Member.display_name == "")).all() == [None]


def test_someone_in_two_groups_chooses_which_one_the_vote_is_for(
    running_app: RunningApp, circle: tuple[int, User, User, User]
) -> None:
    relationship_id, ana, ben, cat = circle
    dan = person(running_app, "dan", "Dan Diaz", LONDON)
    enrol(running_app, dan, MENTOR, LONDON, START)
    mentorship = group(running_app, "mentorship", [(ana, "mentee"), (dan, "mentor")], START)
    session = propose(running_app, ana)
    blocks = session.current_modal().payload["blocks"]
    menu = next(b for b in blocks if b.get("block_id") == "relationship")["element"]
    assert sorted(option["value"] for option in menu["options"]) == sorted(
        [str(relationship_id), str(mentorship)]
    )
    unchosen = session.view_submission(values={**blank(1, 2, 3), **slot(0, FIRST)})
    assert "choose which circle or mentorship" in unchosen.errors["relationship"]
    posted = session.view_submission(
        values={**blank(1, 2, 3), **slot(0, FIRST), "relationship": str(mentorship)}
    )
    assert posted.body["response_action"] == "update" and "Dan Diaz" in str(posted.body["view"]["blocks"])
    settle_effects(running_app)
    (plan,) = plans(running_app)
    assert plan.relationship_id == mentorship
    members = set(running_app.sandbox.state.directory.conversations[plan.channel or ""].members)
    assert {ana.id, dan.id} <= members and ben.id not in members
