"""Coordinators: who may run `/mentor admin` and its buttons, the audit log, and workspaces kept apart."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from storage.models import AuditEntry, Coordinator, Program
from storage.programs import CoordinatorRepository
from storage.repositories import WorkspaceRepository
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.test_matching import add_peers, preview

ADMIN_COMMANDS = (
    "admin",
    "admin coordinators list",
    "admin coordinators add <@U0NOBODY>",
    "admin program list",
    "admin program add Research teams",
    "admin program edit Mentor Circles",
    "admin match preview circles",
    "admin faq list",
)


def audit_rows(running_app: RunningApp) -> list[tuple[str, str, str]]:
    with running_app.services.db.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(entry.actor, entry.action, entry.outcome) for entry in entries]


def count(running_app: RunningApp, model) -> int:
    with running_app.services.db.session() as session:
        return len(session.scalars(select(model)).all())


def test_a_member_is_refused_every_admin_command_and_each_refusal_is_logged(
    running_app: RunningApp, alice
) -> None:
    session = running_app.session(alice)
    for text in ADMIN_COMMANDS:
        reply = session.slash_command("/mentor", text).reply()
        assert "only for your program's coordinators" in reply["text"], text
    assert count(running_app, Coordinator) == 0
    assert count(running_app, Program) <= 1
    assert running_app.sandbox.calls("views.open") == []
    rows = audit_rows(running_app)
    assert len(rows) == len(ADMIN_COMMANDS)
    assert {outcome for _, _, outcome in rows} == {"refused"}
    assert {actor for actor, _, _ in rows} == {alice.id}
    assert "admin coordinators add" in {action for _, action, _ in rows}


def test_a_member_pressing_a_coordinators_button_is_refused_and_nothing_runs(
    running_app: RunningApp, coordinator, alice
) -> None:
    add_peers(running_app, 6)
    shown = preview(running_app, coordinator)
    listing = (
        running_app.session(coordinator).slash_command("/mentor", "admin program show Mentor Circles").reply()
    )
    member = running_app.session(alice)
    posts_before = len(running_app.sandbox.calls("chat.postMessage"))
    assert "match_publish" in json.dumps(shown["blocks"])
    assert "program_edit" in json.dumps(listing["blocks"])
    for action_id in ("match_publish", "program_edit"):
        item = next(
            item
            for item in running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)
            if item.kind == "ephemeral" and item.blocks and action_id in json.dumps(list(item.blocks))
        )
        forged = member.message_action(item, action_id)
        assert "only for your program's coordinators" in forged.wait_for_response(1, 5)[0]["text"]
    assert len(running_app.sandbox.calls("chat.postMessage")) == posts_before
    assert running_app.sandbox.calls("views.open") == []
    refused = [(actor, action) for actor, action, outcome in audit_rows(running_app) if outcome == "refused"]
    assert refused == [(alice.id, "match_publish"), (alice.id, "program_edit")]


def test_coordinators_added_in_slack_can_run_admin_commands_until_removed(
    running_app: RunningApp, coordinator, alice
) -> None:
    added = running_app.session(coordinator).slash_command(
        "/mentor", f"admin coordinators add <@{alice.id}|alice>"
    )
    assert f"<@{alice.id}> can now coordinate" in added.reply()["text"]
    listing = running_app.session(alice).slash_command("/mentor", "admin coordinators list").reply()["text"]
    assert f"<@{alice.id}>" in listing and f"<@{coordinator.id}>" in listing

    removed = running_app.session(coordinator).slash_command(
        "/mentor", f"admin coordinators remove <@{alice.id}>"
    )
    assert "no longer coordinate" in removed.reply()["text"]
    again = running_app.session(alice).slash_command("/mentor", "admin coordinators list").reply()["text"]
    assert "only for your program's coordinators" in again
    actions = [(actor, action, outcome) for actor, action, outcome in audit_rows(running_app)]
    assert actions == [
        (coordinator.id, "admin coordinators add", "ok"),
        (alice.id, "admin coordinators list", "ok"),
        (coordinator.id, "admin coordinators remove", "ok"),
        (alice.id, "admin coordinators list", "refused"),
    ]


def test_workspace_admins_are_coordinators_through_users_info(running_app: RunningApp) -> None:
    owner = running_app.sandbox.add_user(running_app.workspace.team_id, "olga", "Olga Owens", is_owner=True)
    reply = running_app.session(owner).slash_command("/mentor", "admin program list").reply()
    assert "Programs in this workspace" in json.dumps(reply["blocks"])
    calls = len(running_app.sandbox.calls("users.info"))
    running_app.session(owner).slash_command("/mentor", "admin coordinators list")
    assert len(running_app.sandbox.calls("users.info")) == calls, "the admin check is cached"


@pytest.fixture
def mercy(running_app: RunningApp):
    return running_app.sandbox.add_workspace("T0MERCY1", name="Mercy Residency")


def test_a_coordinator_of_one_workspace_can_neither_see_nor_change_another(
    running_app: RunningApp, coordinator, mercy
) -> None:
    running_app.session(coordinator).slash_command("/mentor", "admin program add Research teams")
    wait_for_modal(running_app.session(coordinator), "program_settings")

    sam = running_app.sandbox.add_user(mercy.team_id, "sam", "Sam Stone")
    theirs = running_app.sandbox.as_user(
        mercy.team_id, sam.id, running_app.sandbox.http_transport(running_app.events_url)
    )
    refused = theirs.slash_command("/mentor", "admin program list").reply()["text"]
    assert "only for your program's coordinators" in refused
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(mercy.team_id)
        CoordinatorRepository(session, space.id).add(sam.id, "setup")

    listing = json.dumps(theirs.slash_command("/mentor", "admin program list").reply()["blocks"])
    assert "Mentor Circles" in listing and "Research teams" not in listing
    edit = theirs.slash_command("/mentor", "admin program edit Research teams").reply()["text"]
    assert "couldn't find a program called" in edit
    mine = json.dumps(running_app.session(coordinator).slash_command("/mentor", "admin program list").reply())
    assert "Research teams" in mine
