"""Modals and App Home: trigger_id rules, the modal stack, updates with hash and external_id."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import Sandbox, SandboxClock, User


def modal(title: str = "Goals", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"{title} page"}}],
        **extra,
    }


def home(text: str) -> dict[str, Any]:
    return {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def _error(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_trigger_expires_after_three_seconds(
    sandbox: Sandbox, bot: WebClient, alice: User, clock: SandboxClock
) -> None:
    trigger = sandbox.state.views.mint_trigger(alice.team_id, alice.id)
    clock.advance(timedelta(seconds=3, milliseconds=1))
    assert _error(lambda: bot.views_open(trigger_id=trigger, view=modal())) == "expired_trigger_id"
    assert sandbox.state.modal_stack(alice.team_id, alice.id) == []


def test_trigger_must_be_one_the_sandbox_issued_and_is_used_once(
    sandbox: Sandbox, bot: WebClient, alice: User
) -> None:
    assert _error(lambda: bot.views_open(trigger_id="123.456.abc", view=modal())) == "invalid_trigger_id"
    trigger = sandbox.state.views.mint_trigger(alice.team_id, alice.id)
    bot.views_open(trigger_id=trigger, view=modal())
    assert _error(lambda: bot.views_open(trigger_id=trigger, view=modal())) == "exchanged_trigger_id"


def test_modal_stack_push_and_limit(sandbox: Sandbox, bot: WebClient, alice: User) -> None:
    views = sandbox.state.views
    root = bot.views_open(trigger_id=views.mint_trigger(alice.team_id, alice.id), view=modal("One"))["view"]
    pushed = bot.views_push(trigger_id=views.mint_trigger(alice.team_id, alice.id), view=modal("Two"))["view"]
    assert pushed["root_view_id"] == root["id"] and pushed["previous_view_id"] == root["id"]
    bot.views_push(trigger_id=views.mint_trigger(alice.team_id, alice.id), view=modal("Three"))
    stack = sandbox.state.modal_stack(alice.team_id, alice.id)
    assert [v["title"]["text"] for v in stack] == ["One", "Two", "Three"]
    trigger = views.mint_trigger(alice.team_id, alice.id)
    assert _error(lambda: bot.views_push(trigger_id=trigger, view=modal("Four"))) == "push_limit_reached"


def test_views_update_by_id_checks_the_hash(sandbox: Sandbox, bot: WebClient, alice: User) -> None:
    opened = bot.views_open(
        trigger_id=sandbox.state.views.mint_trigger(alice.team_id, alice.id), view=modal()
    )
    view = opened["view"]
    updated = bot.views_update(view_id=view["id"], hash=view["hash"], view=modal("Goals 2"))["view"]
    assert updated["title"]["text"] == "Goals 2" and updated["hash"] != view["hash"]
    stale = view["hash"]
    assert (
        _error(lambda: bot.views_update(view_id=view["id"], hash=stale, view=modal("X"))) == "hash_conflict"
    )
    assert _error(lambda: bot.views_update(view_id="V0NOPE", view=modal())) == "not_found"


def test_views_update_by_external_id(sandbox: Sandbox, bot: WebClient, alice: User) -> None:
    trigger = sandbox.state.views.mint_trigger(alice.team_id, alice.id)
    bot.views_open(trigger_id=trigger, view=modal(external_id="goals-alice"))
    bot.views_update(external_id="goals-alice", view=modal("Renamed", external_id="goals-alice"))
    assert sandbox.state.modal_stack(alice.team_id, alice.id)[-1]["title"]["text"] == "Renamed"
    again = sandbox.state.views.mint_trigger(alice.team_id, alice.id)
    duplicate = modal(external_id="goals-alice")
    assert _error(lambda: bot.views_open(trigger_id=again, view=duplicate)) == "duplicate_external_id"


def test_views_publish_keeps_one_home_per_user(
    sandbox: Sandbox, bot: WebClient, alice: User, bob: User
) -> None:
    first = bot.views_publish(user_id=alice.id, view=home("Your goals: none yet"))["view"]
    second = bot.views_publish(user_id=alice.id, view=home("Your goals: 1"))["view"]
    bot.views_publish(user_id=bob.id, view=home("Coordinator view"))
    assert first["id"] == second["id"]
    assert sandbox.state.home_view(alice.team_id, alice.id)["blocks"][0]["text"]["text"] == "Your goals: 1"  # type: ignore[index]
    assert sandbox.state.home_view(bob.team_id, bob.id)["blocks"][0]["text"]["text"] == "Coordinator view"  # type: ignore[index]
    assert _error(lambda: bot.views_publish(user_id=alice.id, view=modal())) == "invalid_arguments"


def test_blocks_get_ids_like_slack_assigns_them(sandbox: Sandbox, bot: WebClient, alice: User) -> None:
    view = bot.views_publish(user_id=alice.id, view=home("hello"))["view"]
    assert view["blocks"][0]["block_id"]
