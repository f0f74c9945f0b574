"""Do-not-match lists stay private through matching: "Nobody else sees it, not even coordinators".

Alice is left without a mentor in two workspaces: in one because the only mentor is on her
do-not-match list (set in the join modal), in the other because that mentor is full. Everything the
coordinator is shown (the preview, the publish reply, the stats, the CSV, their App Home) must read
the same in both. Only Alice is told, privately and once the round is published, about her own list.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from bot.composition import build_services
from bot.sandbox import Sandbox, SandboxClock, User, Workspace, default_spec_path
from storage import migrate
from storage.db import Database
from tests.conftest import DatabaseFactory
from tests.e2e.conftest import RunningApp, app_settings, serving, settle_effects, wait_for_modal
from tests.e2e.members import MENTOR, PEER, fill_profile, join

NOW = datetime(2027, 3, 15, 15, 0, tzinfo=UTC)
OWN_LIST_DM = "on your do-not-match list"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(spec_path=default_spec_path(), clock=SandboxClock(NOW)) as running:
        yield running


def _serve(
    sandbox: Sandbox, workspace: Workspace, coordinator: User, db: Database
) -> AbstractContextManager[RunningApp]:
    settings = app_settings(sandbox, workspace, db, coordinator_user_ids=(coordinator.id,))
    return serving(build_services(settings, db=db, clock=sandbox.clock), sandbox, workspace)


@pytest.fixture
def running_app(
    sandbox: Sandbox, workspace: Workspace, coordinator: User, db: Database
) -> Iterator[RunningApp]:
    with _serve(sandbox, workspace, coordinator, db) as running:
        yield running


@dataclass
class Other:
    app: RunningApp
    coordinator: User


@pytest.fixture
def other(sandbox: Sandbox, database_factory: DatabaseFactory) -> Iterator[Other]:
    """A second workspace with its own app and database, for the same story told differently."""
    workspace = sandbox.add_workspace("T0MERCY1", name="General Hospital Residency")
    coordinator = sandbox.add_user(workspace.team_id, "carmen", "Carmen Cruz", tz="America/New_York")
    db = Database(database_factory.create("privacy"))
    migrate.upgrade(db)
    try:
        with _serve(sandbox, workspace, coordinator, db) as running:
            yield Other(running, coordinator)
    finally:
        db.dispose()


@dataclass
class Cast:
    alice: User
    bob: User
    mo: User
    coordinator: User

    def everyone(self) -> list[User]:
        return [self.alice, self.bob, self.mo, self.coordinator]


def sign_up(running_app: RunningApp, coordinator: User, *, alice_avoids_mo: bool) -> Cast:
    """Bob needs research, which Mo (one mentee at most) offers; Alice needs leadership, which nobody
    offers, so with Mo's one place Bob is the better match either way."""
    team = running_app.workspace.team_id
    cast = Cast(
        alice=running_app.sandbox.add_user(team, "alice", "Alice Adams", tz="America/Chicago"),
        bob=running_app.sandbox.add_user(team, "bob", "Bob Brown", tz="America/Chicago"),
        mo=running_app.sandbox.add_user(team, "mo", "Mo Mentor", tz="America/New_York"),
        coordinator=coordinator,
    )
    join(running_app, cast.bob, replace(PEER, roles=("mentee",), needs=("research",)))
    join(running_app, cast.mo, replace(MENTOR, offers=("research",), capacity=1))
    session = running_app.session(cast.alice)
    session.slash_command("/mentor", "join")
    wait_for_modal(session, "profile")
    sent = fill_profile(
        session,
        {
            "roles": ["mentee"],
            "stage": "PGY-2",
            "specialty": "internal-medicine",
            "track": "academic",
            "needs": ["leadership"],
            "frequency": "monthly",
            "tz": "America/Chicago",
            "avoid_user_ids": [cast.mo.id] if alice_avoids_mo else [],
        },
    )
    assert sent.body["response_action"] == "update", sent.body
    settle_effects(running_app)
    return cast


def preview(running_app: RunningApp, coordinator: User, kind: str = "mentors") -> dict:
    sent = running_app.session(coordinator).slash_command("/mentor", f"admin match preview {kind}")
    assert sent.status == 200
    return sent.wait_for_response(1, 20)[0]


def publish(running_app: RunningApp, coordinator: User) -> dict:
    return running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)[0]


def dms(running_app: RunningApp, user: User) -> list[str]:
    return [m.text for m in running_app.sandbox.state.dms_to(running_app.workspace.team_id, user.id)]


def wait_for_dm(running_app: RunningApp, user: User, timeout: float = 15.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while not dms(running_app, user) and time.monotonic() < deadline:
        time.sleep(0.05)
    settle_effects(running_app)
    return dms(running_app, user)


def stats(running_app: RunningApp, coordinator: User, text: str = "") -> dict:
    sent = running_app.session(coordinator).slash_command("/mentor", f"admin stats {text}".strip())
    if isinstance(sent.body, dict) and sent.body.get("text"):
        return sent.body
    return sent.wait_for_response(1, 20)[0]


def coordinator_home(running_app: RunningApp, coordinator: User) -> list[dict]:
    team, state = running_app.workspace.team_id, running_app.sandbox.state
    before = len(state.calls("views.publish"))

    def republished() -> bool:
        return any(c.args.get("user_id") == coordinator.id for c in state.calls("views.publish")[before:])

    # The event is acked before its listener queues the refresh: wait for the publish it causes.
    running_app.session(coordinator).app_home_opened()
    assert state.feed.wait_until(republished, 10)
    settle_effects(running_app)
    view = state.home_view(team, coordinator.id)
    assert view is not None
    return view["blocks"]


def csv_export(running_app: RunningApp, coordinator: User) -> str:
    assert "sent the CSV export" in stats(running_app, coordinator, "csv")["text"]
    settle_effects(running_app)
    files = running_app.sandbox.state.uploaded_files(running_app.workspace.team_id)
    return next(f for f in files if f.filename.endswith(".csv")).content.decode()


def without_block_ids(shown: object) -> object:
    """Slack fills in random block ids and buttons carry row ids (a round, a program): nobody sees either,
    and row ids differ between databases. Everything else must match exactly."""
    if isinstance(shown, dict):
        hidden = {"block_id", "value"} if "action_id" in shown else {"block_id"}
        return {key: without_block_ids(value) for key, value in shown.items() if key not in hidden}
    if isinstance(shown, list):
        return [without_block_ids(value) for value in shown]
    return shown


def coordinator_sees(running_app: RunningApp, cast: Cast) -> dict[str, str]:
    """Everything the coordinator is shown around one round of mentor matches, user ids normalised."""
    coordinator = cast.coordinator
    seen: dict[str, object] = {"preview": preview(running_app, coordinator)}
    seen["published"] = publish(running_app, coordinator)
    seen["stats"] = stats(running_app, coordinator)
    seen["csv"] = csv_export(running_app, coordinator)
    seen["home"] = coordinator_home(running_app, coordinator)
    names = {user.id: user.name.upper() for user in cast.everyone()}
    names[running_app.workspace.bot_user_id] = "BOT"
    names[running_app.workspace.team_id] = "TEAM"
    rendered = {}
    for part, shown in seen.items():
        text = json.dumps(without_block_ids(shown), sort_keys=True, ensure_ascii=False)
        text = re.sub("|".join(map(re.escape, names)), lambda m: names[m.group(0)], text)
        rendered[part] = text
    return rendered


def test_the_coordinator_cannot_tell_a_do_not_match_list_from_a_full_mentor(
    running_app: RunningApp, coordinator: User, other: Other
) -> None:
    listed = sign_up(running_app, coordinator, alice_avoids_mo=True)
    ordinary = sign_up(other.app, other.coordinator, alice_avoids_mo=False)

    because_of_list = coordinator_sees(running_app, listed)
    because_mo_is_full = coordinator_sees(other.app, ordinary)

    preview_text = because_of_list["preview"]
    assert "*Not placed this round*\\n• <@ALICE>" in preview_text, "Alice is shown as not placed"
    assert "<@BOB>* ← <@MO>" in preview_text, "Bob is matched with Mo"
    assert "1 mentee matched (0 kept from before) · 1 unmatched" in preview_text
    assert "Published 1 mentor match" in because_of_list["published"]
    assert "For coordinators" in because_of_list["home"] and "cycle" in because_of_list["csv"]
    for part, shown in because_of_list.items():
        assert "do-not-match" not in shown and "avoid" not in shown.lower(), part
        assert shown == because_mo_is_full[part], f"the coordinator's {part} gives the reason away"

    assert OWN_LIST_DM in " ".join(wait_for_dm(running_app, listed.alice))
    assert wait_for_dm(other.app, ordinary.alice, timeout=1.0) == [], "a full mentor is no private matter"


def test_only_the_member_is_told_about_their_own_list_and_only_once_published(
    running_app: RunningApp, coordinator: User
) -> None:
    cast = sign_up(running_app, coordinator, alice_avoids_mo=True)
    preview(running_app, coordinator)
    settle_effects(running_app)
    assert dms(running_app, cast.alice) == [], "a preview is only the coordinator's look"

    assert "Published 1 mentor match" in publish(running_app, coordinator)["text"]
    told = wait_for_dm(running_app, cast.alice)
    assert len(told) == 1
    assert "weren't matched with a mentor this round" in told[0] and OWN_LIST_DM in told[0]
    assert "only see that you weren't placed" in told[0]
    for user in (cast.bob, cast.mo, cast.coordinator):
        assert not any("do-not-match" in text for text in dms(running_app, user)), user.name
    assert dms(running_app, cast.bob) == [] and dms(running_app, cast.mo) == []

    again = running_app.session(coordinator).message_action(
        next(
            item
            for item in running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)
            if item.blocks and "match_publish" in json.dumps(item.blocks)
        ),
        "match_publish",
    )
    assert "already published" in again.wait_for_response(1, 10)[0]["text"]
    settle_effects(running_app)
    assert len(dms(running_app, cast.alice)) == 1, "told once per round"


def test_someone_left_out_by_other_peoples_lists_is_not_told_and_nobody_else_is_either(
    running_app: RunningApp, coordinator: User, alice: User
) -> None:
    team = running_app.workspace.team_id
    peers = [running_app.sandbox.add_user(team, f"peer{i}", f"Peer {i}") for i in range(4)]
    for user in peers:
        join(running_app, user, replace(PEER, avoid_user_ids=(alice.id,)))
    join(running_app, alice)
    shown = json.dumps(preview(running_app, coordinator, "circles"), ensure_ascii=False)
    assert f"• <@{alice.id}>" in shown and "do-not-match" not in shown
    publish(running_app, coordinator)
    settle_effects(running_app)
    for user in (alice, *peers, coordinator):
        assert not any("do-not-match" in text for text in dms(running_app, user)), user.name


def test_a_peer_whose_own_list_rules_out_every_circle_is_told_privately(
    running_app: RunningApp, coordinator: User, alice: User
) -> None:
    team = running_app.workspace.team_id
    peers = [running_app.sandbox.add_user(team, f"peer{i}", f"Peer {i}") for i in range(4)]
    for user in peers:
        join(running_app, user)
    join(running_app, alice, replace(PEER, avoid_user_ids=tuple(u.id for u in peers)))
    shown = json.dumps(preview(running_app, coordinator, "circles"), ensure_ascii=False)
    assert "4 people in 1 circle" in shown and f"• <@{alice.id}>" in shown
    publish(running_app, coordinator)
    told = wait_for_dm(running_app, alice)
    assert len(told) == 1 and "weren't placed in a peer circle this round" in told[0]
    for user in (*peers, coordinator):
        assert not any("do-not-match" in text for text in dms(running_app, user)), user.name
