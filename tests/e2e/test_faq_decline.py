"""A decline that helps: it says so, offers only topics that really came close (or none, promising none),
and says how to reach the coordinators, through the running app and the sandbox."""

from __future__ import annotations

from tests.e2e.conftest import RunningApp
from tests.e2e.test_faq import wait_response
from tests.e2e.test_help_over_http import block_text


def closest_buttons(body: dict) -> list[dict]:
    return [e for b in body["blocks"] if b.get("block_id") == "faq_closest" for e in b["elements"]]


def test_nothing_close_offers_no_topics_and_promises_none(
    running_app: RunningApp, alice, coordinator
) -> None:
    body = running_app.session(alice).slash_command("/mentor", "ask where can I park my car tonight").reply()
    text = block_text(body["blocks"])
    assert closest_buttons(body) == []
    assert "came closest" not in text and "below" not in text
    assert f"<@{coordinator.id}>" in text and "direct message" in text


def test_near_topics_are_offered_and_open(running_app: RunningApp, alice, coordinator) -> None:
    session = running_app.session(alice)
    body = session.slash_command("/mentor", "ask mentor circles retreat registration").reply()
    buttons = closest_buttons(body)
    assert 1 <= len(buttons) <= 3
    assert "how-to-join" in [b["value"] for b in buttons]
    assert "came closest" in block_text(body["blocks"])
    assert f"<@{coordinator.id}>" in block_text(body["blocks"])
    shown = wait_response(session.click(buttons[0]["action_id"]))
    assert shown["blocks"][0]["type"] == "header"
