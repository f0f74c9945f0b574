"""Everything the shell runs in one process: the database, the sandbox Slack and the real app on loopback."""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from slack_bolt import App
from sqlalchemy import func, select

from bot.composition import BackgroundEffects, build_services, build_web_application
from bot.config import Settings
from bot.sandbox import Sandbox, SandboxClock, User, UserSession, Workspace, default_spec_path
from bot.server import ThreadingWSGIServer, make_http_server, start_in_thread
from bot.services import Services
from bot.shell.people import PEOPLE
from bot.shell.people import populate as populate_workspace
from storage import migrate
from storage.db import Database
from storage.effects import DM, FILE, HOME, INTRO, PENDING, SENDING, UPDATE, VOTE_POST, VOTE_UPDATE
from storage.models import Base, SlackEffect


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
    clock_file: Path | None = None
    files_folder: Path | None = None

    def save_clock(self) -> None:
        """Keep the sandbox time with the data, so a restart goes on from the same moment."""
        if self.clock_file is not None:
            self.clock.save(self.clock_file)

    def messages_on_the_way(self, user_id: str) -> int:
        """Queued DMs, files, introductions and edits the effect workers have not sent yet, and a refresh
        of `user_id`'s own App Home (other people's Homes show up when the shell becomes them)."""
        query = select(func.count()).where(
            SlackEffect.status.in_((PENDING, SENDING)),
            SlackEffect.kind.in_((DM, FILE, INTRO, UPDATE, VOTE_POST, VOTE_UPDATE))
            | ((SlackEffect.kind == HOME) & (SlackEffect.user_id == user_id)),
        )
        with self.services.db.session() as session:
            return session.scalar(query) or 0

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


def _beside_the_data(settings: Settings, suffix: str) -> Path:
    """A path next to the SQLite file, or (for a server database) one per database in the temp folder."""
    url = settings.database_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        database = Path(url.removeprefix("sqlite:///"))
        return database.with_name(database.name + suffix)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"mentor-circles-{digest}{suffix}"


def clock_file(settings: Settings) -> Path:
    return _beside_the_data(settings, ".shell-clock")


def files_folder(settings: Settings) -> Path:
    return _beside_the_data(settings, "-shell-files")


def erase_everything(settings: Settings) -> None:
    """For `:reset`: empty every table and forget the sandbox time (the schema stays)."""
    db = Database(settings.database_url)
    try:
        migrate.upgrade(db)
        with db.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
    finally:
        db.dispose()
    clock_file(settings).unlink(missing_ok=True)


@contextmanager
def shell_environment(settings: Settings) -> Iterator[ShellEnvironment]:
    """Migrate the database, start the sandbox (at the time saved with the data) and serve the app; stop
    them all afterwards, saving the sandbox time."""
    db = Database(settings.database_url)
    saved_at = clock_file(settings)
    clock = SandboxClock.resume(saved_at)
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
            env = ShellEnvironment(
                sandbox,
                clock,
                workspace,
                users,
                derived,
                services,
                app,
                server,
                clock_file=saved_at,
                files_folder=files_folder(settings),
            )
            try:
                yield env
            finally:
                env.save_clock()
                effects.stop()
                server.shutdown()
                server.server_close()
    finally:
        db.dispose()
