"""Everything the shell runs in one process: the database, the sandbox Slack and the real app on loopback."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from slack_bolt import App

from bot.composition import BackgroundEffects, build_services, build_web_application
from bot.config import Settings
from bot.sandbox import Sandbox, SandboxClock, User, UserSession, Workspace, default_spec_path
from bot.server import ThreadingWSGIServer, make_http_server, start_in_thread
from bot.services import Services
from bot.shell.people import PEOPLE
from bot.shell.people import populate as populate_workspace
from storage import migrate
from storage.db import Database


@dataclass
class ShellEnvironment:
    sandbox: Sandbox
    clock: SandboxClock
    workspace: Workspace
    users: list[User]
    settings: Settings
    services: Services
    app: App
    server: ThreadingWSGIServer

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/slack/events"

    def session(self, user_id: str) -> UserSession:
        """A sandbox user whose actions reach the app as signed HTTP requests."""
        transport = self.sandbox.http_transport(self.events_url)
        return self.sandbox.as_user(self.workspace.team_id, user_id, transport)


def app_settings(settings: Settings, sandbox: Sandbox, workspace: Workspace) -> Settings:
    """The given settings, pointed at the sandbox: its bot token, signing secret and Web API."""
    coordinators = tuple(p.user_id for p in PEOPLE if p.coordinator)
    return dataclasses.replace(
        settings,
        slack_bot_token=workspace.bot_token,
        slack_signing_secret=sandbox.signing_secret,
        slack_app_token=None,
        slack_client_id=None,
        slack_client_secret=None,
        slack_api_url=sandbox.api_url,
        coordinator_user_ids=tuple(dict.fromkeys(coordinators + settings.coordinator_user_ids)),
    )


@contextmanager
def shell_environment(settings: Settings) -> Iterator[ShellEnvironment]:
    """Migrate the database, start the sandbox and serve the app; stop them all afterwards."""
    db = Database(settings.database_url)
    clock = SandboxClock()
    try:
        migrate.upgrade(db)
        with Sandbox(spec_path=default_spec_path(), clock=clock) as sandbox:
            workspace, users = populate_workspace(sandbox)
            derived = app_settings(settings, sandbox, workspace)
            services = build_services(derived, clock=clock, db=db)
            app, web = build_web_application(derived, services)
            server = make_http_server(web, "127.0.0.1", 0)
            start_in_thread(server)
            effects = BackgroundEffects.start(services)
            try:
                yield ShellEnvironment(sandbox, clock, workspace, users, derived, services, app, server)
            finally:
                effects.stop()
                server.shutdown()
                server.server_close()
    finally:
        db.dispose()
