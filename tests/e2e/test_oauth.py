"""Many workspaces: the OAuth install flow against the sandbox, tokens encrypted at rest, per-workspace
tokens for requests and nudges, and uninstalling."""

from __future__ import annotations

import dataclasses
import http.client
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.oauth.installation_store import Bot, Installation
from sqlalchemy import select

from bot.app import NOT_INSTALLED
from bot.composition import BackgroundEffects, build_services, build_web_application
from bot.config import ConfigError, Settings, parse_settings
from bot.domain.nudges.model import PlannedNudge
from bot.installations import (
    EncryptedInstallationStore,
    TokenCipher,
    authorization_url,
    bot_scopes,
    installed_workspace_ids,
)
from bot.nudges.clock import deliverer_for, tick
from bot.nudges.delivery import DeliveryOptions
from bot.nudges.pacing import Pace
from bot.sandbox import Sandbox, User, UserSession, Workspace
from bot.server import make_http_server, start_in_thread
from bot.services import Services
from storage.db import Database
from storage.installations import InstallationStore, bots_table, installations_table
from storage.models import OutboxNudge
from storage.outbox import Outbox
from storage.repositories import WorkspaceRepository

KEY = Fernet.generate_key().decode()
FAST = DeliveryOptions(pace=Pace(per_minute=60_000))
STATE_COOKIE = "slack-app-oauth-state"


@dataclass
class OAuthApp:
    host: str
    port: int
    settings: Settings
    services: Services
    sandbox: Sandbox

    def get(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    def session(self, user: User, workspace: Workspace) -> UserSession:
        transport = self.sandbox.http_transport(f"http://{self.host}:{self.port}/slack/events")
        return self.sandbox.as_user(workspace.team_id, user.id, transport)

    def install(self, workspace: Workspace, installer: User) -> http.client.HTTPResponse:
        """Start at /slack/install, then come back to the redirect URL as Slack sends the browser."""
        started = self.get("/slack/install")
        state = SimpleCookie(started.getheader("Set-Cookie"))[STATE_COOKIE].value
        code = self.sandbox.issue_oauth_code(workspace.team_id, installer.id)
        return self.get(
            "/slack/oauth_redirect?" + urlencode({"code": code, "state": state}),
            headers={"Cookie": f"{STATE_COOKIE}={state}"},
        )


@pytest.fixture
def hospital(sandbox: Sandbox) -> Workspace:
    return sandbox.add_workspace("T0HOSP1", name="General Hospital Residency")


@pytest.fixture
def grid_campus(sandbox: Sandbox) -> Workspace:
    return sandbox.add_workspace("T0GRID2", name="University Campus", enterprise_id="E0HEALTH")


@pytest.fixture
def alice(sandbox: Sandbox, hospital: Workspace) -> User:
    return sandbox.add_user(hospital.team_id, "alice", "Alice Adams", tz="America/Chicago")


@pytest.fixture
def bruno(sandbox: Sandbox, grid_campus: Workspace) -> User:
    return sandbox.add_user(grid_campus.team_id, "bruno", "Bruno Bell", tz="America/Denver")


@pytest.fixture
def oauth_app(sandbox: Sandbox, db: Database) -> Iterator[OAuthApp]:
    settings = Settings(
        slack_client_id=sandbox.client_id,
        slack_client_secret=sandbox.client_secret,
        slack_signing_secret=sandbox.signing_secret,
        slack_api_url=sandbox.api_url,
        database_url=db.url,
        token_encryption_keys=(KEY,),
    )
    services = build_services(settings, db=db)
    _, web = build_web_application(settings, services)
    server = make_http_server(web)
    start_in_thread(server)
    effects = BackgroundEffects.start(services)
    try:
        yield OAuthApp("127.0.0.1", server.server_port, settings, services, sandbox)
    finally:
        effects.stop()
        server.shutdown()
        server.server_close()


def stored_bots(db: Database) -> dict[tuple[str | None, str | None], str]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(bots_table.c.enterprise_id, bots_table.c.team_id, bots_table.c.bot_token)
        )
        return {(enterprise, team): token for enterprise, team, token in rows}


def stored_installation_teams(db: Database) -> set[str]:
    with db.engine.connect() as connection:
        return set(connection.scalars(select(installations_table.c.team_id)))


def workspace_id(db: Database, workspace: Workspace) -> int:
    with db.session() as session:
        return WorkspaceRepository(session).ensure(workspace.team_id, workspace.enterprise_id).id


def plant_digest(db: Database, workspace: Workspace, user: User, due_at: datetime) -> str:
    key = f"coordinator_digest:{user.id}:{due_at.date().isoformat()}"
    payload = {"week_of": due_at.date().isoformat(), "meetings_logged": 3}
    with db.session() as session:
        Outbox(session).add(
            workspace_id(db, workspace),
            [PlannedNudge("coordinator_digest", key, user.id, due_at, payload)],
            due_at,
        )
    return key


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Events are acknowledged before their listener runs: wait for what the listener does last."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def outbox_status(db: Database, key: str) -> str:
    with db.session() as session:
        return session.scalar(select(OutboxNudge.status).where(OutboxNudge.key == key)) or ""


# -- the install flow ------------------------------------------------------------------------------


def test_install_redirects_to_slack_with_a_state_cookie_and_the_manifest_scopes(oauth_app: OAuthApp) -> None:
    started = oauth_app.get("/slack/install")

    assert started.status == 302
    cookie = SimpleCookie(started.getheader("Set-Cookie"))[STATE_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/"
    location = urlparse(started.getheader("Location"))
    sandbox_api = urlparse(oauth_app.sandbox.api_url)
    assert (location.scheme, location.netloc, location.path) == (
        "http",
        sandbox_api.netloc,
        "/oauth/v2/authorize",
    )
    query = parse_qs(location.query)
    assert query["state"] == [cookie.value]
    assert query["client_id"] == [oauth_app.sandbox.client_id]
    assert query["scope"][0].split(",") == bot_scopes()


def test_install_stores_the_encrypted_token_and_requests_then_use_it(
    oauth_app: OAuthApp, hospital: Workspace, alice: User, db: Database
) -> None:
    finished = oauth_app.install(hospital, alice)

    assert finished.status == 200
    exchanges = oauth_app.sandbox.calls("oauth.v2.access")
    assert len(exchanges) == 1 and exchanges[0].ok
    raw = stored_bots(db)[(None, hospital.team_id)]
    assert raw != hospital.bot_token and hospital.bot_token not in raw
    assert Fernet(KEY.encode()).decrypt(raw.encode()).decode() == hospital.bot_token
    assert stored_installation_teams(db) == {hospital.team_id}

    checks_before = len(oauth_app.sandbox.calls("auth.test"))
    help_reply = oauth_app.session(alice, hospital).slash_command("/mentor", "help")
    assert help_reply.status == 200
    assert "Mentor Circles" in str(help_reply.body)
    checks = oauth_app.sandbox.calls("auth.test")[checks_before:]
    assert [(call.team_id, call.token_kind, call.ok) for call in checks] == [(hospital.team_id, "bot", True)]

    oauth_app.session(alice, hospital).app_home_opened()
    state = oauth_app.sandbox.state
    assert state.feed.wait_until(lambda: bool(oauth_app.sandbox.calls("views.publish")), 5.0)
    lookups = oauth_app.sandbox.calls("users.info")
    assert lookups and {(call.team_id, call.args.get("user"), call.ok) for call in lookups} == {
        (hospital.team_id, alice.id, True)
    }


def test_a_reused_code_or_missing_state_installs_nothing(
    oauth_app: OAuthApp, hospital: Workspace, alice: User, db: Database
) -> None:
    code = oauth_app.sandbox.issue_oauth_code(hospital.team_id, alice.id)
    forged = oauth_app.get("/slack/oauth_redirect?" + urlencode({"code": code, "state": "made-up"}))

    assert forged.status >= 400
    assert oauth_app.sandbox.calls("oauth.v2.access") == []
    assert stored_bots(db) == {}


# -- two workspaces, Enterprise Grid ----------------------------------------------------------------


def test_each_workspace_uses_its_own_token_for_requests_and_nudges(
    oauth_app: OAuthApp,
    hospital: Workspace,
    grid_campus: Workspace,
    alice: User,
    bruno: User,
    db: Database,
) -> None:
    assert oauth_app.install(hospital, alice).status == 200
    assert oauth_app.install(grid_campus, bruno).status == 200
    assert set(stored_bots(db)) == {(None, hospital.team_id), ("E0HEALTH", grid_campus.team_id)}

    for user, workspace in ((alice, hospital), (bruno, grid_campus)):
        assert "Mentor Circles" in str(
            oauth_app.session(user, workspace).slash_command("/mentor", "help").reply()
        )
    assert {call.team_id for call in oauth_app.sandbox.calls("auth.test")} == {
        hospital.team_id,
        grid_campus.team_id,
    }

    now = datetime.now(UTC)
    plant_digest(db, hospital, alice, now)
    plant_digest(db, grid_campus, bruno, now)
    stats = deliverer_for(oauth_app.services, FAST).deliver_due(timeout=30)

    assert stats.sent == 2 and stats.dead == 0
    posts = {(call.team_id, call.args["channel"]) for call in oauth_app.sandbox.calls("chat.postMessage")}
    assert posts == {(hospital.team_id, alice.id), (grid_campus.team_id, bruno.id)}
    assert oauth_app.sandbox.state.dms_to(grid_campus.team_id, bruno.id)


def test_a_workspace_whose_token_is_revoked_mid_tick_does_not_stop_the_others(
    oauth_app: OAuthApp,
    hospital: Workspace,
    grid_campus: Workspace,
    alice: User,
    bruno: User,
    db: Database,
) -> None:
    assert oauth_app.install(hospital, alice).status == 200
    assert oauth_app.install(grid_campus, bruno).status == 200
    now = datetime.now(UTC)
    hospital_digest = plant_digest(db, hospital, alice, now)
    campus_digest = plant_digest(db, grid_campus, bruno, now)
    tokens = oauth_app.sandbox.state.directory.tokens
    revoked = [t for t, info in tokens.items() if info.kind == "bot" and info.team_id == hospital.team_id]
    for token in revoked:
        del tokens[token]  # revoked on Slack's side; the app has not heard yet

    result = tick(oauth_app.services, deliver=True, options=FAST)

    assert result.failures == [], "the jobs ran for both workspaces"
    assert outbox_status(db, campus_digest) == "sent"
    assert outbox_status(db, hospital_digest) == "dead"
    assert oauth_app.sandbox.state.dms_to(grid_campus.team_id, bruno.id)


# -- leaving ---------------------------------------------------------------------------------------


def test_uninstall_forgets_the_tokens_skips_pending_nudges_and_refuses_later_requests(
    oauth_app: OAuthApp,
    hospital: Workspace,
    grid_campus: Workspace,
    alice: User,
    bruno: User,
    db: Database,
) -> None:
    oauth_app.install(hospital, alice)
    oauth_app.install(grid_campus, bruno)
    later = datetime(2099, 1, 5, 14, tzinfo=UTC)
    hospital_nudge = plant_digest(db, hospital, alice, later)
    campus_nudge = plant_digest(db, grid_campus, bruno, later)

    removed = oauth_app.session(alice, hospital).event({"type": "app_uninstalled"})

    assert removed.status == 200
    assert eventually(lambda: outbox_status(db, hospital_nudge) == "skipped")
    assert set(stored_bots(db)) == {("E0HEALTH", grid_campus.team_id)}
    assert stored_installation_teams(db) == {grid_campus.team_id}
    assert (outbox_status(db, hospital_nudge), outbox_status(db, campus_nudge)) == ("skipped", "pending")
    assert installed_workspace_ids(oauth_app.settings, db) == [workspace_id(db, grid_campus)]
    assert {tuple(run.workspaces) for run in tick(oauth_app.services).runs} == {
        (workspace_id(db, grid_campus),)
    }

    refused = oauth_app.session(alice, hospital).slash_command("/mentor", "help")
    assert refused.status == 200 and "Mentor Circles" not in str(refused.body or "")
    assert [reply.get("text") for reply in refused.wait_for_response()] == [NOT_INSTALLED]
    assert "Mentor Circles" in str(
        oauth_app.session(bruno, grid_campus).slash_command("/mentor", "help").reply()
    )


def test_revoked_bot_token_on_enterprise_grid_stops_that_workspace_only(
    oauth_app: OAuthApp,
    hospital: Workspace,
    grid_campus: Workspace,
    alice: User,
    bruno: User,
    db: Database,
) -> None:
    oauth_app.install(hospital, alice)
    oauth_app.install(grid_campus, bruno)
    later = datetime(2099, 1, 5, 14, tzinfo=UTC)
    campus_nudge = plant_digest(db, grid_campus, bruno, later)
    hospital_nudge = plant_digest(db, hospital, alice, later)

    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [grid_campus.bot_user_id]}}
    assert oauth_app.session(bruno, grid_campus).event(event).status == 200
    assert eventually(lambda: outbox_status(db, campus_nudge) == "skipped")

    assert set(stored_bots(db)) == {(None, hospital.team_id)}
    assert (outbox_status(db, campus_nudge), outbox_status(db, hospital_nudge)) == ("skipped", "pending")
    assert installed_workspace_ids(oauth_app.settings, db) == [workspace_id(db, hospital)]


# -- the pieces on their own -----------------------------------------------------------------------

TOKENS = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=120).map(
    lambda tail: "xoxb-" + tail
)


@given(token=TOKENS)
def test_the_cipher_round_trips_and_never_stores_the_token(token: str) -> None:
    cipher = TokenCipher((KEY,))
    stored = cipher.encrypt(token)
    assert stored is not None and token not in stored and len(stored) <= 512
    assert cipher.decrypt(stored) == token


def test_rotated_keys_still_decrypt_and_a_wrong_key_finds_no_token() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    saved_with_old = TokenCipher((old,)).encrypt("xoxb-1-old")
    assert TokenCipher((new, old)).decrypt(saved_with_old) == "xoxb-1-old"
    assert TokenCipher((new,)).decrypt(saved_with_old) is None
    assert TokenCipher((new,)).decrypt("xoxb-saved-before-encryption") == "xoxb-saved-before-encryption"


def test_the_encrypted_store_saves_ciphertext_and_finds_plaintext(db: Database) -> None:
    inner = InstallationStore("1234.5678", db.engine)
    store = EncryptedInstallationStore(inner, TokenCipher((KEY,)))
    store.save(
        Installation(
            app_id="A1",
            enterprise_id="E1",
            team_id="T1",
            user_id="U1",
            bot_token="xoxb-secret",
            bot_id="B1",
            bot_user_id="U0BOT",
            user_token="xoxp-secret",
        )
    )

    raw = inner.find_installation(enterprise_id="E1", team_id="T1")
    assert raw is not None and "secret" not in (raw.bot_token or "") + (raw.user_token or "")
    found = store.find_installation(enterprise_id="E1", team_id="T1")
    assert found is not None and (found.bot_token, found.user_token) == ("xoxb-secret", "xoxp-secret")
    bot = store.find_bot(enterprise_id="E1", team_id="T1")
    assert isinstance(bot, Bot) and bot.bot_token == "xoxb-secret"
    assert store.find_bot(enterprise_id=None, team_id="T1") is None

    store.delete_all(enterprise_id="E1", team_id="T1")
    assert store.find_installation(enterprise_id="E1", team_id="T1") is None
    with pytest.raises(RuntimeError, match="db upgrade"):
        inner.create_tables()


@pytest.mark.parametrize(
    ("api_url", "expected"),
    [
        ("https://slack.com/api/", "https://slack.com/oauth/v2/authorize"),
        ("https://slack-gov.com/api/", "https://slack-gov.com/oauth/v2/authorize"),
        ("http://127.0.0.1:8123/api/", "http://127.0.0.1:8123/oauth/v2/authorize"),
    ],
)
def test_the_authorize_page_sits_beside_the_web_api(api_url: str, expected: str) -> None:
    assert authorization_url(api_url) == expected


def test_a_malformed_encryption_key_stops_with_one_clear_line() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_settings({"TOKEN_ENCRYPTION_KEY": "not-a-key"})
    assert raised.value.variable == "TOKEN_ENCRYPTION_KEY" and "\n" not in str(raised.value)
    assert parse_settings({"TOKEN_ENCRYPTION_KEY": f"{KEY}, {KEY}"}).token_encryption_keys == (KEY, KEY)


def test_settings_never_show_the_encryption_key() -> None:
    assert KEY not in repr(dataclasses.replace(Settings(), token_encryption_keys=(KEY,)))
