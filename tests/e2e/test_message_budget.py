"""The message budget end to end, over four simulated weeks of hourly ticks through the running app, the
sandbox Slack and the real DB: at most `weekly_nudge_budget` nudge DMs per person and local week (2 by
default), everything due for one person on one day in one DM (circle and mentorship together), the most
useful days winning the budget, and every nudge left out recorded with its reason.

Alice (Chicago) is in a circle with Bob (Berlin), meeting every two weeks, and mentored by Maya (New
York) every week; all started on Monday, March 1, 2027. Alice checks in on her goal every two weeks.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.domain.calendar import monday_of
from bot.domain.programs import ProgramSettings
from bot.sandbox import Message, SandboxClock, User
from storage.models import OutboxNudge, Relationship
from storage.programs import ProgramRepository
from tests.e2e import test_nudges
from tests.e2e.conftest import RunningApp
from tests.e2e.members import MENTOR, PEER
from tests.e2e.test_nudges import Simulation, add_goal, dms, enrol, group, person, text_of, workspace_id
from tests.e2e.test_programs import edit_default_program

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
END = datetime(2027, 3, 29, 6, 0, tzinfo=UTC)
"""Four whole weeks: Sunday, March 28 is over everywhere the cast lives."""
ZONES = {"alice": "America/Chicago", "bob": "Europe/Berlin", "maya": "America/New_York"}
NOT_BUDGETED = ("round_feedback", "need_help", "paused_notice")


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(START)


@dataclasses.dataclass
class Cast:
    alice: User
    bob: User
    maya: User
    circle: int
    mentorship: int
    goal: int


def the_cast(running_app: RunningApp) -> Cast:
    users = {name: person(running_app, name, f"{name.title()} Tester", tz) for name, tz in ZONES.items()}
    enrol(running_app, users["alice"], dataclasses.replace(PEER, frequency="biweekly"), ZONES["alice"], START)
    enrol(running_app, users["bob"], PEER, ZONES["bob"], START)
    enrol(running_app, users["maya"], MENTOR, ZONES["maya"], START)
    circle = group(running_app, "circle", [(users["alice"], "peer"), (users["bob"], "peer")], START, "Owls")
    mentorship = group(
        running_app, "mentorship", [(users["alice"], "mentee"), (users["maya"], "mentor")], START
    )
    with running_app.services.db.session() as session:
        session.get_one(Relationship, circle).cadence_days = 14
        session.get_one(Relationship, mentorship).cadence_days = 7
    goal = add_goal(running_app, users["alice"], "Submit my case report", START)
    return Cast(users["alice"], users["bob"], users["maya"], circle, mentorship, goal)


@dataclasses.dataclass(frozen=True)
class Dm:
    day: date
    kinds: tuple[str, ...]
    message: Message


def nudge_dms(running_app: RunningApp, user: User, tz: str) -> list[Dm]:
    """The member's nudge DMs: local day and the kinds of nudge each one holds (one per merged part)."""
    with running_app.services.db.session() as session:
        parts: dict[tuple[str | None, str | None], list[str]] = defaultdict(list)
        for row in session.scalars(
            select(OutboxNudge).where(OutboxNudge.ts.is_not(None), OutboxNudge.kind != "combined")
        ):
            parts[(row.channel, row.ts)].append(row.kind)
    found = []
    for message in dms(running_app, user):
        kinds = parts.get((message.channel, message.ts))
        if kinds:
            day = datetime.fromtimestamp(float(message.ts), UTC).astimezone(ZoneInfo(tz)).date()
            found.append(Dm(day, tuple(sorted(kinds)), message))
    return found


def budgeted_per_week(found: list[Dm]) -> dict[date, int]:
    weeks: dict[date, int] = defaultdict(int)
    for dm in found:
        if not set(dm.kinds) <= set(NOT_BUDGETED):
            weeks[monday_of(dm.day)] += 1
    return dict(weeks)


def rows_of(running_app: RunningApp, user: User) -> list[OutboxNudge]:
    with running_app.services.db.session() as session:
        rows = list(
            session.scalars(
                select(OutboxNudge).where(OutboxNudge.user_id == user.id).order_by(OutboxNudge.id)
            )
        )
        session.expunge_all()
        return rows


def press_part(running_app: RunningApp, user: User, message: Message, block_id: str, action_id: str) -> None:
    session = running_app.session(user)
    items = running_app.sandbox.state.feed.items(running_app.workspace.team_id, user.id)
    item = next(i for i in reversed(items) if i.kind == "message" and i.ts == message.ts)
    sent = session.message_action(item, action_id, block_id=block_id)
    assert sent.status == 200
    sent.wait_for_response()


def current(running_app: RunningApp, user: User, message: Message) -> Message:
    return next(m for m in dms(running_app, user) if m.ts == message.ts)


def block_ids(message: Message) -> list[str]:
    return [str(block.get("block_id")) for block in message.blocks or []]


def local_9(tz: str, day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def test_four_weeks_within_the_budget_same_day_nudges_merged_and_every_drop_recorded(
    running_app: RunningApp, clock: SandboxClock
) -> None:
    cast = the_cast(running_app)
    simulation = Simulation(running_app, clock)
    alice_tz = ZONES["alice"]

    # Monday, March 15: Alice's goal check-in. She answers it, so Maya's Monday update has news.
    simulation.run_until(local_9(alice_tz, date(2027, 3, 15)))
    checkin = nudge_dms(running_app, cast.alice, alice_tz)[-1]
    assert checkin.kinds == ("goal_checkin",)
    test_nudges.press(running_app, cast.alice, checkin.message, f"nudge_goal_on_track_{cast.goal}")

    # Tuesday, March 16: both "did you meet?" questions, circle and mentorship, in one DM.
    simulation.run_until(local_9(alice_tz, date(2027, 3, 16)))
    merged = nudge_dms(running_app, cast.alice, alice_tz)[-1]
    assert merged.kinds == ("did_you_meet", "did_you_meet") and merged.day == date(2027, 3, 16)
    assert "Owls" in text_of(merged.message) and f"<@{cast.maya.id}>" in text_of(merged.message)
    questions = {
        row.payload["relationship_id"]: row
        for row in rows_of(running_app, cast.alice)
        if row.kind == "did_you_meet" and row.ts == merged.message.ts
    }
    circle_row, mentorship_row = questions[cast.circle], questions[cast.mentorship]
    press_part(running_app, cast.alice, merged.message, f"did_you_meet@{circle_row.id}", "nudge_scheduled")
    after_one = current(running_app, cast.alice, merged.message)
    assert f"did_you_meet@{mentorship_row.id}" in block_ids(after_one), "the other question stays"
    assert f"did_you_meet@{circle_row.id}" not in block_ids(after_one)
    assert 'You answered "Scheduled"' in text_of(after_one)
    press_part(running_app, cast.alice, merged.message, f"did_you_meet@{mentorship_row.id}", "nudge_not_yet")
    answers = {r.id: r.response for r in rows_of(running_app, cast.alice)}
    assert (answers[circle_row.id], answers[mentorship_row.id]) == ("scheduled", "not_yet")

    simulation.run_until(END)
    simulation.tick()
    simulation.tick()

    alice = nudge_dms(running_app, cast.alice, alice_tz)
    assert [(dm.day.isoformat(), dm.kinds) for dm in alice] == [
        ("2027-03-05", ("meeting_reminder",)),
        ("2027-03-09", ("did_you_meet",)),
        ("2027-03-12", ("meeting_reminder", "meeting_reminder")),
        ("2027-03-15", ("goal_checkin",)),
        ("2027-03-16", ("did_you_meet", "did_you_meet")),
        ("2027-03-23", ("did_you_meet",)),
        # End-of-round feedback (round 3 ends March 31) is outside the budget.
        ("2027-03-25", ("round_feedback",)),
        ("2027-03-26", ("meeting_reminder", "meeting_reminder")),
    ]
    for user, name in ((cast.alice, "alice"), (cast.bob, "bob"), (cast.maya, "maya")):
        weeks = budgeted_per_week(nudge_dms(running_app, user, ZONES[name]))
        assert weeks and max(weeks.values()) <= 2, (name, weeks)

    # Week 3 had four days with something for Alice: the two days of questions won; Wednesday's note
    # about the stalled mentorship and Friday's reminder were dropped, each recorded with its reason.
    dropped = [
        (row.kind, row.due_at.astimezone(ZoneInfo(alice_tz)).date().isoformat(), row.last_error)
        for row in rows_of(running_app, cast.alice)
        if row.status == "skipped"
    ]
    assert dropped == [("stalled", "2027-03-17", "budget"), ("meeting_reminder", "2027-03-19", "budget")]

    # Maya's week of March 22: Monday's mentee update lost to Tuesday's question and Friday's reminder,
    # though it came first: the more useful nudges win the budget.
    maya = nudge_dms(running_app, cast.maya, ZONES["maya"])
    week_4 = [(dm.day.isoformat(), dm.kinds) for dm in maya if dm.day >= date(2027, 3, 22)]
    assert week_4 == [
        ("2027-03-23", ("did_you_meet",)),
        ("2027-03-25", ("round_feedback",)),
        ("2027-03-26", ("meeting_reminder",)),
    ]
    maya_dropped = {(r.kind, r.last_error) for r in rows_of(running_app, cast.maya) if r.status == "skipped"}
    assert ("mentor_digest", "budget") in maya_dropped

    # Nothing lost: every nudge due by the end went out, in its day's DM, or was dropped with a reason.
    for user in (cast.alice, cast.bob, cast.maya):
        for row in rows_of(running_app, user):
            if row.due_at.replace(tzinfo=UTC) <= END:
                assert row.status == "sent" or (row.status == "skipped" and row.last_error), row.key
                if row.kind not in ("combined", *NOT_BUDGETED):
                    assert row.merged_into is not None or row.last_error == "budget", row.key

    # Planning again (the same instant, twice) adds nothing: one DM per person and day.
    before = len(rows_of(running_app, cast.alice))
    simulation.tick()
    assert len(rows_of(running_app, cast.alice)) == before
    keys = [r.key for r in rows_of(running_app, cast.alice) if r.kind == "combined"]
    assert len(keys) == len(set(keys)) and all(k.startswith(f"combined:{cast.alice.id}:") for k in keys)


def test_the_budget_is_a_program_setting_from_the_settings_modal(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    answer = edit_default_program(running_app, coordinator, {"weekly_nudge_budget": "0"})
    assert answer["response_action"] == "errors" and set(answer["errors"]) == {"weekly_nudge_budget"}
    answer = edit_default_program(running_app, coordinator, {"weekly_nudge_budget": "1"})
    assert not answer or answer.get("response_action") != "errors"
    with running_app.services.db.session() as session:
        stored = ProgramRepository(session, workspace_id(running_app)).default().settings
    assert ProgramSettings.from_json(stored).weekly_nudge_budget == 1

    cast = the_cast(running_app)
    clock.advance(datetime(2027, 3, 12, 20, tzinfo=UTC) - clock())
    Simulation(running_app, clock).run_until(datetime(2027, 3, 22, 6, tzinfo=UTC))
    week_3 = [dm for dm in nudge_dms(running_app, cast.alice, ZONES["alice"]) if dm.day >= date(2027, 3, 15)]
    assert [(dm.day.isoformat(), dm.kinds) for dm in week_3] == [("2027-03-15", ("goal_checkin",))]
    reasons = {
        (row.kind, row.last_error)
        for row in rows_of(running_app, cast.alice)
        if row.status == "skipped" and row.due_at.replace(tzinfo=UTC) >= datetime(2027, 3, 15, tzinfo=UTC)
    }
    assert reasons == {("did_you_meet", "budget"), ("stalled", "budget"), ("meeting_reminder", "budget")}
