"""Program settings, changed in the modal, change what the matcher and the clock do."""

from __future__ import annotations

import json

from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.test_matching import add_peers, preview


def edit_default_program(running_app: RunningApp, coordinator, values: dict) -> dict:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", "admin program edit Mentor Circles")
    wait_for_modal(session, "program_settings")
    return session.view_submission(values=values).body


def test_circle_size_from_the_modal_shapes_the_preview(running_app: RunningApp, coordinator) -> None:
    add_peers(running_app, 8)
    assert "8 people in 2 circles" in json.dumps(preview(running_app, coordinator)["blocks"])
    answer = edit_default_program(
        running_app, coordinator, {"circle_size": "2", "min_size": "2", "max_size": "2"}
    )
    assert not answer or answer.get("response_action") != "errors"
    assert "8 people in 4 circles" in json.dumps(preview(running_app, coordinator)["blocks"])


def test_bad_settings_get_inline_errors_and_change_nothing(running_app: RunningApp, coordinator) -> None:
    answer = edit_default_program(running_app, coordinator, {"circle_size": "9", "send_hour": "22"})
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"circle_size", "send_hour"}
    add_peers(running_app, 8)
    assert "8 people in 2 circles" in json.dumps(preview(running_app, coordinator)["blocks"])
