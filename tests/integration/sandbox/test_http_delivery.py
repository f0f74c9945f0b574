"""Signed requests delivered over HTTP to a real Bolt app served by Bolt's WSGI adapter."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.sandbox import HttpTransport, Outgoing, Sandbox, User, Workspace, sign

from .conftest import ServedApp

MENTOR_BUTTONS = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "Join a peer circle?"}},
    {
        "type": "actions",
        "block_id": "join",
        "elements": [
            {
                "type": "button",
                "action_id": "join_circle",
                "value": "circle-7",
                "text": {"type": "plain_text", "text": "Join"},
            }
        ],
    },
]


def test_signature_matches_bolts_verifier(sandbox: Sandbox) -> None:
    body = "token=x&command=%2Fmentor&text=help"
    timestamp = int(time.time())
    headers = {
        "x-slack-request-timestamp": str(timestamp),
        "x-slack-signature": sign(sandbox.signing_secret, timestamp, body),
    }
    verifier = SignatureVerifier(sandbox.signing_secret)
    assert verifier.is_valid_request(body, headers)
    assert verifier.generate_signature(timestamp=str(timestamp), body=body) == headers["x-slack-signature"]
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)


def _session(sandbox: Sandbox, served: ServedApp, user: User):  # noqa: ANN202
    return sandbox.as_user(user.team_id, user.id, sandbox.http_transport(served.url))


def test_slash_command_ack_is_shown_to_the_user(
    sandbox: Sandbox, bolt_app: App, serve_bolt: Callable[[App], ServedApp], alice: User
) -> None:
    seen: dict[str, Any] = {}

    @bolt_app.command("/mentor")
    def mentor(ack: Ack, command: dict[str, Any]) -> None:
        seen.update(command)
        ack(f"Hi <@{command['user_id']}>, you asked for: {command['text']}")

    sent = _session(sandbox, serve_bolt(bolt_app), alice).slash_command("/mentor", "help")
    assert sent.status == 200
    assert sent.body == f"Hi <@{alice.id}>, you asked for: help"
    assert seen["team_id"] == alice.team_id and seen["user_name"] == "alice"
    assert seen["channel_name"] == "directmessage" and seen["is_enterprise_install"] == "false"
    assert seen["response_url"].startswith(sandbox.web_server.base_url + "/response/")
    assert seen["trigger_id"] == sent.trigger_id
    [ephemeral] = sandbox.state.ephemerals_for(alice.team_id, alice.id)
    assert ephemeral.text == sent.body


def test_response_url_posts_are_captured(
    sandbox: Sandbox, bolt_app: App, serve_bolt: Callable[[App], ServedApp], alice: User
) -> None:
    @bolt_app.command("/mentor")
    def mentor(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Your circle meets Thursday", response_type="ephemeral")

    sent = _session(sandbox, serve_bolt(bolt_app), alice).slash_command("/mentor", "next")
    [response] = sent.wait_for_response()
    assert response["text"] == "Your circle meets Thursday"
    assert [e.source for e in sandbox.state.ephemerals_for(alice.team_id, alice.id)] == ["response_url"]


def test_in_channel_response_is_posted_to_the_channel(
    sandbox: Sandbox, bolt_app: App, serve_bolt: Callable[[App], ServedApp], workspace: Workspace, alice: User
) -> None:
    channel = sandbox.add_channel(workspace.team_id, "residents", members=[alice.id])

    @bolt_app.command("/mentor")
    def mentor(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="Circle sign-ups are open", response_type="in_channel")

    sent = _session(sandbox, serve_bolt(bolt_app), alice).slash_command("/mentor", "announce", channel.id)
    sent.wait_for_response()
    assert [m.text for m in sandbox.state.messages(channel.id)] == ["Circle sign-ups are open"]


def test_stale_or_badly_signed_requests_are_rejected_by_bolt(
    sandbox: Sandbox, bolt_app: App, serve_bolt: Callable[[App], ServedApp], alice: User
) -> None:
    @bolt_app.command("/mentor")
    def mentor(ack: Ack) -> None:
        ack("never")

    served = serve_bolt(bolt_app)
    transport = HttpTransport(served.url, sandbox.signing_secret)
    outgoing = Outgoing("slash_commands", {"command": "/mentor", "text": "", "team_id": alice.team_id})
    assert transport.deliver(outgoing, timestamp=int(time.time()) - 600).status == 401
    assert transport.deliver(outgoing, signing_secret="not-the-secret").status == 401
    assert transport.deliver(outgoing).status == 200


def test_click_a_button_in_the_last_message(
    sandbox: Sandbox, bolt_app: App, serve_bolt: Callable[[App], ServedApp], bot: WebClient, alice: User
) -> None:
    clicked: list[dict[str, Any]] = []

    @bolt_app.action("join_circle")
    def join(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        clicked.append(body)
        respond(text="You joined circle 7", replace_original=True)

    posted = bot.chat_postMessage(channel=alice.id, text="Join a peer circle?", blocks=MENTOR_BUTTONS)
    sent = _session(sandbox, serve_bolt(bolt_app), alice).click("join_circle")
    assert sent.status == 200
    [body] = clicked
    assert body["actions"][0]["value"] == "circle-7" and body["actions"][0]["block_id"] == "join"
    assert body["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": posted["channel"],
        "is_ephemeral": False,
    }
    assert body["message"]["ts"] == posted["ts"] and body["trigger_id"]
    sent.wait_for_response()
    assert [m.text for m in sandbox.state.messages(posted["channel"])] == ["You joined circle 7"]


def test_modal_round_trip_with_state_values(
    sandbox: Sandbox, bolt_app: App, serve_bolt: Callable[[App], ServedApp], alice: User, bob: User
) -> None:
    submitted: list[dict[str, Any]] = []
    modal = {
        "type": "modal",
        "callback_id": "log_meeting",
        "title": {"type": "plain_text", "text": "Log a meeting"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "with",
                "label": {"type": "plain_text", "text": "Who"},
                "element": {"type": "users_select", "action_id": "mentor"},
            },
            {
                "type": "input",
                "block_id": "when",
                "label": {"type": "plain_text", "text": "When"},
                "element": {"type": "datepicker", "action_id": "date"},
            },
            {
                "type": "input",
                "block_id": "topics",
                "label": {"type": "plain_text", "text": "Topics"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "topics",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Research"}, "value": "research"},
                        {"text": {"type": "plain_text", "text": "Wellness"}, "value": "wellness"},
                    ],
                },
            },
            {
                "type": "input",
                "block_id": "notes",
                "optional": True,
                "label": {"type": "plain_text", "text": "Notes"},
                "element": {"type": "plain_text_input", "action_id": "notes"},
            },
        ],
    }

    @bolt_app.command("/mentor")
    def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=modal)

    @bolt_app.view("log_meeting")
    def save(ack: Ack, view: dict[str, Any]) -> None:
        submitted.append(view["state"]["values"])
        if view["state"]["values"]["with"]["mentor"]["selected_user"] is None:
            ack(response_action="errors", errors={"with": "Pick who you met"})
        else:
            ack()

    session = _session(sandbox, serve_bolt(bolt_app), alice)
    session.slash_command("/mentor", "log")
    assert sandbox.state.feed.wait_for(alice.team_id, alice.id, match=lambda i: i.kind == "modal_open")
    failed = session.view_submission(values={"date": "2025-01-20"})
    assert failed.errors == {"with": "Pick who you met"}
    assert len(sandbox.state.modal_stack(alice.team_id, alice.id)) == 1
    session.view_submission(values={"mentor": bob.id, "date": "2025-01-20", "topics": ["research"]})
    assert submitted[-1] == {
        "with": {"mentor": {"type": "users_select", "selected_user": bob.id}},
        "when": {"date": {"type": "datepicker", "selected_date": "2025-01-20"}},
        "topics": {
            "topics": {
                "type": "checkboxes",
                "selected_options": [
                    {"text": {"type": "plain_text", "text": "Research"}, "value": "research"}
                ],
            }
        },
        "notes": {"notes": {"type": "plain_text_input", "value": None}},
    }
    assert sandbox.state.modal_stack(alice.team_id, alice.id) == []


def test_app_home_opened_event_publishes_home(
    sandbox: Sandbox, bolt_app: App, serve_bolt: Callable[[App], ServedApp], alice: User
) -> None:
    @bolt_app.event("app_home_opened")
    def show_home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(
            user_id=event["user"],
            view={
                "type": "home",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Welcome"}}],
            },
        )

    sent = _session(sandbox, serve_bolt(bolt_app), alice).app_home_opened()
    assert sent.status == 200
    item = sandbox.state.feed.wait_for(alice.team_id, alice.id, match=lambda i: i.kind == "home")
    assert item is not None and item.view is not None
    assert item.view["blocks"][0]["text"]["text"] == "Welcome"


def test_message_event_reaches_the_app(
    sandbox: Sandbox, bolt_app: App, serve_bolt: Callable[[App], ServedApp], alice: User
) -> None:
    @bolt_app.message("hello")
    def greet(message: dict[str, Any], say: Callable[..., Any]) -> None:
        say(f"Hello <@{message['user']}>!")

    _session(sandbox, serve_bolt(bolt_app), alice).say("hello there")
    item = sandbox.state.feed.wait_for(
        alice.team_id, alice.id, match=lambda i: i.kind == "message" and i.data["user"] != alice.id
    )
    assert item is not None and item.text == f"Hello <@{alice.id}>!"
