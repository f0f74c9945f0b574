"""Exactly one of everything, whatever runs: ticks and clocks at once, a failing workspace, Slack timing out.

The auto-publishing program's round, its introductions, nudges and notices must come out the same when
three `tick --deliver` processes or two clocks run together as when one runs alone, on SQLite and on
PostgreSQL (the suite runs on both).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from bot.composition import build_services, effect_worker
from bot.domain.programs import ProgramSettings
from bot.effects.worker import EffectOptions
from bot.nudges.clock import deliverer_for, tick
from bot.nudges.delivery import DeliveryOptions
from bot.nudges.pacing import Pace
from bot.usecases.rounds import StaleDraft
from bot.usecases.unit_of_work import workspace_unit
from storage.models import Program, Relationship, RelationshipMember, Round
from storage.repositories import WorkspaceRepository
from tests.e2e import test_nudges
from tests.e2e.conftest import settle_effects
from tests.e2e.test_nudges import FAST, person, plant, row
from tests.e2e.test_program_schedules import MONTHLY_PEER, add_program, join_program

clock = test_nudges.clock

BIN = Path(sys.executable).parent
AUTO_CIRCLES = ProgramSettings(circle_size=3, min_size=3, max_size=4, round_months=1, auto_publish=True)


def auto_program(running_app, peers: int = 9) -> list:
    add_program(running_app, "Auto circles", AUTO_CIRCLES)
    users = [person(running_app, f"peer{i}", f"Peer {i}", "America/Chicago") for i in range(peers)]
    join_program(running_app, "Auto circles", [(u, MONTHLY_PEER) for u in users], "America/Chicago")
    return users


def published_rounds(running_app) -> int:
    with running_app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(Round).where(Round.status == "published")) or 0


def live_circles_per_member(running_app) -> Counter[int]:
    with running_app.services.db.session() as session:
        return Counter(
            session.scalars(
                select(RelationshipMember.member_id)
                .join(Relationship, Relationship.id == RelationshipMember.relationship_id)
                .where(Relationship.is_live)
            )
        )


def introductions_seen_by(running_app, users) -> Counter[str]:
    """How many circle introductions each user's group DMs hold."""
    seen: Counter[str] = Counter()
    for call in running_app.sandbox.calls("chat.postMessage"):
        if "Mentor Circle" not in str(call.args.get("text")) or call.status != 200:
            continue
        members = running_app.sandbox.state.directory.conversations[call.args["channel"]].members
        seen.update(u.id for u in users if u.id in members)
    return seen


def environment(running_app) -> dict[str, str]:
    settings = running_app.services.settings
    return {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "SLACK_BOT_TOKEN": settings.slack_bot_token or "",
        "SLACK_SIGNING_SECRET": settings.slack_signing_secret or "",
        "SLACK_API_URL": settings.slack_api_url,
        "DATABASE_URL": settings.database_url,
        "COORDINATOR_USER_IDS": ",".join(settings.coordinator_user_ids),
    }


def test_three_ticks_at_once_publish_one_round_and_introduce_everyone_once(running_app, clock) -> None:
    users = auto_program(running_app)
    command = [
        str(BIN / "mentor-circles"),
        "tick",
        "--at",
        clock().isoformat(),
        "--deliver",
        "--per-minute",
        "6000",
    ]
    ticks = [
        subprocess.Popen(
            command, env=environment(running_app), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outcomes = [process.communicate(timeout=120) for process in ticks]
    assert [process.returncode for process in ticks] == [0, 0, 0], [err for _, err in outcomes]
    settle_effects(running_app, 30)

    assert published_rounds(running_app) == 1
    assert set(live_circles_per_member(running_app).values()) == {1}, "each peer is in one live circle"
    assert introductions_seen_by(running_app, users) == Counter({u.id: 1 for u in users})


def test_racing_publishers_in_separate_processes_publish_once(running_app, clock) -> None:
    """Three publishers, each with its own engine (as separate processes have), released at one instant."""
    auto_program(running_app)
    settings = running_app.services.settings
    workspace_id = test_nudges.workspace_id(running_app)
    publishers = [build_services(settings, clock=clock) for _ in range(3)]
    start = threading.Barrier(len(publishers))
    published: list[list[int]] = []

    def publish(services) -> None:
        start.wait()
        published.append(services.rounds.publish_due(workspace_id, clock()))

    threads = [threading.Thread(target=publish, args=(services,)) for services in publishers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for services in publishers:
        services.db.dispose()
    assert sorted(len(ids) for ids in published) == [0, 0, 1]
    assert published_rounds(running_app) == 1
    assert set(live_circles_per_member(running_app).values()) == {1}


def test_two_clocks_publish_the_open_window_once(running_app) -> None:
    """Two `mentor-circles clock` processes on real time: both run every job at start."""
    users = auto_program(running_app)
    env = environment(running_app)
    clocks = [
        subprocess.Popen(
            [str(BIN / "mentor-circles"), "clock", "--interval-minutes", "0.05"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 60
        while published_rounds(running_app) == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(8)  # several more runs of every job, from both clocks
        assert all(process.poll() is None for process in clocks), [
            p.stderr.read() for p in clocks if p.stderr
        ]
    finally:
        for process in clocks:
            process.terminate()
            process.wait(timeout=20)
    assert published_rounds(running_app) == 1
    assert set(live_circles_per_member(running_app).values()) == {1}
    settle_effects(running_app, 30)
    assert introductions_seen_by(running_app, users) == Counter({u.id: 1 for u in users})


def test_a_coordinator_publishing_an_overtaken_preview_is_told_and_nothing_changes(
    running_app, coordinator
) -> None:
    add_program(running_app, "Reviewed circles", dataclasses.replace(AUTO_CIRCLES, auto_publish=False))
    users = [person(running_app, f"peer{i}", f"Peer {i}", "America/Chicago") for i in range(6)]
    join_program(running_app, "Reviewed circles", [(u, MONTHLY_PEER) for u in users], "America/Chicago")
    rounds = running_app.services.rounds
    workspace_id = test_nudges.workspace_id(running_app)
    with workspace_unit(running_app.services.db, workspace_id) as uow:
        program = uow.programs.named("Reviewed circles")
        assert program is not None
        first = rounds.preview(uow, "circles", 1, coordinator.id, program.id)
        second = rounds.preview(uow, "circles", 2, coordinator.id, program.id)
    with workspace_unit(running_app.services.db, workspace_id) as uow:
        assert rounds.publish(uow, second.round_id).newly_published
    with workspace_unit(running_app.services.db, workspace_id) as uow:
        overtaken = rounds.publish(uow, first.round_id)
    assert isinstance(overtaken, StaleDraft)
    assert "went out after this preview" in overtaken.message
    assert published_rounds(running_app) == 1
    assert set(live_circles_per_member(running_app).values()) == {1}


def test_one_failing_workspace_does_not_stop_the_others(running_app, clock) -> None:
    users = auto_program(running_app)
    with running_app.services.db.session() as session:
        broken = WorkspaceRepository(session).ensure("T0BROKEN")
        session.add(
            Program(workspace_id=broken.id, name="Broken", is_default=True, settings={"kind": "no such kind"})
        )
        broken_id = broken.id
    result = tick(running_app.services, deliver=True, options=FAST)
    assert broken_id in {workspace for _, workspace in result.failures}
    assert {workspace for _, workspace in result.failures} == {broken_id}
    settle_effects(running_app, 30)
    assert published_rounds(running_app) == 1, "the healthy workspace's round went out"
    assert introductions_seen_by(running_app, users) == Counter({u.id: 1 for u in users})

    command = [str(BIN / "mentor-circles"), "tick", "--at", clock().isoformat()]
    again = subprocess.run(command, env=environment(running_app), capture_output=True, text=True, timeout=120)
    assert again.returncode == 1
    assert f"failed for workspace {broken_id}" in again.stderr


def test_an_introduction_whose_post_timed_out_after_delivery_is_not_sent_again(running_app, clock) -> None:
    users = auto_program(running_app)
    running_app.effects.stop()
    running_app.sandbox.web.timeout_delay = 2.0
    running_app.sandbox.inject("chat.postMessage", "timeout", times=1)
    workspace_id = test_nudges.workspace_id(running_app)
    assert running_app.services.rounds.publish_due(workspace_id, clock())
    worker = effect_worker(running_app.services, EffectOptions(http_timeout=1, doubt_wait=3.0))
    worker.drain(timeout=60)

    assert introductions_seen_by(running_app, users) == Counter({u.id: 1 for u in users}), (
        "the timed-out post reached the group once; the other two groups were introduced too"
    )
    with running_app.services.db.session() as session:
        recorded = session.scalars(select(Relationship.intro_ts).where(Relationship.is_live)).all()
    assert len(recorded) == 3 and all(recorded)
    assert running_app.sandbox.calls("conversations.history"), "the doubtful post was looked up, not resent"
    assert worker.stats.failed == 0


def test_a_nudge_whose_post_timed_out_after_delivery_is_not_sent_again(running_app, clock) -> None:
    user = person(running_app, "ana", "Ana", "America/Chicago")
    plant(running_app, "paused_notice", user, "paused_notice:ana:1", {"unanswered": 3})
    running_app.sandbox.web.timeout_delay = 2.0
    running_app.sandbox.inject("chat.postMessage", "timeout", times=1)
    options = DeliveryOptions(pace=Pace(per_minute=60_000), http_timeout=1, doubt_wait=3.0)
    stats = deliverer_for(running_app.services, options).deliver_due(timeout=60)

    posts = [c for c in running_app.sandbox.calls("chat.postMessage") if c.args.get("channel") == user.id]
    assert len(test_nudges.dms(running_app, user)) == 1 and len(posts) == 1
    assert stats.reconciled == 1 and stats.sent == 1 and stats.dead == 0
    assert row(running_app, "paused_notice:ana:1").status == "sent"
