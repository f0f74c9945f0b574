from __future__ import annotations

import json
import urllib.request

from bot.composition import build_services, build_web_application
from bot.server import make_http_server, start_in_thread
from storage.db import Database
from tests.e2e.conftest import RunningApp, app_settings


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_healthz_checks_the_database(running_app: RunningApp) -> None:
    assert get(f"{running_app.url}/healthz") == (200, {"status": "ok", "database": "ok"})


def test_healthz_is_503_when_the_database_is_unreachable(sandbox, workspace, db) -> None:
    unreachable = Database("postgresql+psycopg://nobody@127.0.0.1:1/nothing")
    settings = app_settings(sandbox, workspace, db, database_url=unreachable.url)
    _, web = build_web_application(settings, build_services(settings, db=unreachable))
    server = make_http_server(web)
    start_in_thread(server)
    try:
        status, body = get(f"http://127.0.0.1:{server.server_port}/healthz")
    finally:
        server.shutdown()
        server.server_close()
    assert (status, body["status"]) == (503, "unavailable")


def test_app_home_is_published_when_opened(running_app: RunningApp, alice, coordinator) -> None:
    sandbox = running_app.sandbox
    running_app.session(alice).app_home_opened()
    assert sandbox.state.feed.wait_until(lambda: bool(sandbox.calls("views.publish")), timeout=5)
    call = sandbox.calls("views.publish")[0]
    assert call.args["user_id"] == alice.id
    view = call.args["view"]
    assert view["type"] == "home"
    rendered = json.dumps(view)
    assert "home_join" in rendered, "someone who has not signed up is invited to join"
    assert f"<@{coordinator.id}>" in rendered
    assert call.response["ok"] is True


def test_coordinators_see_their_programs_on_the_home_tab(running_app: RunningApp, alice, coordinator) -> None:
    sandbox = running_app.sandbox
    running_app.session(coordinator).app_home_opened()
    running_app.session(alice).app_home_opened()
    calls = sandbox.state.wait_for_calls("views.publish", 2, 5)
    views = {call.args["user_id"]: json.dumps(call.args["view"]) for call in calls}
    assert "For coordinators" in views[coordinator.id]
    assert "active" in views[coordinator.id]
    assert "For coordinators" not in views[alice.id]
    assert all(len(call.args["view"]["blocks"]) <= 100 for call in calls)


def test_the_coordinator_section_shows_the_next_planned_nudge(
    running_app: RunningApp, alice, coordinator
) -> None:
    from datetime import UTC, datetime

    from bot.domain.nudges.model import PlannedNudge
    from storage.outbox import Outbox
    from storage.repositories import WorkspaceRepository
    from tests.e2e.members import join

    join(running_app, alice)
    due = datetime(2031, 3, 3, 15, 0, tzinfo=UTC)
    with running_app.services.db.session() as session:
        workspace = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        nudge = PlannedNudge(
            "goal_checkin", f"goal_checkin:{alice.id}:2031-03-03", alice.id, due, {"goals": []}
        )
        Outbox(session).add(workspace.id, [nudge], due)
    running_app.session(coordinator).app_home_opened()
    view = json.dumps(running_app.sandbox.state.wait_for_calls("views.publish", 1, 5)[-1].args["view"])
    assert "Next nudge: Monday, March 3, 2031 at 10:00 (America/New_York)" in view
