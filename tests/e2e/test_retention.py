"""`DATA_RETENTION_DAYS`: the clock clears old words (passed-on questions, sent nudges' contents, audit
details) and expired OAuth states, keeps the counts, and `/mentor privacy` says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from bot.composition import build_services
from bot.nudges.clock import tick
from bot.sandbox import Sandbox, SandboxClock, User, Workspace
from storage.db import Database
from storage.faq import FaqRepository
from storage.installations import oauth_states_table
from storage.models import AuditEntry, CoordinatorNotice, FaqMiss, OutboxNudge
from storage.notices import NoticeRepository
from storage.repositories import WorkspaceRepository
from tests.e2e.conftest import RunningApp, app_settings, serving
from tests.e2e.test_help_over_http import block_text

START = datetime(2027, 1, 4, 12, tzinfo=UTC)
RETENTION_DAYS = 30


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(START)


@pytest.fixture
def running_app(
    sandbox: Sandbox, workspace: Workspace, coordinator: User, db: Database, clock: SandboxClock
) -> Iterator[RunningApp]:
    settings = app_settings(
        sandbox, workspace, db, coordinator_user_ids=(coordinator.id,), data_retention_days=RETENTION_DAYS
    )
    with serving(build_services(settings, db=db, clock=clock), sandbox, workspace) as running:
        yield running


def seed(running_app: RunningApp, written_at: datetime, alice: User) -> None:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        faq = FaqRepository(session, space.id)
        miss = faq.record_miss("declined")
        faq.pass_on(miss, "how do I ask for a lighter call schedule", None)
        session.add(
            OutboxNudge(
                workspace_id=space.id,
                kind="goal_checkin",
                key=f"goal_checkin:{alice.id}:old",
                user_id=alice.id,
                due_at=written_at,
                payload={"goals": [{"id": 1, "number": 1, "text": "Finish the sepsis QI poster"}]},
                status="sent",
                sent_at=written_at,
                response="on-track",
            )
        )
        session.add(
            AuditEntry(
                workspace_id=space.id,
                actor=alice.id,
                action="admin program rename",
                target="Night float peers",
                outcome="ok",
            )
        )
        session.flush()
        for model in (FaqMiss, OutboxNudge, AuditEntry):
            for row in session.scalars(select(model)):
                row.created_at = written_at
        session.execute(
            insert(oauth_states_table).values(state="stale", expire_at=(written_at).replace(tzinfo=None))
        )


def stored(running_app: RunningApp) -> tuple:
    with running_app.services.db.session() as session:
        return (
            session.scalars(select(FaqMiss.question)).all(),
            [
                row.payload
                for row in session.scalars(select(OutboxNudge).where(OutboxNudge.kind == "goal_checkin"))
            ],
            [
                row.response
                for row in session.scalars(select(OutboxNudge).where(OutboxNudge.kind == "goal_checkin"))
            ],
            session.scalars(select(AuditEntry.target)).all(),
            session.scalars(select(AuditEntry.action)).all(),
            session.execute(select(oauth_states_table.c.state)).scalars().all(),
        )


def test_old_words_are_cleared_and_counts_kept(
    running_app: RunningApp, clock: SandboxClock, alice: User
) -> None:
    seed(running_app, START, alice)
    clock.advance(timedelta(days=RETENTION_DAYS - 1))
    tick(running_app.services)
    questions, payloads, _, targets, _, states = stored(running_app)
    assert questions == ["how do I ask for a lighter call schedule"], "kept inside the retention period"
    assert payloads[0]["goals"] and targets == ["Night float peers"]
    assert states == [], "an expired OAuth state is pruned at once"

    clock.advance(timedelta(days=2))
    tick(running_app.services)
    questions, payloads, responses, targets, actions, _ = stored(running_app)
    assert questions == [None] and payloads == [{}] and targets == [""]
    assert responses == ["on-track"] and actions == ["admin program rename"], "the counts stay"


def test_notices_already_told_are_forgotten_after_the_retention_period(
    running_app: RunningApp, clock: SandboxClock, alice: User
) -> None:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        notices = NoticeRepository(session, space.id)
        notices.add("round_due", "round_due:1:old", {"program": "Old"}, [alice.id], START)
        notices.add("round_due", "round_due:1:waiting", {"program": "Waiting"}, [alice.id], START)
        told = [n.id for n in notices.waiting()[alice.id] if n.key == "round_due:1:old"]
        notices.carried_by(alice.id, told, f"coordinator_notices:{alice.id}:old")
    clock.advance(timedelta(days=RETENTION_DAYS + 1))
    running_app.services.retention.prune(clock())
    with running_app.services.db.session() as session:
        assert session.scalars(select(CoordinatorNotice.key)).all() == ["round_due:1:waiting"], (
            "a notice not yet told is kept until it is"
        )


def test_privacy_page_states_the_retention_period(running_app: RunningApp, alice: User) -> None:
    shown = running_app.session(alice).slash_command("/mentor", "privacy").reply()
    text = block_text(shown["blocks"])
    assert f"cleared after {RETENTION_DAYS} days" in text
    assert "only if you press *Pass it on anonymously*" in text
