"""Nothing a member typed, no request body and no token reaches a log line, at any level.

The running app is logged through `configure_logging` at DEBUG (the Slack libraries lowered to DEBUG
as well), and every record the root handler writes is checked for a marker carried by forged requests,
by Bolt's own signature check, and by real commands: a goal, a meeting note, an FAQ question.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import BoltRequest

from bot.logs import MAX_LINE
from bot.sandbox import User, sign
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import join, relate
from tests.e2e.test_goals import say
from tests.e2e.test_malformed_requests import Ctx, form, post_raw, send
from tests.log_capture import RecordWrites, configured_logging

MARKER = "LogMark-9d27"


@pytest.fixture(params=["text", "json"])
def log_output(request: pytest.FixtureRequest) -> Iterator[RecordWrites]:
    with configured_logging(request.param) as stream:
        yield stream


@pytest.fixture
def bob(running_app: RunningApp) -> User:
    return running_app.sandbox.add_user(
        running_app.workspace.team_id, "bob", "Bob Brown", tz="America/Chicago"
    )


def assert_private(output: RecordWrites) -> None:
    assert output.records, "something was logged at DEBUG"
    leaked = [record for record in output.records if MARKER.lower() in record.lower()]
    assert not leaked, leaked[:3]
    too_long = [len(record) for record in output.records if len(record) > MAX_LINE]
    assert not too_long, too_long


def command_body(text: str) -> bytes:
    return form({"command": "/mentor", "text": text, "team_id": "T0HOSP1", "user_id": "U0000000001"})


def test_forged_requests_leave_no_trace_of_their_body(
    running_app: RunningApp, log_output: RecordWrites
) -> None:
    url, secret, now = running_app.events_url, running_app.sandbox.signing_secret, int(time.time())
    body = command_body(f"goal add {MARKER}")
    answers = [
        post_raw(url, body, secret, signature=sign("not-the-secret", str(now), body)),
        post_raw(url, body, secret, timestamp=str(now - 600)),
        post_raw(url, body, secret, timestamp="soon"),
        post_raw(url, body, secret, signature=None),
    ]

    assert [answer.status for answer in answers] == [401, 401, 401, 401]
    assert "refused a request with a missing or invalid Slack signature" in log_output.text
    assert_private(log_output)


@pytest.mark.parametrize("timestamp_age", [0, 600])
def test_bolts_own_signature_check_logs_a_short_line_without_the_body(
    running_app: RunningApp, log_output: RecordWrites, timestamp_age: int
) -> None:
    """Bolt logs a refused request's whole body at INFO; through the filter only a short line remains."""
    body = command_body(f"met yesterday {MARKER}").decode()
    timestamp = str(int(time.time()) - timestamp_age)
    request = BoltRequest(
        body=body,
        headers={"x-slack-request-timestamp": timestamp, "x-slack-signature": "v0=" + "0" * 64},
    )

    assert running_app.app.dispatch(request).status == 401
    assert "a request with an invalid signature was refused" in log_output.text
    assert_private(log_output)


def test_goals_notes_questions_and_commands_stay_out_of_the_logs(
    running_app: RunningApp, alice: User, bob: User, log_output: RecordWrites
) -> None:
    for user in (alice, bob):
        join(running_app, user)
    relate(running_app, "circle", [(alice, "peer"), (bob, "peer")])

    assert "Added goal" in say(running_app, alice, f"goal add {MARKER} for my goal")["text"]
    assert "Logged your meeting" in say(running_app, alice, f"met yesterday {MARKER} in my notes")["text"]
    session = running_app.session(alice)
    assert session.slash_command("/mentor", f"ask what does {MARKER} mean").reply()
    assert MARKER.lower() in json.dumps(session.slash_command("/mentor", MARKER).reply()).lower()
    settle_effects(running_app)

    assert_private(log_output)


def test_a_request_no_listener_handles_is_logged_without_its_payload(
    running_app: RunningApp, alice: User, coordinator: User, log_output: RecordWrites
) -> None:
    """Bolt's "Unhandled request" warning quotes the payload, here what was typed into a menu's search."""
    payload: dict[str, Any] = Ctx(running_app, alice, coordinator).block_actions()
    payload.pop("actions")
    payload.update(type="block_suggestion", action_id="no_such_menu", block_id="b", value=MARKER)

    assert send(running_app, "interactive", payload).status == 404
    assert "no listener matched a request" in log_output.text
    assert_private(log_output)
