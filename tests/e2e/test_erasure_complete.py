"""Delete-my-data leaves nothing behind: no table, no raw SQLite file and no later message holds the member's
words or Slack id, and three weeks of ticks afterwards send nothing to or about them."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.presentation.faq import PASSED_ON
from bot.sandbox import SandboxClock
from storage.models import Base, FaqMiss, OutboxNudge
from tests.e2e import test_nudges
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import MENTOR, PEER
from tests.e2e.test_my_data import wait_response
from tests.e2e.test_nudges import START, Simulation, add_goal, enrol, group, person

GOAL = "Publish the zebrafish arrhythmia case series"
SECOND_GOAL = "Shadow the quetzal transplant clinic"
QUESTION = "can a mentor help with my okapi fellowship essay"
STEP = timedelta(hours=3)


clock = test_nudges.clock
"""The simulated-clock app of the nudge tests, starting on their Monday."""


def tick_until(simulation: Simulation, clock: SandboxClock, end: datetime) -> None:
    while clock() < end:
        clock.advance(STEP)
        simulation.tick()


def all_rows(running_app: RunningApp) -> str:
    with running_app.services.db.engine.connect() as connection:
        return json.dumps(
            {
                table.name: [list(row) for row in connection.execute(table.select())]
                for table in Base.metadata.sorted_tables
            },
            default=str,
            ensure_ascii=False,
        )


def database_files(running_app: RunningApp) -> list[Path]:
    path = Path(running_app.services.db.engine.url.database or "")
    return [p for p in (path, path.with_name(path.name + "-wal")) if p.exists()]


def raw_bytes(paths: list[Path]) -> bytes:
    """The files' bytes, read by a child process.

    Opening and closing a database file in this process would drop every POSIX lock SQLite holds on it
    here (locks belong to the process, and any close releases them); another process could then take the
    database for its own, delete the WAL under this process's open connections, and break them."""
    reader = "import sys; [sys.stdout.buffer.write(open(p, 'rb').read()) for p in sys.argv[1:]]"
    return subprocess.run(
        [sys.executable, "-c", reader, *map(str, paths)], capture_output=True, check=True
    ).stdout


def test_erasure_removes_every_trace_and_nothing_is_sent_to_or_about_them_afterwards(
    running_app: RunningApp, clock: SandboxClock
) -> None:
    alice, bob, cara = (
        person(running_app, n, n.title(), "America/Chicago") for n in ("alice", "bob", "cara")
    )
    maya = person(running_app, "maya", "Maya", "America/New_York")
    for user, profile in ((alice, PEER), (bob, PEER), (cara, PEER), (maya, MENTOR)):
        enrol(running_app, user, dataclasses.replace(profile, frequency="weekly"), profile.tz, START)
    group(running_app, "circle", [(alice, "peer"), (bob, "peer"), (cara, "peer")], START, "Night owls")
    group(running_app, "mentorship", [(alice, "mentee"), (maya, "mentor")], START)
    add_goal(running_app, alice, GOAL, START)
    add_goal(running_app, alice, SECOND_GOAL, START)
    session = running_app.session(alice)
    session.slash_command("/mentor", f"ask {QUESTION}")
    if any(i.blocks and "faq_pass_on" in json.dumps(i.blocks) for i in session._surfaces()):
        assert wait_response(session.click("faq_pass_on"))["text"] == PASSED_ON

    simulation = Simulation(running_app, clock)
    tick_until(simulation, clock, START + timedelta(days=10))
    with running_app.services.db.session() as db_session:
        queued = json.dumps([row.payload for row in db_session.scalars(select(OutboxNudge))], default=str)
    assert alice.id in queued and GOAL in queued, "nudges to and about Alice are planned and sent"

    prompt = running_app.session(alice)
    prompt.slash_command("/mentor", "delete-my-data")
    assert "your data is deleted" in wait_response(prompt.click("my_data_delete"))["text"]
    settle_effects(running_app)
    calls_at_erasure = len(running_app.sandbox.calls())

    traces = (GOAL, SECOND_GOAL, alice.id, "zebrafish", "quetzal", "okapi")
    stored = all_rows(running_app)
    assert [t for t in traces if t in stored] == [], "no table keeps her words or Slack id"
    with running_app.services.db.session() as db_session:
        assert db_session.scalars(select(FaqMiss.question).where(FaqMiss.question.is_not(None))).all() == []
    if running_app.services.db.is_sqlite:
        raw = raw_bytes(database_files(running_app))
        assert raw, "the SQLite file was read"
        found = [t for t in traces if t.encode() in raw]
        assert found == [], f"deleted text still readable in the database files: {found}"

    tick_until(simulation, clock, clock() + timedelta(weeks=3))
    settle_effects(running_app)
    later = running_app.sandbox.calls()[calls_at_erasure:]
    alice_dm = running_app.session(alice).dm().id
    leaks = [
        call.method
        for call in later
        if any(t in json.dumps(call.args, default=str) for t in (*traces, alice_dm))
    ]
    assert leaks == [], "nothing is sent to or about her after the erasure"
    others = {id_ for user in (bob, cara, maya) for id_ in (user.id, running_app.session(user).dm().id)}
    posted_to = {call.args.get("channel") for call in later if call.method == "chat.postMessage"}
    assert posted_to & others, "the others are still nudged, so the silence about her means something"
