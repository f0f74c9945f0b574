"""The coordinators' App Home "Export CSV" button: one program's report in the coordinator's DM."""

from __future__ import annotations

import csv
import dataclasses
import io

from sqlalchemy import select

from bot.reports.export import COLUMNS
from bot.sandbox import User, View
from storage.models import AuditEntry
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.test_program_schedules import CHICAGO, EARLY, MONTHLY_PEER, add_program, join_program

REFUSED = "only for your program's coordinators"


def coordinator_home(running_app: RunningApp, coordinator: User) -> View:
    running_app.session(coordinator).app_home_opened()
    state, team = running_app.sandbox.state, running_app.workspace.team_id
    assert state.feed.wait_until(lambda: "program_export" in str(state.home_view(team, coordinator.id)), 5)
    view = state.views.home(team, coordinator.id)
    assert view is not None
    return view


def program_buttons(view: View, program: str) -> View:
    """The Home view narrowed to one program's section, so a press picks that program's button."""
    blocks = view.payload["blocks"]
    index = next(i for i, block in enumerate(blocks) if program in str(block.get("text", "")))
    return dataclasses.replace(view, payload={**view.payload, "blocks": blocks[index + 1 : index + 2]})


def audit(running_app: RunningApp, action: str) -> list[tuple[str, str]]:
    with running_app.services.db.session() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
        return [(row.actor, row.outcome) for row in rows]


def test_export_csv_on_the_home_tab_sends_that_programs_report_to_the_coordinator(
    running_app: RunningApp, coordinator: User, alice: User
) -> None:
    add_program(running_app, "Night float peers", EARLY)
    ana, ben = (
        running_app.sandbox.add_user(running_app.workspace.team_id, n, n.title()) for n in ("ana", "ben")
    )
    join_program(running_app, "Night float peers", [(ana, MONTHLY_PEER), (ben, MONTHLY_PEER)], CHICAGO)
    home = program_buttons(coordinator_home(running_app, coordinator), "Night float peers")
    state = running_app.sandbox.state

    assert running_app.session(coordinator).view_action(home, "program_export").status == 200
    assert state.feed.wait_until(lambda: bool(state.uploaded_files()), 10)
    (upload,) = state.uploaded_files(running_app.workspace.team_id)
    assert upload.channels == [running_app.session(coordinator).dm().id]
    assert upload.filename.endswith(".csv") and "Night float peers" in upload.title
    rows = list(csv.reader(io.StringIO((upload.content or b"").decode())))
    assert tuple(rows[0]) == COLUMNS and len(rows) > 1
    assert all(cell == "" or float(cell) >= 0 for row in rows[1:] for cell in row[3:]), "counts only"
    assert audit(running_app, "program_export") == [(coordinator.id, "ok")]

    refusals_before = len(state.dms_to(running_app.workspace.team_id, alice.id))
    assert running_app.session(alice).view_action(home, "program_export").status == 200
    assert state.feed.wait_until(
        lambda: len(state.dms_to(running_app.workspace.team_id, alice.id)) > refusals_before, 5
    )
    assert REFUSED in state.dms_to(running_app.workspace.team_id, alice.id)[-1].text
    assert len(state.uploaded_files()) == 1
    assert audit(running_app, "program_export") == [(coordinator.id, "ok"), (alice.id, "refused")]


def test_export_csv_under_program_show_confirms_in_the_conversation(
    running_app: RunningApp, coordinator: User
) -> None:
    add_program(running_app, "Night float peers", EARLY)
    session = running_app.session(coordinator)
    session.slash_command("/mentor", "admin program show Night float peers")
    item = next(
        item
        for item in running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)
        if item.kind == "ephemeral" and "program_export" in str(item.blocks)
    )
    reply = session.message_action(item, "program_export").wait_for_response(1, 10)[0]
    assert "sent the CSV export" in reply["text"]
    settle_effects(running_app)
    (upload,) = running_app.sandbox.state.uploaded_files(running_app.workspace.team_id)
    assert "Night float peers" in upload.title and upload.channels == [session.dm().id]
