"""Meeting agendas end to end: planned by the clock for each due meeting, posted once in the group DM at
the reminder's hour, built from what the group may see, through the running app, the sandbox and the DB.

The default program's rounds run quarterly from July 1, so round 3 of 2026–27 ends on March 31, 2027.
Both groups started on Monday, March 1 and meet monthly: their next meeting is due around March 31, so
the reminders, and the agendas, come on Monday, March 29 (the 28th is a Sunday).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.sandbox import Message, SandboxClock, User
from bot.usecases.introductions import queue_introductions
from storage.meetings import MeetingRepository
from storage.models import Goal, OutboxNudge, Relationship
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import MENTOR, PEER
from tests.e2e.test_nudges import Simulation, add_goal, dms, enrol, group, person, text_of, workspace_id

MATCHED = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
BEGIN = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
CHICAGO, BERLIN, NEW_YORK = "America/Chicago", "Europe/Berlin", "America/New_York"


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(BEGIN)


@dataclasses.dataclass
class Groups:
    alice: User
    bob: User
    maya: User
    circle: int
    mentorship: int


def share(running_app: RunningApp, goal_id: int) -> None:
    with running_app.services.db.session() as session:
        session.get_one(Goal, goal_id).shared = True


def introduced_groups(running_app: RunningApp) -> Groups:
    alice = person(running_app, "alice", "Alice Tester", CHICAGO)
    bob = person(running_app, "bob", "Bob Tester", BERLIN)
    maya = person(running_app, "maya", "Maya Tester", NEW_YORK)
    enrol(running_app, alice, dataclasses.replace(PEER, needs=("research", "wellbeing")), CHICAGO, MATCHED)
    enrol(running_app, bob, PEER, BERLIN, MATCHED)
    enrol(running_app, maya, MENTOR, NEW_YORK, MATCHED)
    circle = group(running_app, "circle", [(alice, "peer"), (bob, "peer")], MATCHED, "Night owls")
    mentorship = group(running_app, "mentorship", [(alice, "mentee"), (maya, "mentor")], MATCHED)
    share(running_app, add_goal(running_app, alice, "Submit my case report", MATCHED))
    add_goal(running_app, alice, "Decide on a fellowship in cardiology", MATCHED)
    share(running_app, add_goal(running_app, bob, "Pass the boards", MATCHED))
    add_goal(running_app, bob, "Something I keep to myself about the night rota", MATCHED)
    log_meeting(running_app, mentorship, date(2027, 3, 1), MATCHED)
    with running_app.services.db.session() as session:
        queue_introductions(
            running_app.services.effects, session, workspace_id(running_app), [circle, mentorship]
        )
    settle_effects(running_app)
    return Groups(alice, bob, maya, circle, mentorship)


def log_meeting(running_app: RunningApp, relationship_id: int, held_on: date, at: datetime) -> None:
    with running_app.services.db.session() as session:
        group = session.get_one(Relationship, relationship_id)
        attendees = [link.member_id for link in group.members]
        meeting, _ = MeetingRepository(session, workspace_id(running_app)).log(
            held_on, relationship_id, attendees, attendees[0]
        )
        meeting.created_at = at


def group_dm(running_app: RunningApp, relationship_id: int) -> list[Message]:
    with running_app.services.db.session() as session:
        channel = session.get_one(Relationship, relationship_id).intro_channel
    assert channel is not None, "introduced"
    return running_app.sandbox.state.messages(channel)


def agendas_in(running_app: RunningApp, relationship_id: int) -> list[Message]:
    return [m for m in group_dm(running_app, relationship_id) if "A short agenda" in m.text]


def test_each_group_gets_one_agenda_at_the_reminders_hour_built_from_what_it_may_see(
    running_app: RunningApp, clock: SandboxClock
) -> None:
    cast = introduced_groups(running_app)
    simulation = Simulation(running_app, clock)
    simulation.run_until(datetime(2027, 3, 29, 13, tzinfo=UTC))
    assert agendas_in(running_app, cast.circle) == [], "not before Alice's 9:00 in Chicago"

    simulation.run_until(datetime(2027, 3, 30, 14, tzinfo=UTC))
    simulation.tick()
    (circle_agenda,) = agendas_in(running_app, cast.circle)
    (mentorship_agenda,) = agendas_in(running_app, cast.mentorship)
    for message in (circle_agenda, mentorship_agenda):
        sent = datetime.fromtimestamp(float(message.ts), UTC).replace(microsecond=0)
        assert sent == datetime(2027, 3, 29, 14, tzinfo=UTC), "9:00 in Chicago, with Alice's reminders"
        assert "Wednesday, March 31, 2027" in text_of(message)

    circle_text = text_of(circle_agenda)
    assert "Night owls" in circle_text and "Introductions" in circle_text, "their first meeting"
    assert "Submit my case report" in circle_text and "Pass the boards" in circle_text
    assert "fellowship" not in circle_text and "night rota" not in circle_text, "only shared goals"
    assert "prep" not in circle_text and "guidance" not in circle_text, "no mentors, no profile needs"

    mentorship_text = text_of(mentorship_agenda)
    assert "the round's last meeting" in mentorship_text, "round 3 ends before another meeting is due"
    assert "Submit my case report" in mentorship_text and "fellowship in cardiology" in mentorship_text
    assert "Pass the boards" not in mentorship_text and "night rota" not in mentorship_text
    assert "what you'd like guidance on: research and wellbeing." in mentorship_text
    assert f"<@{cast.maya.id}>, a minute of prep" in mentorship_text

    reminders = [m for m in dms(running_app, cast.maya) if "nearly time to meet" in text_of(m)]
    assert reminders, "the members' own reminders still come"
    with running_app.services.db.session() as session:
        rows = list(session.scalars(select(OutboxNudge).where(OutboxNudge.kind == "meeting_agenda")))
    assert sorted(r.key for r in rows) == [
        f"meeting_agenda:r{cast.circle}:2027-03-31",
        f"meeting_agenda:r{cast.mentorship}:2027-03-31",
    ]
    assert all(r.status == "sent" for r in rows)


def test_no_agenda_once_the_meeting_was_logged_or_the_group_ended(
    running_app: RunningApp, clock: SandboxClock
) -> None:
    cast = introduced_groups(running_app)
    simulation = Simulation(running_app, clock)
    simulation.run_until(datetime(2027, 3, 28, 20, tzinfo=UTC))
    with running_app.services.db.session() as session:
        assert session.scalar(select(OutboxNudge).where(OutboxNudge.kind == "meeting_agenda")) is not None
        session.get_one(Relationship, cast.mentorship).ended_at = clock()
    log_meeting(running_app, cast.circle, date(2027, 3, 26), clock())
    simulation.run_until(datetime(2027, 3, 30, 14, tzinfo=UTC))
    assert agendas_in(running_app, cast.circle) == [] and agendas_in(running_app, cast.mentorship) == []
    with running_app.services.db.session() as session:
        reasons = sorted(
            r.last_error or ""
            for r in session.scalars(select(OutboxNudge).where(OutboxNudge.kind == "meeting_agenda"))
        )
    assert reasons == ["meeting already logged", "relationship ended"]
