"""Coordinators answer the questions people passed on (with consent): one click maps a question to a topic,
which then answers it in that workspace only, or starts an entry pre-filled with it."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.domain.faq import load_knowledge_base
from bot.presentation.faq import LEARN_DISMISS, LEARN_ENTRY, LEARN_TOPIC, PASSED_ON_TEXT
from storage.models import FaqMiss, WorkspaceFaq
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.test_faq import count, wait_response
from tests.e2e.test_help_over_http import block_text

QUESTION = "where do we park for the circle dinner at the lake house"
KEPT_TO_HIMSELF = "is the gym on the third floor open on sundays"
TITLES = {e.id: e.title for e in load_knowledge_base().entries}


def ask(running_app: RunningApp, user, question: str, workspace=None) -> dict:
    return running_app.session(user, workspace).slash_command("/mentor", f"ask {question}").reply()


def declined(body: dict) -> bool:
    return body["blocks"][0]["type"] != "header"


def pass_on(running_app: RunningApp, user, question: str) -> None:
    session = running_app.session(user)
    assert declined(session.slash_command("/mentor", f"ask {question}").reply())
    wait_response(session.click("faq_pass_on"))


def questions_listing(running_app: RunningApp, coordinator) -> dict:
    return running_app.session(coordinator).slash_command("/mentor", "admin faq questions").reply()


def test_the_list_holds_only_passed_on_questions_and_never_who_or_when(
    running_app: RunningApp, alice, coordinator
) -> None:
    pass_on(running_app, alice, QUESTION)
    assert declined(ask(running_app, alice, KEPT_TO_HIMSELF)), "asked, not passed on"
    ask(running_app, alice, "drowning on every night shift")
    listing = questions_listing(running_app, coordinator)
    assert listing["text"] == PASSED_ON_TEXT
    text = block_text(listing["blocks"])
    assert QUESTION in text and KEPT_TO_HIMSELF not in text
    assert "drowning" not in json.dumps(listing)
    assert alice.id not in json.dumps(listing) and "Alice" not in json.dumps(listing)
    assert "1 question was answered with the wellbeing topic" in text, "counted, never shown"
    selects = [
        e
        for b in listing["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == LEARN_TOPIC
    ]
    assert len(selects) == 1
    offered = {o["value"] for g in selects[0]["option_groups"] for o in g["options"]}
    assert set(TITLES) <= offered, "every topic can be chosen"


def test_mapping_a_question_answers_it_next_time_in_that_workspace_only(
    running_app: RunningApp, alice, coordinator
) -> None:
    pass_on(running_app, alice, QUESTION)
    questions_listing(running_app, coordinator)
    mapped = wait_response(running_app.session(coordinator).click(LEARN_TOPIC, "how-circles-work"))
    assert mapped["replace_original"] is True
    assert "now answered with *How circles and matches are made*" in block_text(mapped["blocks"])
    assert "No questions are waiting" in block_text(mapped["blocks"])

    again = ask(running_app, alice, QUESTION)
    assert again["blocks"][0]["text"]["text"] == TITLES["how-circles-work"]
    similar = ask(running_app, alice, "parking for the circle dinner?")
    assert similar["blocks"][0]["text"]["text"] == TITLES["how-circles-work"]

    other = running_app.sandbox.add_workspace("T0MERCY1", name="Mercy Residency")
    sam = running_app.sandbox.add_user(other.team_id, "sam", "Sam Stone")
    assert declined(ask(running_app, sam, QUESTION, other)), "the other workspace learned nothing"


def test_an_entry_written_from_a_question_is_pre_filled_and_answers_it(
    running_app: RunningApp, alice, coordinator
) -> None:
    pass_on(running_app, alice, QUESTION)
    session = running_app.session(coordinator)
    questions_listing(running_app, coordinator)
    session.click(LEARN_ENTRY)
    wait_for_modal(session, "faq_entry")
    modal = session.current_modal()
    title = next(b for b in modal.payload["blocks"] if b["block_id"] == "title")
    assert title["element"]["initial_value"] == QUESTION
    saved = session.view_submission(
        values={
            "title": QUESTION,
            "answer": "Park in the gravel lot by the boathouse.",
            "keywords": "parking",
        }
    )
    assert saved.body["response_action"] == "update"
    answered = ask(running_app, alice, QUESTION)
    assert "gravel lot" in block_text(answered["blocks"])
    assert count(running_app, WorkspaceFaq) == 1
    assert "No questions are waiting" in block_text(questions_listing(running_app, coordinator)["blocks"])


def test_dismissing_takes_a_question_off_the_list_and_teaches_nothing(
    running_app: RunningApp, alice, coordinator
) -> None:
    pass_on(running_app, alice, QUESTION)
    questions_listing(running_app, coordinator)
    dismissed = wait_response(running_app.session(coordinator).click(LEARN_DISMISS))
    assert "No questions are waiting" in block_text(dismissed["blocks"])
    assert declined(ask(running_app, alice, QUESTION))


def test_erasure_takes_the_learned_words_away_too(running_app: RunningApp, alice, coordinator) -> None:
    pass_on(running_app, alice, QUESTION)
    questions_listing(running_app, coordinator)
    wait_response(running_app.session(coordinator).click(LEARN_TOPIC, "how-circles-work"))
    assert not declined(ask(running_app, alice, QUESTION))
    session = running_app.session(alice)
    session.slash_command("/mentor", "delete-my-data").reply()
    wait_response(session.click("my_data_delete"))
    with running_app.services.db.session() as db_session:
        assert db_session.scalars(select(FaqMiss.question)).all() == [None]
    assert declined(ask(running_app, alice, QUESTION)), "the words were the asker's; they are gone"


def test_non_coordinators_cannot_list_or_map(running_app: RunningApp, alice, coordinator) -> None:
    pass_on(running_app, alice, QUESTION)
    refused = running_app.session(alice).slash_command("/mentor", "admin faq questions").reply()
    assert "only for your program's coordinators" in refused["text"]
    questions_listing(running_app, coordinator)
    listing = running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)[-1]
    forged = running_app.session(alice).message_action(listing, LEARN_TOPIC, "how-circles-work")
    assert "only for your program's coordinators" in forged.wait_for_response(1, 5)[0]["text"]
    assert declined(ask(running_app, alice, QUESTION))
    with running_app.services.db.session() as db_session:
        assert db_session.scalars(select(FaqMiss.resolved_topic_id)).all() == [None, None]
