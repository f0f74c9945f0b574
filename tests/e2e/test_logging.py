from __future__ import annotations

import io
import json
import logging

import pytest

from bot.logs import configure_logging
from tests.e2e.conftest import RunningApp


@pytest.fixture
def log_stream():
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    yield stream
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)


def test_json_lines_with_request_ids_and_no_tokens_or_message_text(
    running_app: RunningApp, alice, log_stream
) -> None:
    session = running_app.session(alice)
    session.slash_command("/mentor", "hepl my secret question zebra-42")
    session.app_home_opened()
    running_app.sandbox.state.wait_for_calls("views.publish", 1, 5)
    logging.getLogger("bot.test").info("token seen: %s", running_app.workspace.bot_token)

    output = log_stream.getvalue()
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert lines, "something was logged at DEBUG"
    assert all({"time", "level", "logger", "request_id", "message"} <= set(line) for line in lines)
    assert any(line["request_id"] != "-" for line in lines)
    assert running_app.workspace.bot_token not in output
    assert "xoxb-[redacted]" in output
    assert "zebra-42" not in output
