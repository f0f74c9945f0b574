"""Nudges end to end: the real app, the real outbox and delivery, the sandbox Slack on a simulated clock.

The first tests plant one nudge in the outbox, deliver it as the delivery worker does, and press its
buttons as the member would. The long test drives `tick --at` across weeks of simulated time and checks
exactly which DMs each person received, at what local time, and what their buttons did.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.domain.members import ProfileDraft
from bot.domain.nudges.model import PlannedNudge
from bot.nudges.clock import tick
from bot.nudges.delivery import Deliverer, DeliveryOptions, single_token
from bot.nudges.pacing import Pace
from bot.presentation.nudges import MEETING_ANSWERS, render_nudge
from bot.sandbox import Message, SandboxClock, User
from bot.sandbox.transports import Outgoing
from storage.goals import GoalRepository
from storage.models import Goal, GoalCheckin, Meeting, Member, OutboxNudge, Relationship
from storage.outbox import Outbox
from storage.repositories import MemberRepository, WorkspaceRepository
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import MENTOR, PEER, join, relate

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
"""A Monday; the US (March 14) and EU (March 28) clock changes fall in the weeks after it."""
FAST = DeliveryOptions(pace=Pace(per_minute=60_000))


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(START)


def person(running_app: RunningApp, name: str, real_name: str, tz: str) -> User:
    return running_app.sandbox.add_user(running_app.workspace.team_id, name, real_name, tz=tz)


def enrol(running_app: RunningApp, user: User, profile: ProfileDraft, tz: str, since: datetime) -> None:
    """Join with the profile in time zone `tz`, as of the simulated instant `since`."""
    join(running_app, user, dataclasses.replace(profile, tz=tz))
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        member = MemberRepository(session, space.id).find(user.id)
        member.joined_at = member.created_at = since


def group(
    running_app: RunningApp, kind: str, people: list[tuple[User, str]], since: datetime, label: str = ""
) -> int:
    relationship_id = relate(running_app, kind, people, label)
    with running_app.services.db.session() as session:
        session.get_one(Relationship, relationship_id).created_at = since
    return relationship_id


def add_goal(running_app: RunningApp, user: User, text: str, since: datetime) -> int:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        member = MemberRepository(session, space.id).find(user.id)
        goal = GoalRepository(session, space.id).add(member.id, text, None, None)
        goal.created_at = goal.updated_at = since
        for checkin in goal.checkins:
            checkin.created_at = since
        return goal.id


def workspace_id(running_app: RunningApp) -> int:
    with running_app.services.db.session() as session:
        return WorkspaceRepository(session).ensure(running_app.workspace.team_id).id


def plant(running_app: RunningApp, kind: str, user: User, key: str, payload: dict[str, Any]) -> None:
    """A nudge due now in the outbox, as the planner would store it."""
    now = running_app.services.clock()
    with running_app.services.db.session() as session:
        Outbox(session).add(workspace_id(running_app), [PlannedNudge(kind, key, user.id, now, payload)], now)


def deliver(running_app: RunningApp) -> int:
    deliverer = Deliverer(
        running_app.services.db,
        api_url=running_app.sandbox.api_url,
        tokens=single_token(running_app.workspace.bot_token),
        render=render_nudge,
        clock=running_app.services.clock,
        options=FAST,
    )
    return deliverer.deliver_due(timeout=30).sent


def dms(running_app: RunningApp, user: User) -> list[Message]:
    return running_app.sandbox.state.dms_to(running_app.workspace.team_id, user.id)


def row(running_app: RunningApp, key: str) -> OutboxNudge:
    with running_app.services.db.session() as session:
        found = session.scalar(select(OutboxNudge).where(OutboxNudge.key == key))
        assert found is not None
        session.expunge(found)
        return found


def meetings(running_app: RunningApp) -> list[tuple[int | None, date, list[str]]]:
    with running_app.services.db.session() as session:
        slack = dict(session.execute(select(Member.id, Member.slack_user_id)).all())
        return [
            (m.relationship_id, m.held_on, sorted(slack[a.member_id] for a in m.attendees))
            for m in session.scalars(select(Meeting).order_by(Meeting.id))
        ]


def button_ids(message: Message) -> list[str]:
    return [
        element["action_id"]
        for block in message.blocks or []
        for element in block.get("elements") or []
        if isinstance(element, dict) and element.get("type") == "button"
    ]


def text_of(message: Message) -> str:
    return message.text + " " + str(message.blocks)


# -- buttons ------------------------------------------------------------------------------------------


@pytest.fixture
def circle_of_three(running_app: RunningApp) -> tuple[int, User, User, User]:
    alice = person(running_app, "alice", "Alice Adams", "America/Chicago")
    bob = person(running_app, "bob", "Bob Brown", "Europe/Berlin")
    cara = person(running_app, "cara", "Cara Chen", "Asia/Tokyo")
    for user, tz in ((alice, "America/Chicago"), (bob, "Europe/Berlin"), (cara, "Asia/Tokyo")):
        enrol(running_app, user, PEER, tz, START)
    relationship_id = group(
        running_app, "circle", [(alice, "peer"), (bob, "peer"), (cara, "peer")], START, "Night owls"
    )
    return relationship_id, alice, bob, cara


def did_you_meet_payload(relationship_id: int, others: list[User]) -> dict[str, Any]:
    return {
        "relationship_id": relationship_id,
        "relationship_kind": "circle",
        "label": "Night owls",
        "others": [user.id for user in others],
        "expected_on": "2027-02-28",
    }


def test_we_met_logs_one_meeting_for_everyone_and_settles_the_others_question(
    running_app: RunningApp, circle_of_three: tuple[int, User, User, User]
) -> None:
    relationship_id, alice, bob, cara = circle_of_three
    people = [alice, bob, cara]
    for user in people:
        others = [other for other in people if other != user]
        key = f"did_you_meet:r{relationship_id}:{user.id}:2027-02-28"
        plant(running_app, "did_you_meet", user, key, did_you_meet_payload(relationship_id, others))
    assert deliver(running_app) == 3
    (question,) = dms(running_app, alice)
    assert "Night owls" in text_of(question) and f"<@{bob.id}>" in text_of(question)
    assert button_ids(question) == ["nudge_met", "nudge_scheduled", "nudge_not_yet", "nudge_skip"]

    session = running_app.session(alice)
    sent = session.click("nudge_met")
    assert sent.status == 200
    sent.wait_for_response()
    running_app.sandbox.state.wait_for_calls("chat.update", count=2)

    alice_today = START.astimezone(ZoneInfo("America/Chicago")).date()
    assert meetings(running_app) == [(relationship_id, alice_today, sorted(u.id for u in people))]
    (thanked,) = dms(running_app, alice)
    assert button_ids(thanked) == [] and "logged your meeting" in thanked.text
    for user in (bob, cara):
        (settled,) = dms(running_app, user)
        assert button_ids(settled) == [] and f"<@{alice.id}>" in settled.text
        assert row(running_app, f"did_you_meet:r{relationship_id}:{user.id}:2027-02-28").response == "met"
    assert row(running_app, f"did_you_meet:r{relationship_id}:{alice.id}:2027-02-28").response == "met"
    published = {
        call.args["user_id"] for call in running_app.sandbox.state.wait_for_calls("views.publish", 3)
    }
    assert published == {u.id for u in people}

    again = session.transport.deliver(sent.outgoing)
    assert again.status == 200
    replay = sent.wait_for_response(count=2)[-1]
    assert "already answered" in replay["text"]
    assert len(meetings(running_app)) == 1


def test_someone_elses_button_is_refused_and_changes_nothing(
    running_app: RunningApp, circle_of_three: tuple[int, User, User, User]
) -> None:
    relationship_id, alice, bob, cara = circle_of_three
    keys = {}
    for user, others in ((alice, [bob, cara]), (bob, [alice, cara])):
        keys[user.id] = f"did_you_meet:r{relationship_id}:{user.id}:2027-02-28"
        plant(running_app, "did_you_meet", user, keys[user.id], did_you_meet_payload(relationship_id, others))
    deliver(running_app)
    (alice_question,) = dms(running_app, alice)
    bob_session = running_app.session(bob)
    genuine = bob_session.click("nudge_scheduled")
    genuine.wait_for_response()

    alice_row = row(running_app, keys[alice.id])
    by_row_id = forged_click(genuine, value=str(alice_row.id))
    by_message = forged_click(genuine, value="0", channel=alice_question.channel, ts=alice_question.ts)
    for forged in (by_row_id, by_message):
        assert bob_session.transport.deliver(forged).status == 200
    replies = genuine.wait_for_response(count=3)[1:]
    assert ["someone else's" in reply["text"] for reply in replies] == [True, True]
    assert meetings(running_app) == []
    assert row(running_app, keys[alice.id]).response is None
    assert row(running_app, keys[bob.id]).response == "scheduled"
    (untouched,) = dms(running_app, alice)
    assert button_ids(untouched) == list(MEETING_ANSWERS)


def forged_click(sent: Any, value: str, channel: str | None = None, ts: str | None = None) -> Outgoing:
    """The same block_actions request pressing "We met" with another value (and maybe on another message)."""
    content = json.loads(json.dumps(sent.outgoing.content))
    content["actions"][0].update(action_id="nudge_met", value=value)
    if channel and ts:
        content["container"].update(channel_id=channel, message_ts=ts)
    return Outgoing(sent.outgoing.kind, content)


def test_not_yet_scheduled_and_skip_are_recorded_with_a_kind_reply(
    running_app: RunningApp, circle_of_three: tuple[int, User, User, User]
) -> None:
    relationship_id, alice, bob, cara = circle_of_three
    answers = [
        (alice, "nudge_not_yet", "not_yet", "two specific times"),
        (bob, "nudge_scheduled", "scheduled", "Enjoy"),
        (cara, "nudge_skip", "skip", "skip this cycle"),
    ]
    people = [user for user, *_ in answers]
    for user in people:
        others = [other for other in people if other != user]
        key = f"did_you_meet:r{relationship_id}:{user.id}:2027-02-28"
        plant(running_app, "did_you_meet", user, key, did_you_meet_payload(relationship_id, others))
    deliver(running_app)
    for user, action_id, response, phrase in answers:
        running_app.session(user).click(action_id).wait_for_response()
        (message,) = dms(running_app, user)
        assert phrase in message.text
        assert button_ids(message) == (["schedule_open"] if response == "not_yet" else [])
        assert row(running_app, f"did_you_meet:r{relationship_id}:{user.id}:2027-02-28").response == response
    assert meetings(running_app) == []


def test_goal_check_in_buttons_act_per_goal_and_need_help_tells_the_mentor(running_app: RunningApp) -> None:
    alice = person(running_app, "alice", "Alice Adams", "America/Chicago")
    maya = person(running_app, "maya", "Dr. Maya Moss", "America/New_York")
    enrol(running_app, alice, PEER, "America/Chicago", START)
    enrol(running_app, maya, MENTOR, "America/New_York", START)
    group(running_app, "mentorship", [(alice, "mentee"), (maya, "mentor")], START)
    report = add_goal(running_app, alice, "Submit my case report", START)
    ultrasound = add_goal(running_app, alice, "Learn point-of-care ultrasound", START)
    payload = {
        "goals": [
            {"id": report, "number": 1, "text": "Submit my case report"},
            {"id": ultrasound, "number": 2, "text": "Learn point-of-care ultrasound"},
        ]
    }
    plant(running_app, "goal_checkin", alice, f"goal_checkin:{alice.id}:2027-03-01", payload)
    deliver(running_app)
    session = running_app.session(alice)

    first = session.click(f"nudge_goal_on_track_{report}")
    first.wait_for_response()
    (checkin,) = dms(running_app, alice)
    assert button_ids(checkin) == [f"nudge_goal_{a}_{ultrasound}" for a in ("on_track", "need_help", "done")]
    assert "is on track" in text_of(checkin)

    session.click(f"nudge_goal_need_help_{ultrasound}").wait_for_response()
    assert deliver(running_app) == 1
    (help_request,) = dms(running_app, maya)
    assert f"<@{alice.id}>" in help_request.text + str(help_request.blocks)
    assert "Learn point-of-care ultrasound" in text_of(help_request)
    (checkin,) = dms(running_app, alice)
    assert button_ids(checkin) == [] and f"<@{maya.id}>" in text_of(checkin)

    session.transport.deliver(first.outgoing)
    assert "already checked in" in first.wait_for_response(count=2)[-1]["text"]
    with running_app.services.db.session() as session_db:
        kinds = {
            goal_id: [
                c.kind
                for c in session_db.scalars(
                    select(GoalCheckin).where(GoalCheckin.goal_id == goal_id).order_by(GoalCheckin.id)
                )
            ]
            for goal_id in (report, ultrasound)
        }
        statuses = {g.id: g.status for g in session_db.scalars(select(Goal))}
    assert kinds == {report: ["created", "on-track"], ultrasound: ["created", "need-help"]}
    assert statuses == {report: "open", ultrasound: "open"}
    assert row(running_app, f"goal_checkin:{alice.id}:2027-03-01").response == "on_track"


def test_done_from_a_check_in_finishes_the_goal(running_app: RunningApp) -> None:
    alice = person(running_app, "alice", "Alice Adams", "America/Chicago")
    enrol(running_app, alice, PEER, "America/Chicago", START)
    goal_id = add_goal(running_app, alice, "Submit my case report", START)
    payload = {"goals": [{"id": goal_id, "number": 1, "text": "Submit my case report"}]}
    plant(running_app, "goal_checkin", alice, f"goal_checkin:{alice.id}:2027-03-01", payload)
    deliver(running_app)
    running_app.session(alice).click(f"nudge_goal_done_{goal_id}").wait_for_response()
    with running_app.services.db.session() as session:
        assert session.get_one(Goal, goal_id).status == "done"
    (checkin,) = dms(running_app, alice)
    assert "Congratulations" in text_of(checkin) and button_ids(checkin) == []


def test_paused_notice_pauses_and_resume_brings_the_member_back(running_app: RunningApp) -> None:
    alice = person(running_app, "alice", "Alice Adams", "America/Chicago")
    enrol(running_app, alice, PEER, "America/Chicago", START)
    plant(running_app, "paused_notice", alice, f"paused_notice:{alice.id}:2027-03-01", {"unanswered": 3})
    deliver(running_app)
    assert status_of(running_app, alice) == "paused"
    (notice,) = dms(running_app, alice)
    assert "last 3 check-ins" in text_of(notice) and button_ids(notice) == ["nudge_resume"]

    assert "`/mentor goals`" in text_of(notice) and "Answering any of my check-ins" in text_of(notice)

    running_app.session(alice).click("nudge_resume").wait_for_response()
    assert status_of(running_app, alice) == "active"
    (notice,) = dms(running_app, alice)
    assert "Welcome back" in notice.text and button_ids(notice) == []
    assert row(running_app, f"paused_notice:{alice.id}:2027-03-01").response == "resume"


def test_any_answer_or_command_ends_the_apps_pause_but_not_the_members_own(running_app: RunningApp) -> None:
    alice = person(running_app, "alice", "Alice Adams", "America/Chicago")
    enrol(running_app, alice, PEER, "America/Chicago", START)
    session = running_app.session(alice)
    plant(running_app, "paused_notice", alice, f"paused_notice:{alice.id}:2027-03-01", {"unanswered": 3})
    deliver(running_app)
    assert status_of(running_app, alice) == "paused"
    session.slash_command("/mentor", "goals").reply()
    assert status_of(running_app, alice) == "active"
    assert row(running_app, f"paused_notice:{alice.id}:2027-03-01").response == "resume"

    goal_id = add_goal(running_app, alice, "Submit my case report", START)
    goals = {"goals": [{"id": goal_id, "number": 1, "text": "Submit my case report"}]}
    plant(running_app, "goal_checkin", alice, f"goal_checkin:{alice.id}:2027-03-02", goals)
    deliver(running_app)
    plant(running_app, "paused_notice", alice, f"paused_notice:{alice.id}:2027-03-04", {"unanswered": 3})
    deliver(running_app)
    assert status_of(running_app, alice) == "paused"
    session.click(f"nudge_goal_on_track_{goal_id}").wait_for_response()
    assert status_of(running_app, alice) == "active"

    plant(running_app, "paused_notice", alice, f"paused_notice:{alice.id}:2027-03-08", {"unanswered": 3})
    deliver(running_app)
    assert status_of(running_app, alice) == "paused"
    resumed = session.slash_command("/mentor", "resume").reply()
    assert "Welcome back" in str(resumed) and status_of(running_app, alice) == "active"

    paused = session.slash_command("/mentor", "pause").reply()
    assert paused and status_of(running_app, alice) == "paused"
    session.slash_command("/mentor", "goals").reply()
    assert status_of(running_app, alice) == "paused"


def status_of(running_app: RunningApp, user: User) -> str:
    with running_app.services.db.session() as session:
        return session.scalar(select(Member.status).where(Member.slack_user_id == user.id)) or ""


def count(running_app: RunningApp, model: Any) -> int:
    with running_app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# -- weeks of simulated time ----------------------------------------------------------------------

HOUR = timedelta(hours=1)


@dataclasses.dataclass(frozen=True)
class Received:
    user: str
    kind: str
    local: datetime


def received(running_app: RunningApp, users: dict[str, tuple[User, str]]) -> list[Received]:
    """Every nudge DM so far, by recipient name, kind (from the outbox; a member's DM of the day holding
    several nudges lists their kinds joined by "+") and local arrival time."""
    with running_app.services.db.session() as session:
        parts: dict[tuple[str | None, str | None], list[str]] = {}
        for r in session.scalars(
            select(OutboxNudge).where(OutboxNudge.ts.is_not(None), OutboxNudge.kind != "combined")
        ):
            parts.setdefault((r.channel, r.ts), []).append(r.kind)
        kinds = {message: "+".join(sorted(found)) for message, found in parts.items()}
    found = []
    for name, (user, tz) in users.items():
        for message in dms(running_app, user):
            kind = kinds.get((message.channel, message.ts), "not a nudge")
            at = datetime.fromtimestamp(float(message.ts), UTC).astimezone(ZoneInfo(tz))
            found.append(Received(name, kind, at.replace(microsecond=0, tzinfo=None)))
    return sorted(found, key=lambda r: (r.user, r.local, r.kind))


class Simulation:
    def __init__(self, running_app: RunningApp, clock: SandboxClock) -> None:
        self.running_app = running_app
        self.clock = clock

    def run_until(self, end: datetime) -> None:
        """Tick (plan and deliver) on every hour up to and including `end`."""
        while self.clock() < end:
            self.clock.advance(HOUR)
            self.tick()

    def tick(self) -> None:
        tick(self.running_app.services, deliver=True, options=FAST)

    def tick_in_subprocess(self) -> str:
        """The same tick through the real command line: `mentor-circles tick --at ISO --deliver`."""
        settings = self.running_app.services.settings
        env = {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "SLACK_BOT_TOKEN": settings.slack_bot_token or "",
            "SLACK_SIGNING_SECRET": settings.slack_signing_secret or "",
            "SLACK_API_URL": settings.slack_api_url,
            "DATABASE_URL": settings.database_url,
            "COORDINATOR_USER_IDS": ",".join(settings.coordinator_user_ids),
        }
        at = self.clock().isoformat()
        command = ["mentor-circles", "tick", "--at", at, "--deliver", "--per-minute", "60000"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout


def press(
    running_app: RunningApp, user: User, message: Message, action_id: str, block_id: str | None = None
) -> None:
    """Press a button in one particular DM (a user may have several with the same buttons); with
    `block_id`, the one in that block (a combined DM holds one set of buttons per nudge)."""
    session = running_app.session(user)
    items = running_app.sandbox.state.feed.items(running_app.workspace.team_id, user.id)
    item = next(i for i in reversed(items) if i.kind == "message" and i.ts == message.ts)
    sent = session.message_action(item, action_id, block_id=block_id)
    assert sent.status == 200
    sent.wait_for_response()


def local(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour)


MONDAYS = ("2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29", "2027-04-05")
ZONES = {
    "alice": "America/Chicago",
    "bob": "Europe/Berlin",
    "cara": "Asia/Tokyo",
    "maya": "America/New_York",
    "dev": "Australia/Sydney",
    "erin": "Europe/London",
    "carmen": "America/New_York",
}


def test_five_weeks_of_nudges_arrive_at_local_nine_and_their_buttons_work(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    u = {name: person(running_app, name, name.title(), tz) for name, tz in ZONES.items() if name != "carmen"}
    u["carmen"] = coordinator
    users = {name: (user, ZONES[name]) for name, user in u.items()}
    early = datetime(2027, 2, 20, 12, tzinfo=UTC)
    biweekly = dataclasses.replace(PEER, frequency="biweekly")
    for name, profile, since in (
        ("alice", PEER, START),
        ("bob", PEER, START),
        ("cara", PEER, START),
        ("maya", MENTOR, START),
        ("dev", biweekly, early),
        ("erin", biweekly, early),
    ):
        enrol(running_app, u[name], profile, ZONES[name], since)
    with running_app.services.db.session() as session:
        erin = session.scalar(select(Member).where(Member.slack_user_id == u["erin"].id))
        erin.status, erin.paused_until = "paused", date(2027, 3, 24)
    circle = group(
        running_app,
        "circle",
        [(u["alice"], "peer"), (u["bob"], "peer"), (u["cara"], "peer")],
        START,
        "Night owls",
    )
    mentorship = group(running_app, "mentorship", [(u["alice"], "mentee"), (u["maya"], "mentor")], START)
    report = add_goal(running_app, u["alice"], "Submit my case report", START)
    ultrasound = add_goal(running_app, u["alice"], "Learn point-of-care ultrasound", START)
    add_goal(running_app, u["dev"], "Finish my QI project", early)
    add_goal(running_app, u["erin"], "Prepare a grand rounds talk", early)
    simulation = Simulation(running_app, clock)

    # Alice's first monthly goal check-in arrives Wednesday March 31, 9:00 in Chicago (CDT, UTC-5).
    simulation.run_until(datetime(2027, 3, 31, 14, tzinfo=UTC))
    checkin = dms(running_app, u["alice"])[-1]
    assert "Submit my case report" in text_of(checkin) and "Learn point-of-care ultrasound" in text_of(
        checkin
    )
    press(running_app, u["alice"], checkin, f"nudge_goal_on_track_{report}")
    press(running_app, u["alice"], checkin, f"nudge_goal_need_help_{ultrasound}")
    simulation.tick()
    help_request = dms(running_app, u["maya"])[-1]
    assert f"<@{u['alice'].id}>" in text_of(help_request) and "Learn point-of-care ultrasound" in text_of(
        help_request
    )

    # "Did you meet?" comes the day after the expected date (March 31): Alice met her circle, not yet her mentor.
    simulation.run_until(datetime(2027, 4, 1, 14, tzinfo=UTC))
    # Both questions come in Alice's one DM of the day, each with its own buttons.
    (questions,) = [m for m in dms(running_app, u["alice"]) if "nudge_met" in button_ids(m)]
    assert button_ids(questions).count("nudge_met") == 2 and "Night owls" in text_of(questions)
    circle_row = row(running_app, f"did_you_meet:r{circle}:{u['alice'].id}:2027-03-31")
    mentor_row = row(running_app, f"did_you_meet:r{mentorship}:{u['alice'].id}:2027-03-31")
    assert circle_row.ts == mentor_row.ts == questions.ts
    press(running_app, u["alice"], questions, "nudge_met", f"did_you_meet@{circle_row.id}")
    press(running_app, u["alice"], questions, "nudge_not_yet", f"did_you_meet@{mentor_row.id}")
    alice_today = date(2027, 4, 1)
    assert meetings(running_app) == [(circle, alice_today, sorted(u[n].id for n in ("alice", "bob", "cara")))]
    settle_effects(running_app)
    for name in ("bob", "cara"):
        settled = next(
            m
            for m in dms(running_app, u[name])
            if "did_you_meet" in str(m.blocks) or "let me know you met" in m.text
        )
        assert "let me know you met" in settled.text and button_ids(settled) == []

    # Monday April 5 at 9:00 New York (13:00 UTC) runs through the real command line.
    simulation.run_until(datetime(2027, 4, 5, 12, tzinfo=UTC))
    clock.advance(HOUR)
    output = simulation.tick_in_subprocess()
    assert "delivered 1," in output
    simulation.run_until(datetime(2027, 4, 6, 12, tzinfo=UTC))

    expected = [
        # Round 3 of 2026–27 ends on March 31: its feedback comes on the first day of its last week,
        # once for Alice though she is in a circle and a mentorship of the same program.
        ("alice", "round_feedback", "2027-03-25 09:00"),
        # Alice's week of March 29 holds three days of nudges against a budget of two: the check-in
        # and the questions win, Monday's two reminders are dropped (checked below); her two
        # "did you meet?" questions, circle and mentorship, come in one DM.
        ("alice", "goal_checkin", "2027-03-31 09:00"),
        ("alice", "did_you_meet+did_you_meet", "2027-04-01 09:00"),
        ("bob", "round_feedback", "2027-03-25 09:00"),
        ("bob", "meeting_reminder", "2027-03-29 09:00"),
        ("bob", "did_you_meet", "2027-04-01 09:00"),
        ("cara", "round_feedback", "2027-03-25 09:00"),
        ("cara", "meeting_reminder", "2027-03-29 09:00"),
        ("cara", "did_you_meet", "2027-04-01 09:00"),
        # Carmen coordinates without being a member, so the planner uses the members' most common zone
        # (Chicago, by the alphabetical tie-break): 9:00 there is 10:00 in her New York.
        # The default program is reviewed before publishing: Carmen hears, at the same hour, that its
        # round is waiting (round 3 when the clock first runs, round 4 the day it starts).
        *sorted(
            [
                *[("carmen", "coordinator_digest", f"{day} 10:00") for day in MONDAYS],
                ("carmen", "coordinator_notices", "2027-03-01 10:00"),
                ("carmen", "coordinator_notices", "2027-04-01 10:00"),
            ],
            key=lambda item: item[2],
        ),
        ("dev", "goal_checkin", "2027-03-08 09:00"),
        ("dev", "goal_checkin", "2027-03-22 09:00"),
        # Dev's third unanswered check-in, four weeks after the first: it gets three days to be answered
        # before Dev is paused, so no paused notice follows it the same day.
        ("dev", "goal_checkin", "2027-04-05 09:00"),
        # Erin was paused until March 24: nothing on March 8 or 22; the check-in of the 22nd arrives the
        # day her pause ends (it is less than three days late), then the next one on time.
        ("erin", "goal_checkin", "2027-03-24 09:00"),
        ("erin", "goal_checkin", "2027-04-05 09:00"),
        ("maya", "mentor_digest", "2027-03-08 09:00"),
        ("maya", "round_feedback", "2027-03-25 09:00"),
        ("maya", "meeting_reminder", "2027-03-29 09:00"),
        # "Need help" reaches the mentor right away (Alice pressed it at 9:00 in Chicago).
        ("maya", "need_help", "2027-03-31 10:00"),
        ("maya", "did_you_meet", "2027-04-01 09:00"),
        ("maya", "mentor_digest", "2027-04-05 09:00"),
    ]
    got = [(r.user, r.kind, r.local.strftime("%Y-%m-%d %H:%M")) for r in received(running_app, users)]
    assert got == expected
    scheduled = [r for r in received(running_app, users) if r.kind not in ("need_help", "paused_notice")]
    assert all(r.local.weekday() < 5 for r in scheduled)

    digest = text_of(dms(running_app, u["maya"])[-1])
    assert f"<@{u['alice'].id}>" in digest and "is on track with goal #1" in digest
    assert "would like help with goal #2" in digest and "Thursday, April 1, 2027" in digest
    for relationship_id in (circle, mentorship):
        dropped = row(running_app, f"meeting_reminder:r{relationship_id}:{u['alice'].id}:2027-03-31")
        assert (dropped.status, dropped.last_error, dropped.ts) == ("skipped", "budget", None)
    assert row(running_app, f"did_you_meet:r{mentorship}:{u['alice'].id}:2027-03-31").response == "not_yet"
    assert row(running_app, f"did_you_meet:r{mentorship}:{u['maya'].id}:2027-03-31").response is None
    assert button_ids(dms(running_app, u["maya"])[-2]) == list(MEETING_ANSWERS)

    assert all(
        status_of(running_app, u[name]) == "active"
        for name in ("alice", "bob", "cara", "dev", "maya", "erin")
    )
