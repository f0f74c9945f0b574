"""Org-wide (Enterprise Grid) installs: payloads with `team: null` act on the team's existing workspace.

With an org-wide install, Slack sends interactivity payloads with `team: null` and `authorizations` whose
`team_id` may be null, and events whose `team_id` may be missing. Bolt's `extract_team_id` stops at
`authorizations[0].team_id` and leaves `context.team_id` empty; the request guard fills it from the
payload (user, view, event envelope), so these requests never create a second, empty workspace row.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.sandbox import Sandbox, User, Workspace
from storage.models import AuditEntry, WorkspaceFaq
from storage.models import Workspace as WorkspaceRow
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.test_malformed_requests import captured, send

ENTERPRISE = "E0GRID001"


@pytest.fixture
def workspace(sandbox: Sandbox) -> Workspace:
    """The running app's workspace, in an Enterprise Grid org."""
    return sandbox.add_workspace("T0GRIDC1", name="Grid Campus", enterprise_id=ENTERPRISE)


def workspace_rows(running_app: RunningApp) -> list[tuple[int, str, str]]:
    with running_app.services.db.session() as session:
        rows = session.scalars(select(WorkspaceRow).order_by(WorkspaceRow.id))
        return [(row.id, row.team_id, row.enterprise_id) for row in rows]


def the_workspace(running_app: RunningApp) -> int:
    """The team's workspace row, created by an ordinary request (a slash command names team and org)."""
    rows = workspace_rows(running_app)
    assert [(team, org) for _, team, org in rows] == [(running_app.workspace.team_id, ENTERPRISE)]
    return rows[0][0]


def org_wide(payload: dict[str, Any], running_app: RunningApp, *, authorizations: bool) -> dict[str, Any]:
    """The payload as Slack sends it for an org-wide install: no team, only the org (and authorizations)."""
    payload["team"] = None
    payload.pop("team_id", None)
    payload["enterprise"] = {"id": ENTERPRISE, "name": "Grid Campus Grid"}
    payload["is_enterprise_install"] = True
    if authorizations:
        payload["authorizations"] = [
            {
                "enterprise_id": ENTERPRISE,
                "team_id": None,
                "user_id": running_app.workspace.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": True,
            }
        ]
    view = payload.get("view")
    if isinstance(view, dict):
        view.pop("app_installed_team_id", None)  # Bolt would find the team there first
    return payload


@pytest.mark.parametrize("authorizations", [True, False], ids=["with authorizations", "without"])
def test_a_button_with_a_null_team_is_audited_in_the_existing_workspace(
    running_app: RunningApp, coordinator: User, alice: User, authorizations: bool
) -> None:
    running_app.session(coordinator).slash_command("/mentor", "admin program show Mentor Circles")
    workspace_id = the_workspace(running_app)
    item = next(
        item
        for item in running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)
        if item.kind == "ephemeral" and item.blocks and "program_edit" in json.dumps(list(item.blocks))
    )

    def press(member) -> None:  # type: ignore[no-untyped-def]
        member.message_action(item, "program_edit")

    payload = org_wide(captured(running_app, alice, press), running_app, authorizations=authorizations)
    answer = send(running_app, "interactive", payload)

    assert answer.status == 200
    assert workspace_rows(running_app) == [(workspace_id, running_app.workspace.team_id, ENTERPRISE)]
    with running_app.services.db.session() as db_session:
        refused = db_session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused")).all()
        assert [(row.workspace_id, row.actor, row.action) for row in refused] == [
            (workspace_id, alice.id, "program_edit")
        ]
    assert running_app.sandbox.calls("views.open") == []


def test_a_modal_submitted_with_a_null_team_saves_into_the_existing_workspace(
    running_app: RunningApp, coordinator: User
) -> None:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", "admin faq add")
    wait_for_modal(session, "faq_entry")
    workspace_id = the_workspace(running_app)

    def submit(capturing) -> None:  # type: ignore[no-untyped-def]
        capturing.view_submission(
            session.current_modal(),
            values={"title": "Where is the lounge?", "answer": "Third floor.", "keywords": ""},
        )

    payload = org_wide(captured(running_app, coordinator, submit), running_app, authorizations=True)
    assert payload["view"]["team_id"] == running_app.workspace.team_id
    answer = send(running_app, "interactive", payload)

    assert answer.status == 200 and answer.json()["response_action"] == "update"
    assert len(workspace_rows(running_app)) == 1
    with running_app.services.db.session() as db_session:
        entries = db_session.scalars(select(WorkspaceFaq)).all()
        assert [(row.workspace_id, row.title) for row in entries] == [(workspace_id, "Where is the lounge?")]
        audited = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "faq_entry")).all()
        assert [(row.workspace_id, row.outcome) for row in audited] == [(workspace_id, "ok")]


def home_event(running_app: RunningApp, user: User) -> dict[str, Any]:
    def opened(session) -> None:  # type: ignore[no-untyped-def]
        session.app_home_opened()

    payload = captured(running_app, user, opened)
    payload["authorizations"][0].update(team_id=None, is_enterprise_install=True)
    payload["enterprise_id"] = ENTERPRISE
    return payload


def open_home_normally(running_app: RunningApp, user: User, publishes: int) -> None:
    assert running_app.session(user).app_home_opened().status == 200
    assert len(running_app.sandbox.state.wait_for_calls("views.publish", publishes, 5)) >= publishes


def test_an_event_whose_authorization_has_no_team_uses_the_envelope_team(
    running_app: RunningApp, alice: User
) -> None:
    open_home_normally(running_app, alice, 1)
    workspace_id = the_workspace(running_app)
    payload = home_event(running_app, alice)
    assert payload["team_id"] == running_app.workspace.team_id

    answer = send(running_app, "events_api", payload)

    assert answer.status == 200
    assert len(running_app.sandbox.state.wait_for_calls("views.publish", 2, 5)) == 2
    assert workspace_rows(running_app) == [(workspace_id, running_app.workspace.team_id, ENTERPRISE)]


def test_an_event_naming_no_workspace_at_all_is_acknowledged_and_creates_nothing(
    running_app: RunningApp, alice: User
) -> None:
    open_home_normally(running_app, alice, 1)
    before = workspace_rows(running_app)
    payload = home_event(running_app, alice)
    payload.pop("team_id")

    answer = send(running_app, "events_api", payload)

    assert answer.status == 200
    open_home_normally(running_app, alice, 2)  # a later event is handled; the one before it was not
    assert len(running_app.sandbox.calls("views.publish")) == 2
    assert workspace_rows(running_app) == before


def test_an_interactive_payload_naming_no_workspace_is_refused(
    running_app: RunningApp, coordinator: User
) -> None:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", "admin faq add")
    wait_for_modal(session, "faq_entry")
    before = workspace_rows(running_app)

    def submit(capturing) -> None:  # type: ignore[no-untyped-def]
        capturing.view_submission(session.current_modal(), values={"title": "T", "answer": "A"})

    payload = org_wide(captured(running_app, coordinator, submit), running_app, authorizations=True)
    payload["user"].pop("team_id")
    payload["view"].pop("team_id")

    assert send(running_app, "interactive", payload).status == 400
    assert workspace_rows(running_app) == before
    with running_app.services.db.session() as db_session:
        assert db_session.scalar(select(func.count()).select_from(WorkspaceFaq)) == 0
