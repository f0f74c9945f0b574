"""Crashes, doubles and storms, with the real `mentor-circles` processes against the sandbox Slack.

The sandbox runs in this test process; `deliver`, `tick` and `clock` run as child processes pointed at
it with `SLACK_API_URL`, sharing the test database (SQLite, or PostgreSQL with TEST_DATABASE_URL).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.domain.nudges.budget import BUDGETED, combined_key
from bot.domain.nudges.model import PlannedNudge
from bot.domain.nudges.policy import plan_nudges
from bot.domain.nudges.timing import local_date
from bot.nudges.clock import JOBS_TABLE, RETENTION_JOB_ID
from bot.nudges.jobs import JOBS
from bot.nudges.planner import Planner
from bot.sandbox import Sandbox, Workspace, default_spec_path
from storage.db import Database
from storage.models import Goal, GoalCheckin, OutboxNudge
from storage.outbox import Outbox
from storage.repositories import MemberRepository, WorkspaceRepository

BIN = Path(sys.executable).parent / "mentor-circles"
ZONES = (
    "America/Los_Angeles",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)


@pytest.fixture
def slack() -> Iterator[Sandbox]:
    with Sandbox(spec_path=default_spec_path()) as sandbox:
        yield sandbox


def environment(slack: Sandbox, space: Workspace, db: Database) -> dict[str, str]:
    return {
        "PATH": f"{BIN.parent}:/usr/bin:/bin",
        "SLACK_BOT_TOKEN": space.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": db.url,
        "LOG_LEVEL": "WARNING",
    }


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def delivered_keys(slack: Sandbox, team_id: str) -> Counter[str]:
    return Counter(
        call.args["metadata"]["event_payload"]["key"]
        for call in slack.calls("chat.postMessage", team_id)
        if call.status == 200 and call.response.get("ok")
    )


def statuses(db: Database) -> Counter[str]:
    with db.session() as session:
        return Counter(session.scalars(select(OutboxNudge.status)))


def due_fanout(db: Database, slack: Sandbox, users: int) -> tuple[Workspace, set[str]]:
    """A workspace where `users` members each have one goal check-in due a minute ago."""
    space = slack.add_workspace("T0FANOUT", name="Fan-out Residency")
    user_ids = [slack.add_user(space.team_id, f"resident{i}").id for i in range(users)]
    due = datetime.now(UTC) - timedelta(minutes=1)
    goals = {"goals": [{"id": 1, "number": 1, "text": "Finish the research rotation write-up"}]}
    planned = [PlannedNudge("goal_checkin", f"goal_checkin:{u}:fanout", u, due, goals) for u in user_ids]
    with db.session() as session:
        workspace = WorkspaceRepository(session).ensure(space.team_id)
        Outbox(session).add(workspace.id, planned, due)
    return space, {nudge.key for nudge in planned}


def test_a_killed_delivery_worker_loses_nothing_and_sends_at_most_one_twice(
    db: Database, slack: Sandbox
) -> None:
    space, keys = due_fanout(db, slack, 300)
    env = environment(slack, space, db)
    options = ["--workers", "1", "--per-minute", "6000", "--reclaim-after", "1"]
    first = start(["deliver", *options], env)
    try:
        wait_for(
            lambda: sum(delivered_keys(slack, space.team_id).values()) >= 100, 30, "a third of the fan-out"
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=5)
    finally:
        stop(first)
    at_kill = sum(delivered_keys(slack, space.team_id).values())
    assert at_kill < len(keys), "the worker was killed mid fan-out"
    second = start(["deliver", *options], env)
    try:
        wait_for(lambda: statuses(db) == {"sent": len(keys)}, 40, "every nudge recorded as sent")
    finally:
        stop(second)
    sent = delivered_keys(slack, space.team_id)
    duplicates = sum(count - 1 for count in sent.values())
    assert set(sent) == keys, "nothing lost"
    assert duplicates <= 1, f"only the post in flight at the kill may go twice ({duplicates} did)"


def test_a_429_and_5xx_storm_slows_delivery_down_and_loses_nothing(db: Database, slack: Sandbox) -> None:
    space, keys = due_fanout(db, slack, 20)
    for _ in range(3):
        slack.inject("chat.postMessage", "ratelimited", times=1, retry_after=1)
        slack.inject("chat.postMessage", 503, times=2)
    started = time.monotonic()
    at = datetime.now(UTC).isoformat()
    result = subprocess.run(
        [str(BIN), "tick", "--at", at, "--deliver", "--per-minute", "6000"],
        env=environment(slack, space, db),
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "rate-limited 3, retried 6" in result.stdout and "dead 0" in result.stdout
    assert set(delivered_keys(slack, space.team_id)) == keys and statuses(db) == {"sent": 20}
    assert elapsed >= 3.0, "each 429's Retry-After (1 s) held the whole workspace"
    calls = slack.calls("chat.postMessage", space.team_id)
    for limited, following in zip(calls, calls[1:], strict=False):
        if limited.status == 429:
            assert (following.at - limited.at).total_seconds() >= 0.9


# -- planning: killed, doubled ---------------------------------------------------------------------

PLAN_AT = datetime(2027, 3, 2, 3, 0, tzinfo=UTC)
"""A Tuesday: every member's local weekday is Monday evening or Tuesday, so check-ins fall inside the horizon."""


def many_mentees(db: Database, workspaces: int, per_workspace: int) -> None:
    """Mentees in eleven time zones with one open goal each, joined so a check-in falls due around PLAN_AT."""
    joined = PLAN_AT - timedelta(days=30)
    with db.session() as session:
        for w in range(workspaces):
            workspace = WorkspaceRepository(session).ensure(f"T0PLAN{w:02d}")
            members = MemberRepository(session, workspace.id)
            for i in range(per_workspace):
                member = members.ensure(f"U{w:02d}{i:05d}", tz=ZONES[i % len(ZONES)])
                member.roles, member.frequency, member.joined_at = ["mentee"], "monthly", joined
            session.flush()
            for member in members.all():
                goal = Goal(workspace_id=workspace.id, member_id=member.id, number=1, text="Present at M&M")
                goal.checkins.append(GoalCheckin(kind="created", created_at=joined))
                session.add(goal)


def expected_keys(db: Database) -> set[str]:
    """Every planned nudge's key, and for member nudges their member's one DM of that day (each mentee
    has one nudge due, well within the message budget)."""
    planner = Planner(db)
    keys: set[str] = set()
    with db.session() as session:
        workspace_ids = list(session.scalars(text("SELECT id FROM workspaces")))
        for workspace_id in workspace_ids:
            snapshot = planner.snapshot(session, workspace_id, PLAN_AT)
            zones = {member.user_id: member.tz for member in snapshot.members}
            for nudge in plan_nudges(snapshot, PLAN_AT):
                keys.add(nudge.key)
                if nudge.kind in BUDGETED:
                    keys.add(combined_key(nudge.user_id, local_date(nudge.due_at, zones[nudge.user_id])))
    return keys


def stored_keys(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(OutboxNudge.key)))


def plain_env(db: Database) -> dict[str, str]:
    return {"PATH": f"{BIN.parent}:/usr/bin:/bin", "DATABASE_URL": db.url, "LOG_LEVEL": "WARNING"}


def test_a_clock_killed_mid_plan_and_restarted_plans_everything_once(db: Database) -> None:
    many_mentees(db, workspaces=12, per_workspace=250)
    expected = expected_keys(db)
    assert len(expected) >= 2000
    env = plain_env(db)
    tick = start(["tick", "--at", PLAN_AT.isoformat()], env)
    try:
        wait_for(lambda: len(stored_keys(db)) > 0, 30, "the first workspace's plan")
        tick.send_signal(signal.SIGKILL)
        tick.wait(timeout=5)
    finally:
        stop(tick)
    assert 0 < len(stored_keys(db)) < len(expected), "the tick was killed mid-plan"
    again = subprocess.run(
        [str(BIN), "tick", "--at", PLAN_AT.isoformat()], env=env, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr
    keys = stored_keys(db)
    assert len(keys) == len(set(keys)) and set(keys) == expected


def test_two_ticks_at_once_plan_each_nudge_exactly_once(db: Database) -> None:
    many_mentees(db, workspaces=4, per_workspace=150)
    expected = expected_keys(db)
    env = plain_env(db)
    ticks = [start(["tick", "--at", PLAN_AT.isoformat()], env) for _ in range(2)]
    outputs = [process.communicate(timeout=60) for process in ticks]
    assert [process.returncode for process in ticks] == [0, 0], [err for _, err in outputs]
    inserted = [int(out.split(": ")[1].split(" ")[0]) for out, _ in outputs]
    assert sum(inserted) == len(expected), "between them, the two ticks inserted each nudge once"
    keys = stored_keys(db)
    assert len(keys) == len(set(keys)) and set(keys) == expected


def test_two_clocks_share_one_set_of_scheduled_jobs(database_factory) -> None:  # type: ignore[no-untyped-def]
    """The clock's jobs live in the database under fixed ids: a second clock replaces them, never adds more."""
    own = Database(database_factory.create("clock"))
    try:
        from storage import migrate

        migrate.upgrade(own)
        env = plain_env(own)
        clocks = [start(["clock", "--interval-minutes", "5"], env) for _ in range(2)]
        try:
            expected = sorted([*(job.id for job in JOBS), RETENTION_JOB_ID])

            def one_job() -> bool:
                with own.engine.connect() as connection:
                    try:
                        ids = list(connection.scalars(text(f"SELECT id FROM {JOBS_TABLE}")))
                    except Exception:  # noqa: BLE001 - the table appears when the first clock starts
                        return False
                return sorted(ids) == expected

            wait_for(one_job, 30, "the scheduled jobs")
            time.sleep(1.0)
            assert one_job()
            dead = [clock.communicate()[1] for clock in clocks if clock.poll() is not None]
            assert not dead, dead
        finally:
            for clock in clocks:
                stop(clock)
        with own.session() as session:
            count = session.scalar(select(func.count()).select_from(OutboxNudge))
        assert count == 0, "an empty program plans nothing"
    finally:
        own.dispose()


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_terminating_a_worker_is_a_clean_stop(db: Database, slack: Sandbox) -> None:
    space, keys = due_fanout(db, slack, 30)
    worker = start(["deliver", "--per-minute", "600"], environment(slack, space, db))
    wait_for(lambda: sum(delivered_keys(slack, space.team_id).values()) >= 5, 30, "the first posts")
    worker.terminate()
    assert worker.wait(timeout=10) == 0
    left = statuses(db)
    assert left["sending"] == 0 and left["sent"] + left["pending"] == len(keys)


def test_the_shell_advances_its_clock_and_ticks(tmp_path: Path) -> None:
    from io import StringIO

    from bot.config import Settings
    from bot.shell import run_shell

    out = StringIO()
    script = ":advance 1d6h\n:advance soon\n:quit\n"
    code = run_shell(
        Settings(database_url=f"sqlite:///{tmp_path / 'shell.db'}"), stdin=StringIO(script), stdout=out
    )
    output = out.getvalue()
    assert code == 0
    assert "It is now " in output and "0 nudges went out on the way." in output
    assert "Usage: :advance DURATION" in output
