"""Talking to the app in its Messages tab: `message.im` events, signed and delivered as Slack delivers
them, get a DM back: the FAQ answer to a question, and what `/mentor <word>` does for a command word."""

from __future__ import annotations

from typing import Any

from bot.sandbox import FeedItem, UserSession
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import join, member_row
from tests.e2e.test_echo_escaping import assert_safe, shown


def bot_posts(running_app: RunningApp, session: UserSession) -> list[FeedItem]:
    """Messages the app posted into this member's DM with it."""
    bot = running_app.workspace.bot_user_id
    dm = session.dm().id
    return [
        item
        for item in running_app.sandbox.state.feed.items(running_app.workspace.team_id, session.user.id)
        if item.kind == "message" and item.channel == dm and item.data.get("user") == bot
    ]


def say_and_wait(running_app: RunningApp, session: UserSession, text: str) -> dict[str, Any]:
    """Send a DM, check it is acked at once and empty, and return the one reply it gets."""
    before = len(bot_posts(running_app, session))
    sent = session.say(text)
    assert sent.status == 200
    assert not sent.body
    assert running_app.sandbox.state.feed.wait_until(
        lambda: len(bot_posts(running_app, session)) > before, 10
    ), f"no reply to {text!r}"
    settle_effects(running_app)
    replies = bot_posts(running_app, session)[before:]
    assert len(replies) == 1
    return {"text": replies[0].text, "blocks": replies[0].blocks or []}


def test_a_question_gets_the_faq_answer(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    asked = say_and_wait(running_app, session, "How do I find a mentor?")
    slash = session.slash_command("/mentor", "ask How do I find a mentor?").reply()
    assert asked["text"] == slash["text"]
    assert any(block.get("block_id") == "faq_feedback" for block in asked["blocks"]) == any(
        block.get("block_id") == "faq_feedback" for block in slash["blocks"]
    )
    posted = running_app.sandbox.calls("chat.postMessage")
    assert posted and posted[-1].args["channel"] == alice.id


def test_help_with_words_that_name_no_command_is_a_question(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    asked = say_and_wait(running_app, session, "help me find a mentor")
    slash = session.slash_command("/mentor", "ask help me find a mentor").reply()
    assert asked["text"] == slash["text"] and "I don't have any help on" not in asked["text"]
    topic = say_and_wait(running_app, session, "help goals")
    assert topic["text"].startswith("/mentor goals")


def test_command_words_work_as_the_slash_command_does(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    session = running_app.session(alice)
    help_reply = say_and_wait(running_app, session, "help")
    assert "/mentor help" in shown(help_reply)
    added = say_and_wait(running_app, session, "goal add Present a case at M&amp;M by June")
    assert "Added goal 1" in shown(added) and "M&amp;M" in shown(added)
    goals = say_and_wait(running_app, session, "/mentor goals")
    assert "Present a case at M&amp;M" in shown(goals)
    paused = say_and_wait(running_app, session, "pause")
    assert "pause" in shown(paused).lower()
    assert member_row(running_app, alice).status == "paused"


def test_join_offers_the_form_behind_a_button(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    reply = say_and_wait(running_app, session, "join")
    assert [e["action_id"] for b in reply["blocks"] for e in b.get("elements", []) if "action_id" in e] == [
        "home_join"
    ]


def test_typed_markup_is_echoed_safely(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    reply = say_and_wait(running_app, session, "<!channel>")
    assert_safe(reply)


def test_edits_bot_messages_and_retries_get_no_reply(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    first = session.say("goals")
    assert running_app.sandbox.state.feed.wait_until(lambda: len(bot_posts(running_app, session)) == 1, 10)
    settle_effects(running_app)
    retried = session.retry(first)
    assert retried.status == 200
    edited = session.edit(first.payload["event"]["ts"], "help")
    assert edited.status == 200
    own = session.event(
        {
            "type": "message",
            "channel": session.dm().id,
            "user": running_app.workspace.bot_user_id,
            "bot_id": "B0APP",
            "text": "help",
            "ts": running_app.sandbox.state.messaging.next_ts(),
            "channel_type": "im",
        }
    )
    assert own.status == 200
    elsewhere = running_app.session(alice).event(
        {
            "type": "message",
            "channel": "C0GENERAL",
            "user": alice.id,
            "text": "help",
            "ts": running_app.sandbox.state.messaging.next_ts(),
            "channel_type": "channel",
        }
    )
    assert elsewhere.status == 200
    settle_effects(running_app)
    assert len(bot_posts(running_app, session)) == 1
    assert len(running_app.sandbox.calls("chat.postMessage")) == 1


def test_a_command_that_opens_a_form_says_how_to_open_it(running_app: RunningApp, coordinator) -> None:
    session = running_app.session(coordinator)
    asked = say_and_wait(running_app, session, "admin faq add")
    assert "I can only open forms from a slash command or a button" in asked["text"]
    assert "`/mentor admin faq add`" in asked["text"]
    assert not running_app.sandbox.calls("views.open")
    unknown = say_and_wait(running_app, session, "admin announce <!channel>")
    assert "<!channel>" not in unknown["text"] and "“&lt;!channel&gt;”" in unknown["text"]
