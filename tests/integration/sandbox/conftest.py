"""Fixtures: a started sandbox with one workspace and two people, and a Bolt app served over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.sandbox import Sandbox, SandboxClock, User, Workspace, default_spec_path


@pytest.fixture
def clock() -> SandboxClock:
    from datetime import UTC, datetime

    return SandboxClock(datetime(2025, 1, 15, 14, 0, tzinfo=UTC))


@pytest.fixture
def sandbox(clock: SandboxClock) -> Iterator[Sandbox]:
    with Sandbox(spec_path=default_spec_path(), clock=clock) as running:
        yield running


@pytest.fixture
def workspace(sandbox: Sandbox) -> Workspace:
    return sandbox.add_workspace("T0MERCY01", "Mercy Residency")


@pytest.fixture
def alice(sandbox: Sandbox, workspace: Workspace) -> User:
    return sandbox.add_user(workspace.team_id, "alice", "Alice Adeyemi", tz="America/Chicago")


@pytest.fixture
def bob(sandbox: Sandbox, workspace: Workspace) -> User:
    return sandbox.add_user(workspace.team_id, "bob", "Bob Brennan", tz="Europe/London", is_admin=True)


@pytest.fixture
def bot(sandbox: Sandbox, workspace: Workspace) -> WebClient:
    return WebClient(token=workspace.bot_token, base_url=sandbox.api_url)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@dataclass
class ServedApp:
    app: App
    url: str


@pytest.fixture
def serve_bolt() -> Iterator[Callable[[App], ServedApp]]:
    """Serve Bolt apps over HTTP on 127.0.0.1 (port 0) with Bolt's own WSGI adapter."""
    servers: list[WSGIServer] = []

    def serve(app: App) -> ServedApp:
        server = make_server(
            "127.0.0.1",
            0,
            SlackRequestHandler(app),
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler,
        )
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return ServedApp(app, f"http://127.0.0.1:{server.server_port}/slack/events")

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def bolt_app(sandbox: Sandbox, workspace: Workspace) -> App:
    """A real Bolt app pointed at the sandbox; tests add their own listeners."""
    client = WebClient(token=workspace.bot_token, base_url=sandbox.api_url)
    return App(client=client, signing_secret=sandbox.signing_secret)
