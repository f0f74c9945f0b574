"""The running app behind a real HTTP server on loopback, talking to the sandbox Slack."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import pytest

from bot.composition import build_services
from bot.config import Settings
from bot.sandbox import Sandbox, User, UserSession, Workspace, default_spec_path
from bot.sandbox.clock import SandboxClock
from bot.sandbox.running import RunningApp, serving
from storage.db import Database
from storage.effects import EffectQueue


@pytest.fixture
def clock() -> SandboxClock | None:
    """The time the sandbox Slack and the app share: real time here; a module that simulates days and
    weeks overrides it with a `SandboxClock` from its own start."""
    return None


def _on(clock: SandboxClock | None) -> dict[str, SandboxClock]:
    return {"clock": clock} if clock is not None else {}


@pytest.fixture
def sandbox(clock: SandboxClock | None) -> Iterator[Sandbox]:
    with Sandbox(spec_path=default_spec_path(), **_on(clock)) as running:
        yield running


@pytest.fixture
def workspace(sandbox: Sandbox) -> Workspace:
    return sandbox.add_workspace("T0HOSP1", name="General Hospital Residency")


@pytest.fixture
def alice(sandbox: Sandbox, workspace: Workspace) -> User:
    return sandbox.add_user(workspace.team_id, "alice", "Alice Adams", tz="America/Chicago")


@pytest.fixture
def coordinator(sandbox: Sandbox, workspace: Workspace) -> User:
    return sandbox.add_user(workspace.team_id, "carmen", "Carmen Cruz", tz="America/New_York")


def app_settings(sandbox: Sandbox, workspace: Workspace, db: Database, **overrides: object) -> Settings:
    settings = Settings(
        slack_bot_token=workspace.bot_token,
        slack_signing_secret=sandbox.signing_secret,
        slack_api_url=sandbox.api_url,
        database_url=db.url,
    )
    return dataclasses.replace(settings, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def running_app(
    sandbox: Sandbox, workspace: Workspace, coordinator: User, db: Database, clock: SandboxClock | None
) -> Iterator[RunningApp]:
    settings = app_settings(sandbox, workspace, db, coordinator_user_ids=(coordinator.id,))
    with serving(build_services(settings, db=db, **_on(clock)), sandbox, workspace) as running:
        yield running


def settle_effects(running_app: RunningApp, timeout: float = 15.0) -> None:
    """Wait until the effect workers have done everything queued (Home refreshes, introductions, files)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with running_app.services.db.session() as session:
            if not EffectQueue(session).waiting():
                return
        time.sleep(0.05)
    raise AssertionError("queued Slack effects were not done in time")


def wait_for_modal(session: UserSession, callback_id: str, timeout: float = 5.0) -> None:
    """Modals open after the ack (views.open is a separate Web API call), so wait for it to arrive."""
    state, team, user = session.state, session.workspace.team_id, session.user.id

    def opened() -> bool:
        stack = state.views.modal_stack(team, user)
        return bool(stack) and stack[-1].payload.get("callback_id") == callback_id

    assert state.feed.wait_until(opened, timeout), f"modal {callback_id!r} did not open"
