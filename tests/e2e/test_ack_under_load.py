"""Every command is acked in time under Slack's real rate limits, and a stuck database gets a kind reply.

The sandbox enforces Slack's limits here (Tier 3/4 per workspace, one post a second per channel, 429 with
Retry-After), as a real workspace would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select, text

from bot.sandbox import User
from handlers.routing import DATABASE_BUSY
from storage.models import AuditEntry, Goal, Member
from tests.e2e.conftest import RunningApp
from tests.e2e.members import PEER, join, member_row

pytestmark = pytest.mark.timing

MIX = (
    "help",
    "ask how often should we meet",
    "goal add Present a poster at the spring meeting",
    "goal done 1",
    "goals",
    "profile",
    "met",
    "pause",
    "resume",
)
ACK_LIMIT = 3.0


def answer(sent) -> str:  # type: ignore[no-untyped-def]
    """The reply, whether it came in the ack or through response_url."""
    if isinstance(sent.body, dict) and sent.body.get("text"):
        return str(sent.body["text"])
    responses = sent.wait_for_response(1, timeout=10)
    assert responses, "the command was answered"
    return str(responses[0]["text"])


def test_sixty_four_members_at_once_are_all_acked_in_time(running_app: RunningApp) -> None:
    """Slack times the ack (3 s); the answer may follow on response_url, so it is waited for, not timed."""
    assert running_app.sandbox.rate_limits.enabled, "Slack's limits stay on for this test"
    members = [
        running_app.sandbox.add_user(running_app.workspace.team_id, f"resident{i}", f"Resident {i}")
        for i in range(64)
    ]
    for user in members:
        join(running_app, user, PEER)

    def member_sends_the_mix(user: User) -> list[tuple[str, int, float]]:
        session = running_app.session(user)
        results = []
        for command in MIX:
            started = time.monotonic()
            sent = session.slash_command("/mentor", command, settle=0)
            acked_after = time.monotonic() - started
            answered = sent.status == 200 and sent.wait_until_answered(60)
            results.append((command, sent.status if answered else 0, acked_after))
        return results

    with ThreadPoolExecutor(64) as pool:
        rows = [row for rows in pool.map(member_sends_the_mix, members) for row in rows]

    assert len(rows) == 64 * len(MIX)
    late = [
        (command, status, round(seconds, 2))
        for command, status, seconds in rows
        if status != 200 or seconds >= ACK_LIMIT
    ]
    assert late == [], f"{len(late)} commands not acked within 3 s or never answered"
    with running_app.services.db.session() as session:
        stored = session.scalar(
            select(func.count())
            .select_from(Goal)
            .where(Goal.text == "Present a poster at the spring meeting")
        )
    assert stored == 64, "every goal a member typed was stored"
    publishes = running_app.sandbox.calls("views.publish")
    assert publishes, "App Homes are being refreshed"
    assert not [call for call in publishes if call.response.get("error") == "ratelimited"], (
        "effect workers pace App Home refreshes inside Slack's Tier 4"
    )


@contextmanager
def database_held(running_app: RunningApp, seconds: float) -> Iterator[None]:
    """Another process holding the tables a request needs, for `seconds`."""
    db = running_app.services.db
    ready, done = threading.Event(), threading.Event()

    def hold() -> None:
        with db.engine.connect() as connection:
            if db.is_sqlite:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.execute(text("LOCK TABLE members, audit_log IN ACCESS EXCLUSIVE MODE"))
            ready.set()
            done.wait(seconds)
            connection.rollback()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert ready.wait(5)
    try:
        yield
    finally:
        done.set()
        holder.join(timeout=seconds + 5)


def timed(running_app: RunningApp, user: User, command: str) -> tuple[str, float]:
    started = time.monotonic()
    reply = answer(running_app.session(user).slash_command("/mentor", command))
    return reply, time.monotonic() - started


def test_a_command_that_waits_on_the_database_is_acked_at_once_and_answered_after(
    running_app: RunningApp, alice: User
) -> None:
    join(running_app, alice, PEER)
    with database_held(running_app, 10):
        started = time.monotonic()
        sent = running_app.session(alice).slash_command("/mentor", "pause", settle=0)
        acked_after = time.monotonic() - started
        assert sent.status == 200 and not sent.body, "the ack carries no reply: the database is not asked yet"
        assert acked_after < 1.0, "acked before the database's 2 s timeout could run out"
        assert sent.reply()["text"] == DATABASE_BUSY


def test_pause_with_the_database_locked_gets_a_kind_reply_and_no_late_change(
    running_app: RunningApp, alice: User
) -> None:
    join(running_app, alice, PEER)
    running_app.session(alice).slash_command("/mentor", "profile").wait_for_response(1, 10)
    with database_held(running_app, 10):
        reply, seconds = timed(running_app, alice, "pause")
    assert seconds < ACK_LIMIT
    assert reply == DATABASE_BUSY
    time.sleep(1)
    assert member_row(running_app, alice).status == "active", "nothing was applied after the lock cleared"


def test_profile_with_the_database_locked_still_answers_in_time(running_app: RunningApp, alice: User) -> None:
    join(running_app, alice, PEER)
    with database_held(running_app, 10):
        reply, seconds = timed(running_app, alice, "profile")
    assert seconds < ACK_LIMIT
    assert reply == DATABASE_BUSY or "PGY-2" in reply


def test_an_admin_command_with_the_database_locked_changes_nothing(
    running_app: RunningApp, coordinator: User, alice: User
) -> None:
    join(running_app, alice, PEER)
    running_app.session(coordinator).slash_command("/mentor", "admin program list").wait_for_response(1, 10)
    with running_app.services.db.session() as session:
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
    with database_held(running_app, 10):
        reply, seconds = timed(running_app, coordinator, f"admin coordinators add <@{alice.id}|alice>")
    assert seconds < ACK_LIMIT
    assert reply == DATABASE_BUSY
    time.sleep(1)
    with running_app.services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audited
        assert session.scalar(select(Member.status).where(Member.slack_user_id == alice.id)) == "active"
    assert "alice" not in answer(
        running_app.session(coordinator).slash_command("/mentor", "admin coordinators list")
    )
