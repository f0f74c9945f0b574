"""Socket Mode against slack_sdk's built-in client and Bolt's SocketModeHandler."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.sandbox import AckTimeout, NoSocketConnection, Sandbox, User


@pytest.fixture
def socket_client(sandbox: Sandbox) -> Iterator[SocketModeClient]:
    client = SocketModeClient(app_token=sandbox.app_token, web_client=WebClient(base_url=sandbox.api_url))
    yield client
    client.auto_reconnect_enabled = False
    sandbox.socket_server.close_connections()
    client.close()


def test_builtin_client_gets_hello_envelopes_and_acks(
    sandbox: Sandbox, socket_client: SocketModeClient
) -> None:
    hellos: list[dict[str, Any]] = []
    socket_client.message_listeners.append(
        lambda client, message, raw: hellos.append(message) if message.get("type") == "hello" else None
    )

    def on_request(client: SocketModeClient, request: SocketModeRequest) -> None:
        payload = {"text": f"got {request.payload['command']}"}
        client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id, payload=payload))

    socket_client.socket_mode_request_listeners.append(on_request)
    socket_client.connect()
    assert sandbox.socket_server.wait_for_connection()
    ack = sandbox.socket_server.deliver("slash_commands", {"command": "/mentor", "text": "help"})
    assert ack["payload"] == {"text": "got /mentor"}
    assert hellos and hellos[0]["connection_info"]["app_id"] == sandbox.app_id
    assert [c.method for c in sandbox.calls()] == ["apps.connections.open"]


def test_missing_ack_times_out(sandbox: Sandbox, socket_client: SocketModeClient) -> None:
    socket_client.connect()
    assert sandbox.socket_server.wait_for_connection()
    with pytest.raises(AckTimeout):
        sandbox.socket_server.deliver("events_api", {"event": {"type": "app_mention"}}, timeout=0.2)


def test_no_connection_means_nowhere_to_deliver(sandbox: Sandbox) -> None:
    with pytest.raises(NoSocketConnection):
        sandbox.socket_server.deliver("events_api", {})


def test_disconnect_makes_the_client_reconnect(sandbox: Sandbox, socket_client: SocketModeClient) -> None:
    socket_client.connect()
    assert sandbox.socket_server.wait_for_connection()
    sandbox.socket_server.disconnect_all()
    assert len(sandbox.state.wait_for_calls("apps.connections.open", count=2)) == 2


def test_a_used_ticket_is_refused(sandbox: Sandbox) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    url = WebClient(base_url=sandbox.api_url).apps_connections_open(app_token=sandbox.app_token)["url"]
    with connect(url) as first:
        assert '"hello"' in str(first.recv(timeout=2))
    with pytest.raises(InvalidStatus):
        connect(url)


def test_bolt_socket_mode_handler_end_to_end(sandbox: Sandbox, bolt_app: App, alice: User, bob: User) -> None:
    notified = threading.Event()

    @bolt_app.command("/mentor")
    def mentor(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack(text="Opening your goals")
        client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "goal",
                "title": {"type": "plain_text", "text": "New goal"},
                "submit": {"type": "plain_text", "text": "Add"},
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "goal",
                        "label": {"type": "plain_text", "text": "Goal"},
                        "element": {"type": "plain_text_input", "action_id": "text"},
                    }
                ],
            },
        )

    @bolt_app.view("goal")
    def add_goal(ack: Ack, view: dict[str, Any], client: WebClient, body: dict[str, Any]) -> None:
        ack(response_action="clear")
        text = view["state"]["values"]["goal"]["text"]["value"]
        client.chat_postMessage(channel=body["user"]["id"], text=f"Goal added: {text}")

    @bolt_app.event("app_mention")
    def mention(event: dict[str, Any]) -> None:
        notified.set()

    handler = SocketModeHandler(bolt_app, sandbox.app_token)
    handler.connect()
    try:
        assert sandbox.socket_server.wait_for_connection()
        alice_session = sandbox.as_user(alice.team_id, alice.id, sandbox.socket_transport(timeout=3))
        sent = alice_session.slash_command("/mentor", "goals")
        assert sent.body == {"text": "Opening your goals"}
        assert sandbox.state.feed.wait_for(alice.team_id, alice.id, match=lambda i: i.kind == "modal_open")
        alice_session.view_submission(values={"text": "Submit an abstract"})
        item = sandbox.state.feed.wait_for(alice.team_id, alice.id, match=lambda i: i.kind == "message")
        assert item is not None and item.text == "Goal added: Submit an abstract"
        assert sandbox.state.modal_stack(alice.team_id, alice.id) == []
        bob_session = sandbox.as_user(bob.team_id, bob.id, sandbox.socket_transport(timeout=3))
        assert (
            bob_session.event({"type": "app_mention", "user": bob.id, "text": "hi", "ts": "1.0"}).status
            == 200
        )
        assert notified.wait(3)
    finally:
        handler.client.auto_reconnect_enabled = False
        sandbox.socket_server.close_connections()
        handler.close()
