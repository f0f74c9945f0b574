"""The per-user feed, response_url rules, and the state.values builder."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk import WebClient

from bot.sandbox import Sandbox, SandboxClock, User
from bot.sandbox.payloads import state_values


def _post(url: str, body: dict[str, Any]) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _response_url(sandbox: Sandbox, user: User, channel: str | None = None) -> str:
    entry = sandbox.state.messaging.mint_response_url(user.team_id, user.id, channel)
    return f"{sandbox.web_server.base_url}/response/{entry.id}"


def test_feed_orders_what_the_user_sees(sandbox: Sandbox, bot: WebClient, alice: User) -> None:
    bot.chat_postMessage(channel=alice.id, text="first")
    bot.views_publish(user_id=alice.id, view={"type": "home", "blocks": []})
    dm = bot.conversations_open(users=alice.id)["channel"]["id"]
    bot.chat_postEphemeral(channel=dm, user=alice.id, text="psst")
    kinds = [(i.kind, i.text) for i in sandbox.state.feed.items(alice.team_id, alice.id)]
    assert kinds == [("message", "first"), ("home", ""), ("ephemeral", "psst")]


def test_waiting_for_the_next_item_wakes_on_arrival(sandbox: Sandbox, bot: WebClient, alice: User) -> None:
    after = sandbox.state.feed.last_seq
    threading.Timer(0.05, lambda: bot.chat_postMessage(channel=alice.id, text="later")).start()
    item = sandbox.state.feed.wait_for(alice.team_id, alice.id, after=after, timeout=5)
    assert item is not None and item.text == "later"
    assert sandbox.state.feed.wait_for(alice.team_id, alice.id, after=item.seq, timeout=0.05) is None


def test_response_url_is_recorded_and_validated(sandbox: Sandbox, alice: User) -> None:
    url = _response_url(sandbox, alice)
    assert _post(url, {"text": "Saved your goal"}) == (200, "ok")
    blocks = [{"type": "header", "text": {"type": "mrkdwn", "text": "no"}}]
    assert _post(url, {"text": "bad", "blocks": blocks}) == (400, "invalid_blocks")
    assert sandbox.state.response_url_posts(url) == [{"text": "Saved your goal"}]
    assert [c.status for c in sandbox.calls("response_url")] == [200, 400]


def test_response_url_allows_five_uses_within_thirty_minutes(
    sandbox: Sandbox, alice: User, clock: SandboxClock
) -> None:
    url = _response_url(sandbox, alice)
    assert [_post(url, {"text": str(n)})[0] for n in range(6)] == [200] * 5 + [404]
    fresh = _response_url(sandbox, alice)
    clock.advance(timedelta(minutes=31))
    assert _post(fresh, {"text": "too late"}) == (404, "expired_url")


def test_click_in_a_modal_and_close_it(sandbox: Sandbox, bot: WebClient, alice: User) -> None:
    view = {
        "type": "modal",
        "notify_on_close": True,
        "title": {"type": "plain_text", "text": "Pick"},
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "Cadence"},
                "accessory": {
                    "type": "static_select",
                    "action_id": "cadence",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Weekly"}, "value": "weekly"},
                        {"text": {"type": "plain_text", "text": "Monthly"}, "value": "monthly"},
                    ],
                },
            }
        ],
    }
    bot.views_open(trigger_id=sandbox.state.views.mint_trigger(alice.team_id, alice.id), view=view)
    received: list[Any] = []

    class Recorder:
        def deliver(self, outgoing: Any) -> Any:
            from bot.sandbox import Delivered

            received.append(outgoing)
            return Delivered(200, {}, "")

    session = sandbox.as_user(alice.team_id, alice.id, Recorder())
    session.click("cadence", "monthly")
    action = received[0].content["actions"][0]
    assert action["selected_option"]["value"] == "monthly"
    assert received[0].content["container"]["type"] == "view"
    closed = session.close_modal()
    assert closed is not None and received[-1].content["type"] == "view_closed"
    assert sandbox.state.modal_stack(alice.team_id, alice.id) == []


def _select(action_id: str, values: list[str], multi: bool) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": f"b_{action_id}",
        "label": {"type": "plain_text", "text": action_id},
        "element": {
            "type": "multi_static_select" if multi else "static_select",
            "action_id": action_id,
            "options": [{"text": {"type": "plain_text", "text": v}, "value": v} for v in values],
        },
    }


@given(
    options=st.lists(st.text("abcdefgh", min_size=1, max_size=5), min_size=1, max_size=6, unique=True),
    data=st.data(),
)
def test_state_values_report_exactly_the_chosen_options(options: list[str], data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.sampled_from(options), unique=True))
    single = data.draw(st.sampled_from(options))
    blocks = [_select("many", options, multi=True), _select("one", options, multi=False)]
    values = state_values(blocks, {"many": chosen, "one": single})
    assert [o["value"] for o in values["b_many"]["many"]["selected_options"]] == chosen
    assert values["b_one"]["one"]["selected_option"]["value"] == single
    with pytest.raises(ValueError):
        state_values(blocks, {"nope": 1})
