"""The app behind a real HTTP server on loopback with its effect workers, talking to a sandbox Slack.

Shared by the end-to-end tests and the benchmarks that drive the whole app (`bench.simulation`). Kept out
of `bot.sandbox`'s package imports: it needs the composition root, which the sandbox itself does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from slack_bolt import App

from bot.composition import BackgroundEffects, build_web_application
from bot.effects.worker import EffectOptions
from bot.sandbox.client import UserSession
from bot.sandbox.models import User, Workspace
from bot.sandbox.sandbox import Sandbox
from bot.server import make_http_server, start_in_thread
from bot.services import Services


@dataclass
class RunningApp:
    url: str
    app: App
    services: Services
    sandbox: Sandbox
    workspace: Workspace
    effects: BackgroundEffects | None = None
    """The serving process's effect workers (a test may stop them to work the queue itself)."""

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"

    def session(self, user: User, workspace: Workspace | None = None) -> UserSession:
        team = workspace or self.workspace
        return self.sandbox.as_user(team.team_id, user.id, self.sandbox.http_transport(self.events_url))


@contextmanager
def serving(
    services: Services, sandbox: Sandbox, workspace: Workspace, effect_options: EffectOptions | None = None
) -> Iterator[RunningApp]:
    """The app over HTTP on loopback with its effect workers, as `mentor-circles serve` runs it (their
    pacing `effect_options` when given)."""
    app, web = build_web_application(services.settings, services)
    server = make_http_server(web)
    start_in_thread(server)
    effects = BackgroundEffects.start(services, options=effect_options)
    try:
        yield RunningApp(f"http://127.0.0.1:{server.server_port}", app, services, sandbox, workspace, effects)
    finally:
        effects.stop()
        server.shutdown()
        server.server_close()
