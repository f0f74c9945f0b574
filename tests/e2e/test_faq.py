"""`/mentor ask` and the workspace FAQ, through the running app and the sandbox."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.presentation.faq import ALREADY_PASSED_ON, PASS_ON_ASK, PASSED_ON
from storage.models import FaqFeedback, FaqMiss, WorkspaceFaq
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.test_help_over_http import block_text


def wait_response(sent, count: int = 1) -> dict:
    responses = sent.wait_for_response(count, timeout=10)
    assert len(responses) >= count, "the app answered through response_url"
    return responses[count - 1]


def count(running_app: RunningApp, model) -> int:
    with running_app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_ask_answers_with_related_and_feedback_buttons(running_app: RunningApp, alice) -> None:
    sent = running_app.session(alice).slash_command(
        "/mentor", "ask whats a good way to negotiate my first attending contract"
    )
    assert sent.status == 200
    body = sent.reply()
    assert body["response_type"] == "ephemeral"
    assert body["blocks"][0]["type"] == "header"
    action_ids = [e["action_id"] for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert action_ids[-2:] == ["faq_helpful", "faq_not_helpful"]
    assert 1 <= len([a for a in action_ids if a.startswith("faq_related_")]) <= 3
    assert "contract" in block_text(body["blocks"]).lower()


def test_aliases_and_usage_help(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    for command in ("faq how do I log a meeting", "? how do I log a meeting"):
        body = session.slash_command("/mentor", command).reply()
        assert "/mentor met" in block_text(body["blocks"])
    empty = session.slash_command("/mentor", "ask").reply()
    assert "Ask me something after the command" in empty["text"]
    long = session.slash_command("/mentor", "ask " + "why " * 200).reply()
    assert "500 characters" in long["text"]
    assert count(running_app, FaqMiss) == 0


def test_off_topic_is_declined_and_kept_for_the_report(running_app: RunningApp, alice, coordinator) -> None:
    session = running_app.session(alice)
    body = session.slash_command("/mentor", "ask where can I park my car tonight").reply()
    assert f"<@{coordinator.id}>" in block_text(body["blocks"]), (
        "the decline says how to reach the coordinators"
    )
    assert "faq_helpful" not in json.dumps(body)
    nearby = session.slash_command(
        "/mentor", "ask can my mentor write my fellowship letter of recommendation"
    ).reply()
    if not any(b.get("block_id") == "faq_closest" for b in nearby["blocks"]):
        assert nearby["blocks"][0]["type"] == "header", "answered instead of declined"
    with running_app.services.db.session() as db_session:
        misses = db_session.scalars(select(FaqMiss).order_by(FaqMiss.id)).all()
        assert (misses[0].question, misses[0].reason) == (None, "declined"), "counted, words not kept"


def test_a_declined_question_is_kept_only_when_the_asker_passes_it_on(
    running_app: RunningApp, alice, coordinator
) -> None:
    session = running_app.session(alice)
    body = session.slash_command("/mentor", "ask where can I park my car tonight").reply()
    assert PASS_ON_ASK in block_text(body["blocks"]), "the asker is asked before their words leave them"
    assert "closest topics below" not in block_text(body["blocks"])
    with running_app.services.db.session() as db_session:
        assert db_session.scalars(select(FaqMiss.question)).all() == [None]
    passed = wait_response(session.click("faq_pass_on"))
    assert passed["text"] == PASSED_ON
    again = session.click("faq_pass_on")
    assert wait_response(again)["text"] == ALREADY_PASSED_ON
    with running_app.services.db.session() as db_session:
        kept = db_session.scalars(select(FaqMiss)).all()
        assert [(m.question, m.reason) for m in kept] == [("where can I park my car tonight", "declined")]


def test_related_button_shows_that_answer(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    first = session.slash_command("/mentor", "ask how do I find a mentor in private practice")
    related = next(b for b in first.reply()["blocks"] if b.get("block_id") == "faq_related")["elements"][0]
    clicked = session.click(related["action_id"])
    shown = wait_response(clicked)
    assert shown["replace_original"] is True
    assert (
        shown["blocks"][0]["text"]["text"] == related["text"]["text"][:150].rstrip("…")
        or shown["blocks"][0]["type"] == "header"
    )
    assert related["value"] in json.dumps(shown["blocks"])


def test_feedback_is_stored_and_not_helpful_counts_the_question(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    session.slash_command("/mentor", "ask how do I pause reminders while on vacation")
    wait_response(session.click("faq_not_helpful"))
    session.slash_command("/mentor", "ask what is a sponsor")
    thanked = wait_response(session.click("faq_helpful"))
    assert "glad it helped" in block_text(thanked["blocks"])
    with running_app.services.db.session() as session_:
        feedback = session_.execute(select(FaqFeedback.topic_id, FaqFeedback.helpful)).all()
        misses = session_.execute(select(FaqMiss.question, FaqMiss.reason)).all()
    assert sorted(feedback) == [("pause-or-leave", False), ("sponsorship", True)]
    assert misses == [(None, "not_helpful")], "not helpful is counted; the words wait for consent"


def test_a_second_press_on_the_same_answer_is_not_counted_again(running_app: RunningApp, alice) -> None:
    """Two presses on one answer (a double click, or 👍 then 👎 on a button Slack still shows) count once."""
    session = running_app.session(alice)
    session.slash_command("/mentor", "ask what is a sponsor")
    answer = next(
        item
        for item in reversed(running_app.sandbox.state.feed.items(running_app.workspace.team_id, alice.id))
        if item.kind == "ephemeral" and "faq_helpful" in json.dumps(item.blocks)
    )
    wait_response(session.message_action(answer, "faq_helpful"))
    again = wait_response(session.message_action(answer, "faq_not_helpful"))
    assert again["text"] == "You've already told me how this answer did, and it's recorded. Thank you!"
    with running_app.services.db.session() as session_:
        assert session_.execute(select(FaqFeedback.topic_id, FaqFeedback.helpful)).all() == [
            ("sponsorship", True)
        ]
        assert session_.scalars(select(FaqMiss)).all() == [], "the ignored 👎 counted no miss either"
    session.slash_command("/mentor", "ask what is a sponsor")
    wait_response(session.click("faq_not_helpful"))
    with running_app.services.db.session() as session_:
        assert len(session_.scalars(select(FaqFeedback)).all()) == 2, "a new answer takes a new vote"


def test_topic_browser_lists_categories_and_opens_a_topic(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    body = session.slash_command("/mentor", "faq").reply()
    selects = [
        b["accessory"] for b in body["blocks"] if b.get("accessory", {}).get("action_id") == "faq_browse"
    ]
    assert len(selects) >= 4
    topics = {o["value"] for s in selects for o in s["options"]}
    assert {"privacy", "sponsorship", "contract-negotiation"} <= topics
    first_topic = selects[0]["options"][1]
    shown = wait_response(session.click("faq_browse", first_topic["value"]))
    assert shown["blocks"][0] == {"type": "header", "text": first_topic["text"]}
    assert first_topic["value"] in json.dumps(shown["blocks"]), "feedback buttons carry the topic id"


def add_entry(running_app: RunningApp, user, title: str, answer: str, keywords: str = ""):
    session = running_app.session(user)
    assert session.slash_command("/mentor", "admin faq add").status == 200
    wait_for_modal(session, "faq_entry")
    return submit_entry(session, title, answer, keywords)


def submit_entry(session, title: str, answer: str, keywords: str):
    return session.view_submission(values={"title": title, "answer": answer, "keywords": keywords})


def test_coordinator_adds_edits_and_removes_an_entry(running_app: RunningApp, coordinator, alice) -> None:
    question = "when is the mentorship kickoff dinner"
    before = running_app.session(alice).slash_command("/mentor", f"ask {question}").reply()
    assert "Thursday" not in block_text(before["blocks"])

    saved = add_entry(
        running_app,
        coordinator,
        "When is the kickoff dinner?",
        "Thursday Sept 5, 6pm, in the Osler room.",
        "kickoff, dinner, welcome",
    )
    assert saved.body["response_action"] == "update"
    after = running_app.session(alice).slash_command("/mentor", f"ask {question}").reply()
    assert "Thursday Sept 5" in block_text(after["blocks"])

    session = running_app.session(coordinator)
    listing = session.slash_command("/mentor", "admin faq list").reply()
    assert "When is the kickoff dinner?" in block_text(listing["blocks"])
    session.click("faq_admin_edit")
    wait_for_modal(session, "faq_entry")
    submit_entry(session, "When is the kickoff dinner?", "Moved: Friday Sept 6, 6pm.", "kickoff, dinner")
    edited = running_app.session(alice).slash_command("/mentor", f"ask {question}").reply()
    assert "Friday Sept 6" in block_text(edited["blocks"])
    assert count(running_app, WorkspaceFaq) == 1

    session.slash_command("/mentor", "admin faq list")
    removed = wait_response(session.click("faq_admin_remove"))
    assert "no FAQ entries of its own yet" in block_text(removed["blocks"])
    assert count(running_app, WorkspaceFaq) == 0
    gone = running_app.session(alice).slash_command("/mentor", f"ask {question}").reply()
    assert "Friday" not in block_text(gone["blocks"])


def test_invalid_entry_gets_inline_errors_and_saves_nothing(running_app: RunningApp, coordinator) -> None:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", "admin faq add")
    wait_for_modal(session, "faq_entry")
    sent = submit_entry(session, "   ", "x" * 2950, "")
    assert sent.body["response_action"] == "errors"
    assert set(sent.body["errors"]) == {"title", "answer"}
    assert count(running_app, WorkspaceFaq) == 0


def test_non_coordinators_are_refused_and_nothing_changes(
    running_app: RunningApp, alice, coordinator
) -> None:
    add_entry(running_app, coordinator, "Who is our mentorship lead?", "Dr. Rivera leads mentorship.", "lead")
    opened_before = len(running_app.sandbox.calls("views.open"))
    session = running_app.session(alice)
    for command in ("admin faq add", "admin faq list", "admin"):
        body = session.slash_command("/mentor", command).reply()
        assert "only for your program's coordinators" in body["text"]
    assert len(running_app.sandbox.calls("views.open")) == opened_before

    running_app.session(coordinator).slash_command("/mentor", "admin faq list")
    listing = running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)[-1]
    for action_id in ("faq_admin_remove", "faq_admin_edit"):
        forged = session.message_action(listing, action_id)
        refusal = forged.wait_for_response(1, 5)
        assert "only for your program's coordinators" in refusal[0]["text"]
    assert len(running_app.sandbox.calls("views.open")) == opened_before
    assert count(running_app, WorkspaceFaq) == 1


@pytest.fixture
def second_workspace(running_app: RunningApp):
    other = running_app.sandbox.add_workspace("T0MERCY1", name="Mercy Residency")
    return other


def test_workspace_entries_never_leak_between_workspaces(
    running_app: RunningApp, coordinator, second_workspace
) -> None:
    add_entry(
        running_app,
        coordinator,
        "Where is the resident lounge?",
        "Third floor, next to the library.",
        "lounge",
    )
    mine = (
        running_app.session(coordinator).slash_command("/mentor", "ask where is the resident lounge").reply()
    )
    assert "Third floor" in block_text(mine["blocks"])

    stranger = running_app.sandbox.add_user(second_workspace.team_id, "sam", "Sam Stone")
    session = running_app.sandbox.as_user(
        second_workspace.team_id, stranger.id, running_app.sandbox.http_transport(running_app.events_url)
    )
    theirs = session.slash_command("/mentor", "ask where is the resident lounge").reply()
    assert "Third floor" not in json.dumps(theirs)


def test_a_forged_faq_submission_from_a_non_coordinator_saves_nothing(
    running_app: RunningApp, alice, coordinator
) -> None:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", "admin faq add")
    wait_for_modal(session, "faq_entry")
    modal = session.current_modal()
    forged = running_app.session(alice).view_submission(
        modal, values={"title": "Free pizza?", "answer": "Always.", "keywords": ""}
    )
    assert forged.status == 200
    assert count(running_app, WorkspaceFaq) == 0
    refusals = running_app.sandbox.state.wait_for_calls("chat.postMessage", 1, 5)
    assert "only for your program's coordinators" in refusals[-1].args["text"]
