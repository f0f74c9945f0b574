"""The running app behind a real HTTP server on loopback, talking to the sandbox Slack."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from slack_bolt import App

from bot.composition import build_services, build_web_application
from bot.config import Settings
from bot.sandbox import Sandbox, User, UserSession, Workspace, default_spec_path
from bot.server import make_http_server, start_in_thread
from bot.services import Services
from storage.db import Database


@dataclass
class RunningApp:
    url: str
    app: App
    services: Services
    sandbox: Sandbox
    workspace: Workspace

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"

    def session(self, user: User, workspace: Workspace | None = None) -> UserSession:
        team = workspace or self.workspace
        return self.sandbox.as_user(team.team_id, user.id, self.sandbox.http_transport(self.events_url))


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    spec = default_spec_path()
    assert spec is not None, "the Slack Web API spec from ../shared/slack-specs is needed by the tests"
    with Sandbox(spec_path=spec) as running:
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
    sandbox: Sandbox, workspace: Workspace, coordinator: User, db: Database
) -> Iterator[RunningApp]:
    settings = app_settings(sandbox, workspace, db, coordinator_user_ids=(coordinator.id,))
    services = build_services(settings, db=db)
    app, web = build_web_application(settings, services)
    server = make_http_server(web)
    start_in_thread(server)
    try:
        yield RunningApp(f"http://127.0.0.1:{server.server_port}", app, services, sandbox, workspace)
    finally:
        server.shutdown()
        server.server_close()


def wait_for_modal(session: UserSession, callback_id: str, timeout: float = 5.0) -> None:
    """Modals open after the ack (views.open is a separate Web API call), so wait for it to arrive."""
    state, team, user = session.state, session.workspace.team_id, session.user.id

    def opened() -> bool:
        stack = state.views.modal_stack(team, user)
        return bool(stack) and stack[-1].payload.get("callback_id") == callback_id

    assert state.feed.wait_until(opened, timeout), f"modal {callback_id!r} did not open"
