"""`/mentor` over real HTTP, signed as Slack signs it."""

from __future__ import annotations

import time
import urllib.request
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.sandbox import HttpTransport, Outgoing
from tests.e2e.conftest import RunningApp


def block_text(blocks: list[dict]) -> str:
    parts = []
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                parts.append(block[key]["text"])
        for element in block.get("elements", []):
            if isinstance(element, dict) and "text" in element:
                parts.append(element["text"] if isinstance(element["text"], str) else element["text"]["text"])
    return "\n".join(parts)


def test_help_replies_ephemerally_with_the_overview(running_app: RunningApp, alice) -> None:
    sent = running_app.session(alice).slash_command("/mentor", "help")
    assert sent.status == 200
    assert sent.body["response_type"] == "ephemeral"
    text = block_text(sent.body["blocks"])
    assert "Mentor Circles" in text
    assert "/mentor help" in text
    assert running_app.sandbox.calls("chat.postMessage") == []


def test_bare_mentor_shows_the_overview_too(running_app: RunningApp, alice) -> None:
    sent = running_app.session(alice).slash_command("/mentor", "")
    assert sent.status == 200 and "Here's" not in block_text(sent.body["blocks"])
    assert "Mentor Circles" in block_text(sent.body["blocks"])


def test_help_for_one_command(running_app: RunningApp, alice) -> None:
    sent = running_app.session(alice).slash_command("/mentor", "help help")
    assert "/mentor help [COMMAND]" in block_text(sent.body["blocks"])


def test_unknown_subcommand_gets_a_suggestion_and_usage(running_app: RunningApp, alice) -> None:
    sent = running_app.session(alice).slash_command("/mentor", "hlep me")
    text = block_text(sent.body["blocks"])
    assert "I don't know `/mentor hlep`" in text
    assert "Did you mean `/mentor help`" in text
    assert "/mentor help [COMMAND]" in text


def test_wrong_signature_is_rejected(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    fields = {
        "command": "/mentor",
        "text": "help",
        "team_id": running_app.workspace.team_id,
        "user_id": alice.id,
    }
    outgoing = Outgoing("slash_commands", fields)
    transport = HttpTransport(running_app.events_url, running_app.sandbox.signing_secret)
    assert transport.deliver(outgoing, signing_secret="not-the-secret").status == 401
    assert session.transport.deliver(outgoing).status == 200


def test_stale_timestamp_is_rejected(running_app: RunningApp, alice) -> None:
    fields = {
        "command": "/mentor",
        "text": "help",
        "team_id": running_app.workspace.team_id,
        "user_id": alice.id,
    }
    transport = HttpTransport(running_app.events_url, running_app.sandbox.signing_secret)
    stale = int(time.time()) - 6 * 60
    assert transport.deliver(Outgoing("slash_commands", fields), timestamp=stale).status == 401


def test_unsigned_request_is_rejected(running_app: RunningApp) -> None:
    body = urlencode({"command": "/mentor", "text": "help"}).encode()
    request = urllib.request.Request(running_app.events_url, data=body, method="POST")
    try:
        urllib.request.urlopen(request, timeout=5)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 401


def test_huge_and_odd_text_never_errors(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    for text in [
        "x" * 10_000,
        "帮助 🙂\u200b\u202e!!",
        "\x00\x01",
        "ｈｅｌｐ",
        "<@U123|bob> &amp; <#C1>",
        " " * 50,
    ]:
        sent = session.slash_command("/mentor", text)
        assert sent.status == 200, text[:20]
        assert sent.body["response_type"] == "ephemeral"
        assert len(block_text(sent.body["blocks"])) < 6000


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_random_text_always_gets_a_reply(running_app: RunningApp, alice, text: str) -> None:
    modals_before = len(running_app.sandbox.calls("views.open"))
    sent = running_app.session(alice).slash_command("/mentor", text)
    assert sent.status == 200
    if sent.body:
        assert sent.body.get("text") or sent.body.get("blocks"), "a reply has something to show"
    else:
        state = running_app.sandbox.state
        answered = state.feed.wait_until(
            lambda: bool(sent.responses()) or len(state.calls("views.open")) > modals_before, 5
        )
        assert answered, "an empty ack is followed by a reply through response_url or a modal"


def test_a_command_mentioning_payload_is_read_as_the_command_it_is(running_app: RunningApp, alice) -> None:
    """Bolt reads any form body containing the word "payload" as an interaction; the app does not."""
    for text in ("payload", "ask what goes in a grant payload"):
        sent = running_app.session(alice).slash_command("/mentor", text)
        assert sent.status == 200
        assert sent.reply().get("text"), f"/mentor {text} is answered"
