"""`/mentor admin stats`: the coordinators' numbers, chart and CSV, through the running app and the sandbox.

The program's history is planted on a fixed clock: members who joined in January 2027, a round of
circles published through the admin command, a mentorship, meetings with private notes, goals, answered
and unanswered "did you meet?" nudges, dead letters, stalled flags and FAQ misses.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PIL import Image
from sqlalchemy import select, update

from bot.composition import build_services
from bot.domain.programs import ProgramSettings
from bot.sandbox import Sandbox, SandboxClock, User, Workspace, default_spec_path
from storage.db import Database
from storage.faq import FaqRepository
from storage.goals import GoalRepository
from storage.meetings import MeetingRepository
from storage.models import Member, MemberAvoid, OutboxNudge, Relationship
from storage.programs import ProgramRepository
from storage.repositories import MemberRepository, WorkspaceRepository
from tests.e2e.conftest import RunningApp, app_settings, serving, settle_effects
from tests.e2e.members import MENTOR, PEER, join, relate

NOW = datetime(2027, 3, 15, 15, 0, tzinfo=UTC)
JOINED = datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
GOAL_TEXT = "SECRET-GOAL publish my case report"
NOTE_TEXT = "SECRET-NOTE talked about burnout"
REFUSED = "only for your program's coordinators"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(spec_path=default_spec_path(), clock=SandboxClock(NOW)) as running:
        yield running


@pytest.fixture
def running_app(
    sandbox: Sandbox, workspace: Workspace, coordinator: User, db: Database
) -> Iterator[RunningApp]:
    settings = app_settings(sandbox, workspace, db, coordinator_user_ids=(coordinator.id,))
    with serving(build_services(settings, db=db, clock=sandbox.clock), sandbox, workspace) as running:
        yield running


def uploaded(running_app: RunningApp, *team: str) -> list:
    """Files reach Slack from the effect workers, after the reply: wait for them first."""
    settle_effects(running_app)
    return running_app.sandbox.state.uploaded_files(*team)


@dataclasses.dataclass
class History:
    peers: list[User]
    mentor: User
    hidden: User
    """Someone on a do-not-match list; their id must never reach a coordinator."""
    circle_ids: list[int]
    mentorship_id: int


def at(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def nudge(workspace_id: int, key: str, user: User, **fields: object) -> OutboxNudge:
    defaults: dict[str, object] = {"kind": "did_you_meet", "status": "sent", "payload": {}}
    defaults.update(fields)
    sent_on = defaults.pop("sent_on", None)
    if isinstance(sent_on, date):
        defaults["sent_at"] = at(sent_on)
    due = defaults.get("sent_at") or at(date(2027, 3, 14))
    return OutboxNudge(workspace_id=workspace_id, key=key, user_id=user.id, due_at=due, **defaults)


def plant_history(running_app: RunningApp, coordinator: User) -> History:
    sandbox, team = running_app.sandbox, running_app.workspace.team_id
    peers = [sandbox.add_user(team, f"peer{i}", f"Peer {i}") for i in range(8)]
    mentor = sandbox.add_user(team, "mentor", "Morgan Mentor")
    hidden = sandbox.add_user(team, "dora", "Dora Hidden")
    for i, user in enumerate(peers):
        join(running_app, user, dataclasses.replace(PEER, site="North" if i % 2 else "South"))
    join(running_app, mentor, MENTOR)
    db = running_app.services.db
    with db.session() as session:
        space = WorkspaceRepository(session).ensure(team)
        session.execute(update(Member).where(Member.workspace_id == space.id).values(joined_at=JOINED))
        session.execute(update(Member).where(Member.slack_user_id == peers[6].id).values(status="paused"))
        session.execute(update(Member).where(Member.slack_user_id == peers[7].id).values(status="left"))
        member = MemberRepository(session, space.id).find(peers[0].id)
        session.add(MemberAvoid(workspace_id=space.id, member_id=member.id, avoided_user_id=hidden.id))

    coordinator_session = running_app.session(coordinator)
    coordinator_session.slash_command("/mentor", "admin match preview circles").wait_for_response(1, 20)
    coordinator_session.click("match_publish").wait_for_response(1, 20)
    mentorship_id = relate(running_app, "mentorship", [(mentor, "mentor"), (peers[5], "mentee")])

    with db.session() as session:
        space = WorkspaceRepository(session).ensure(team)
        circles = list(
            session.scalars(
                select(Relationship)
                .where(Relationship.workspace_id == space.id, Relationship.kind == "circle")
                .order_by(Relationship.id)
            )
        )
        members = MemberRepository(session, space.id)
        meetings = MeetingRepository(session, space.id)
        for held_on, circle in [
            (date(2027, 1, 20), circles[0]),
            (date(2027, 1, 27), circles[-1]),
            (date(2027, 2, 3), circles[0]),
            (date(2027, 2, 17), circles[0]),
            (date(2027, 2, 24), circles[-1]),
            (date(2027, 3, 10), circles[0]),
        ]:
            attendees = [link.member_id for link in circle.members]
            meetings.log(held_on, circle.id, attendees, attendees[0], notes=NOTE_TEXT)

        goals = GoalRepository(session, space.id)
        mentee = members.find(peers[5].id)
        planted = [goals.add(mentee.id, f"{GOAL_TEXT} {n}", "research", None) for n in range(3)]
        session.flush()
        for goal in planted:
            goal.created_at = at(date(2027, 2, 8))
        goals.set_status(planted[0], "done", "done", at(date(2027, 3, 2)))

        feb, mar = date(2027, 2, 10), date(2027, 3, 8)
        peer = peers[0]
        session.add_all(
            [
                nudge(space.id, "dym:1", peer, sent_on=feb, response="met"),
                nudge(space.id, "dym:2", peers[1], sent_on=feb, response="met"),
                nudge(space.id, "dym:3", peers[2], sent_on=feb, response="not_yet"),
                nudge(space.id, "dym:4", peers[3], sent_on=feb),
                nudge(space.id, "dym:5", peer, sent_on=mar, response="met"),
                nudge(space.id, "dym:6", peers[1], sent_on=mar),
                nudge(space.id, "dym:7", peers[2], status="pending"),
                nudge(space.id, "dead:1", peer, kind="meeting_reminder", status="dead"),
                nudge(space.id, "dead:2", peers[1], kind="goal_checkin", status="dead"),
                nudge(
                    space.id,
                    "stalled:mentorship",
                    mentor,
                    kind="stalled",
                    payload={"relationship_id": mentorship_id, "last_met_on": None},
                ),
                nudge(
                    space.id,
                    "stalled:circle-before-it-met-again",
                    peer,
                    kind="stalled",
                    payload={"relationship_id": circles[0].id, "last_met_on": "2027-02-17"},
                ),
            ]
        )
        faq = FaqRepository(session, space.id)
        for question, reason, topic in (
            ("How do I find a research mentor?", "declined", None),
            ("how do I find a  research mentor?", "declined", None),
            ("Is there parking at the VA?", "declined", None),
            ("What counts as a meeting?", "not_helpful", "meetings"),
        ):
            faq.pass_on(faq.record_miss(reason, topic), question, None)
        faq.record_miss("declined")
        return History(peers, mentor, hidden, [c.id for c in circles], mentorship_id)


def circles_now(running_app: RunningApp) -> int:
    with running_app.services.db.session() as session:
        return len(
            session.scalars(
                select(Relationship.id).where(Relationship.kind == "circle", Relationship.ended_at.is_(None))
            ).all()
        )


def everything_sent(running_app: RunningApp) -> str:
    """Every Web API call's arguments and every uploaded file's bytes, as one searchable text."""
    calls = json.dumps([call.args for call in running_app.sandbox.calls()], default=str)
    files = [f.content.decode("utf-8", "replace") for f in uploaded(running_app)]
    responses = json.dumps(
        [
            post
            for url in running_app.sandbox.state.messaging.response_urls
            for post in running_app.sandbox.state.response_url_posts(url)
        ]
    )
    return "\n".join([calls, responses, *files])


def stats(running_app: RunningApp, user: User, text: str = "") -> dict:
    sent = running_app.session(user).slash_command("/mentor", f"admin stats {text}".strip())
    assert sent.status == 200
    if isinstance(sent.body, dict) and sent.body.get("text"):
        return sent.body
    return sent.wait_for_response(1, 20)[0]


def test_summary_counts_participation_meetings_answers_goals_and_gaps(
    running_app: RunningApp, coordinator: User
) -> None:
    plant_history(running_app, coordinator)
    circles = circles_now(running_app)
    assert circles >= 1

    summary = stats(running_app, coordinator)
    shown = json.dumps(summary["blocks"], ensure_ascii=False)
    assert "Program report: all programs" in shown
    assert "*Participants:* 9 (7 active · 1 paused · 1 left)" in shown
    assert f"*Matched now:* {circles} circle{'s' if circles > 1 else ''} · 1 mentorship" in shown
    assert "*Meetings logged:* 6" in shown
    assert "67% answered (4 of 6) · 75% of answers were yes (3)" in shown
    assert "*Goals:* 3 set · 1 completed" in shown
    assert "*Stalled relationships:* 1" in shown
    assert "*Nudges that could not be delivered:* 2" in shown
    assert "Jan 2027: 2 meetings · – answered · – yes" in shown
    assert "Feb 2027: 3 meetings · 75% answered · 67% yes" in shown
    assert "Mar 2027: 1 meeting · 50% answered · 100% yes" in shown
    assert "4 it had no answer for · 1 marked not helpful" in shown
    assert "How do I find a research mentor? (×2)" in shown
    assert "Is there parking at the VA?" in shown
    assert summary["response_type"] == "ephemeral"
    assert "aren't available yet" not in shown

    unknown = stats(running_app, coordinator, "PGY-1 circles")
    assert unknown["text"] == (
        "I couldn't find a program called “PGY-1 circles”. The programs here are: Mentor Circles."
    )
    assert not unknown.get("blocks")


def test_chart_and_csv_reach_the_coordinators_dm_with_the_right_counts(
    running_app: RunningApp, coordinator: User
) -> None:
    history = plant_history(running_app, coordinator)
    stats(running_app, coordinator)
    clicked = running_app.session(coordinator).click("stats_chart").wait_for_response(1, 20)[0]
    assert "sent the chart" in clicked["text"]
    exported = stats(running_app, coordinator, "csv")
    assert "sent the CSV export" in exported["text"]

    files = {f.filename: f for f in uploaded(running_app, running_app.workspace.team_id)}
    dm = running_app.session(coordinator).dm()
    chart = files["meetings-per-cycle.png"]
    assert chart.content[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(chart.content))
    assert image.format == "PNG" and image.size == (960, 540)
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 10, "a drawn chart, not a blank canvas"
    assert chart.channels == [dm.id] and chart.alt_txt

    report = next(f for name, f in files.items() if name.endswith(".csv"))
    assert report.channels == [dm.id]
    rows = list(csv.DictReader(io.StringIO(report.content.decode())))
    assert [row["cycle"] for row in rows] == ["Jan 2027", "Feb 2027", "Mar 2027"]
    assert [row["start"] for row in rows] == ["2027-01-01", "2027-02-01", "2027-03-01"]
    assert [row["end"] for row in rows] == ["2027-01-31", "2027-02-28", "2027-03-31"]
    assert [int(row["meetings_logged"]) for row in rows] == [2, 3, 1]
    assert [int(row["did_you_meet_asked"]) for row in rows] == [0, 4, 2]
    assert [int(row["did_you_meet_answered"]) for row in rows] == [0, 3, 1]
    assert [int(row["did_you_meet_yes"]) for row in rows] == [0, 2, 1]
    assert [row["response_rate"] for row in rows] == ["", "0.750", "0.500"]
    assert [row["yes_rate"] for row in rows] == ["", "0.667", "1.000"]
    assert [int(row["goals_set"]) for row in rows] == [0, 3, 0]
    assert [int(row["goals_completed"]) for row in rows] == [0, 0, 1]

    sent = everything_sent(running_app)
    assert "SECRET-GOAL" not in sent and "SECRET-NOTE" not in sent
    assert history.hidden.id not in sent
    assert "meetings-per-cycle.png" in sent


def test_non_coordinators_are_refused_and_nothing_is_uploaded(
    running_app: RunningApp, coordinator: User, alice: User
) -> None:
    plant_history(running_app, coordinator)
    for text in ("", "csv", "chart"):
        assert REFUSED in stats(running_app, alice, text)["text"]
    stats(running_app, coordinator)
    item = next(
        i
        for i in running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)
        if i.blocks and "stats_csv" in json.dumps(i.blocks)
    )
    for action_id in ("stats_csv", "stats_chart"):
        refused = running_app.session(alice).message_action(item, action_id).wait_for_response(1, 10)[0]
        assert REFUSED in refused["text"]
    assert uploaded(running_app) == []
    assert running_app.sandbox.calls("files.getUploadURLExternal") == []


def move_to_program(running_app: RunningApp, name: str, people: list[User], relationship_id: int) -> None:
    """A second program holding `people` (who leave the default one) and one relationship."""
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        programs, members = ProgramRepository(session, space.id), MemberRepository(session, space.id)
        program = programs.add(name, ProgramSettings(kind="mentors"))
        assert program is not None
        for user in people:
            member = members.find(user.id)
            programs.enroll(program, member, NOW)
            programs.leave(programs.default(), member, NOW)
        session.get_one(Relationship, relationship_id).program_id = program.id


def test_stats_for_one_program_count_only_its_people_and_relationships(
    running_app: RunningApp, coordinator: User
) -> None:
    history = plant_history(running_app, coordinator)
    move_to_program(
        running_app, "Faculty mentoring", [history.mentor, history.peers[5]], history.mentorship_id
    )
    circles = circles_now(running_app)

    faculty = stats(running_app, coordinator, "faculty MENTORING")
    shown = json.dumps(faculty["blocks"], ensure_ascii=False)
    assert "Program report: Faculty mentoring" in shown
    assert "*Participants:* 2 (2 active · 0 paused · 0 left)" in shown
    assert "*Matched now:* 0 circles · 1 mentorship" in shown
    assert "*Meetings logged:* 0" in shown
    assert "*Goals:* 3 set · 1 completed" in shown
    assert "*Stalled relationships:* 1" in shown
    assert "*Nudges that could not be delivered:* 0" in shown
    assert "counted for the whole workspace" in shown

    default = json.dumps(stats(running_app, coordinator, "Mentor Circles")["blocks"], ensure_ascii=False)
    assert "Program report: Mentor Circles" in default
    assert "*Participants:* 7 (5 active · 1 paused · 1 left)" in default
    assert f"*Matched now:* {circles} circle{'s' if circles > 1 else ''} · 0 mentorships" in default
    assert "*Meetings logged:* 6" in default
    assert "67% answered (4 of 6) · 75% of answers were yes (3)" in default
    assert "*Goals:* 0 set · 0 completed" in default
    assert "*Stalled relationships:* 0" in default
    assert "*Nudges that could not be delivered:* 2" in default

    exported = stats(running_app, coordinator, "Faculty mentoring csv")
    assert "sent the CSV export" in exported["text"]
    report = next(f for f in uploaded(running_app) if f.filename.endswith(".csv"))
    assert report.title == "Program report by cycle: Faculty mentoring"
    rows = list(csv.DictReader(io.StringIO(report.content.decode())))
    assert sum(int(row["meetings_logged"]) for row in rows) == 0
    assert sum(int(row["goals_set"]) for row in rows) == 3

    item = next(
        i
        for i in running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)
        if i.blocks and "Program report: Mentor Circles" in json.dumps(i.blocks, ensure_ascii=False)
    )
    running_app.session(coordinator).message_action(item, "stats_chart").wait_for_response(1, 20)
    chart = next(f for f in uploaded(running_app) if f.filename.endswith(".png"))
    assert chart.title == "Meetings logged per cycle: Mentor Circles"
