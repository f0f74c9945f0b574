"""Block Kit limits on messages, views and response_url posts, as Slack enforces them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import Sandbox, User, validate_blocks, validate_view


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str, action_id: str = "go") -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}


def _error_of(bot: WebClient, user: User, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        bot.chat_postMessage(channel=user.id, text="fallback", blocks=blocks)
    return dict(raised.value.response.data)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section("x")] * 51, "/blocks"),
        ([section("x" * 3001)], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}], "/blocks/0/text/type"),
        ([{"type": "actions", "elements": [button("b" * 76)]}], "/blocks/0/elements/0/text/text"),
        ([{"type": "actions", "elements": [button("ok", "a" * 256)]}], "/blocks/0/elements/0/action_id"),
        ([section("x", block_id="b" * 256)], "/blocks/0/block_id"),
        ([section("x", block_id="same"), section("y", block_id="same")], "/blocks/1/block_id"),
        ([{"type": "actions", "elements": [button("a"), button("b")]}], "/blocks/0/elements/1/action_id"),
        (
            [{"type": "actions", "elements": [{"type": "teleporter", "action_id": "t"}]}],
            "/blocks/0/elements/0/type",
        ),
        ([{"type": "carousel_of_doom"}], "/blocks/0/type"),
        ([section("x", colour="red")], "/blocks/0/colour"),
    ],
)
def test_message_block_violations_are_invalid_blocks(
    bot: WebClient, alice: User, blocks: list[dict[str, Any]], pointer: str
) -> None:
    error = _error_of(bot, alice, blocks)
    assert error["error"] == "invalid_blocks"
    assert any(f"[json-pointer:{pointer}]" in m for m in error["errors"])
    assert error["response_metadata"]["messages"][0].startswith("[ERROR] ")


def test_the_same_action_id_in_different_blocks_is_allowed(bot: WebClient, alice: User) -> None:
    blocks = [
        section("Dr. Chen", accessory=button("Pick", "pick")),
        section("Dr. Ruiz", accessory=button("Pick", "pick")),
    ]
    assert bot.chat_postMessage(channel=alice.id, text="Pick a mentor", blocks=blocks)["ok"] is True


def test_text_longer_than_40000_is_too_long(bot: WebClient, alice: User) -> None:
    with pytest.raises(SlackApiError) as raised:
        bot.chat_postMessage(channel=alice.id, text="x" * 40_001)
    assert raised.value.response["error"] == "msg_too_long"
    assert bot.chat_postMessage(channel=alice.id, text="x" * 40_000)["ok"] is True


@settings(max_examples=40, deadline=None)
@given(length=st.integers(min_value=1, max_value=3100))
def test_section_text_limit_is_exactly_3000(length: int) -> None:
    problems = validate_blocks([section("y" * length)])
    assert (problems == []) == (length <= 3000)


@settings(max_examples=30, deadline=None)
@given(count=st.integers(min_value=1, max_value=120))
def test_block_count_limits_differ_by_surface(count: int) -> None:
    blocks = [{"type": "divider"}] * count
    assert (validate_blocks(blocks, surface="message") == []) == (count <= 50)
    home = {"type": "home", "blocks": blocks}
    assert (validate_view(home) == []) == (count <= 100)


def modal(**overrides: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Log a meeting"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "notes",
                "label": {"type": "plain_text", "text": "Notes"},
                "element": {"type": "plain_text_input", "action_id": "notes_input"},
            }
        ],
    }
    view.update(overrides)
    return {k: v for k, v in view.items() if v is not None}


@pytest.mark.parametrize(
    ("view", "pointer"),
    [
        (modal(title={"type": "plain_text", "text": "t" * 25}), "/view/title/text"),
        (modal(title={"type": "mrkdwn", "text": "*t*"}), "/view/title/type"),
        (modal(submit=None), "/view/submit"),
        (modal(close={"type": "plain_text", "text": "c" * 25}), "/view/close/text"),
        (modal(title=None), "/view/title"),
        (modal(blocks=[{"type": "divider"}] * 101), "/view/blocks"),
        (modal(blocks=[{"type": "file", "external_id": "x", "source": "remote"}]), "/view/blocks/0/type"),
    ],
)
def test_invalid_modals_are_invalid_arguments(
    sandbox: Sandbox, bot: WebClient, alice: User, view: dict[str, Any], pointer: str
) -> None:
    trigger = sandbox.state.views.mint_trigger(alice.team_id, alice.id)
    with pytest.raises(SlackApiError) as raised:
        bot.views_open(trigger_id=trigger, view=view)
    assert raised.value.response["error"] == "invalid_arguments"
    messages = raised.value.response["response_metadata"]["messages"]
    assert any(f"[json-pointer:{pointer}]" in m for m in messages)


def test_a_valid_modal_opens(sandbox: Sandbox, bot: WebClient, alice: User) -> None:
    trigger = sandbox.state.views.mint_trigger(alice.team_id, alice.id)
    assert bot.views_open(trigger_id=trigger, view=modal())["view"]["type"] == "modal"
