"""Residents in distress reach the wellbeing answer, with their program's own contacts when it set them,
through the running app and the sandbox; the question is counted and its words kept nowhere."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.domain.faq.distress import WELLBEING_TOPIC
from bot.domain.faq.knowledge_base import load_knowledge_base
from storage.models import FaqMiss, FaqWellbeingAsk
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.members import join
from tests.e2e.test_help_over_http import block_text
from tests.e2e.test_my_data import database_rows

TITLE = next(e.title for e in load_knowledge_base().entries if e.id == WELLBEING_TOPIC)
QUESTION = "im a pgy-2 and feel totally burnt out, who do i talk to"


def count(running_app: RunningApp, model) -> int:
    with running_app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def set_contacts(running_app: RunningApp, coordinator, program: str, contacts: str) -> None:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", f"admin program edit {program}")
    wait_for_modal(session, "program_settings")
    answer = session.view_submission(values={"wellbeing_contacts": contacts}).body
    assert not answer or answer.get("response_action") != "errors", answer


def ask(running_app: RunningApp, user, question: str) -> dict:
    return running_app.session(user).slash_command("/mentor", f"ask {question}").reply()


def test_distress_gets_the_wellbeing_answer_with_the_default_contacts(running_app: RunningApp, alice) -> None:
    body = ask(running_app, alice, QUESTION)
    assert body["blocks"][0]["type"] == "header" and body["blocks"][0]["text"]["text"] == TITLE
    text = block_text(body["blocks"])
    assert "program director" in text and "assistance program" in text
    assert "988" in text and "emergency services" in text
    assert "faq_pass_on" not in json.dumps(body), "answered, not declined"
    terse = ask(running_app, alice, "burnout")
    assert terse["blocks"][0]["text"]["text"] == TITLE, "ahead of the practice owners' burnout advice"
    typo = ask(running_app, alice, "so exausted and overwhelmd i cant think")
    assert typo["blocks"][0]["text"]["text"] == TITLE


def test_distress_is_counted_and_its_words_kept_nowhere(running_app: RunningApp, alice) -> None:
    ask(running_app, alice, "drowning on nights and cant cope anymore")
    ask(running_app, alice, QUESTION)
    assert count(running_app, FaqWellbeingAsk) == 2
    assert count(running_app, FaqMiss) == 0
    stored = json.dumps(database_rows(running_app), default=str)
    for words in ("drowning", "burnt out", "cant cope"):
        assert words not in stored


def test_the_programs_own_contacts_are_shown_first(running_app: RunningApp, coordinator, alice) -> None:
    set_contacts(
        running_app, coordinator, "Mentor Circles", "Dr. Osei (wellbeing lead), pager 4471 & #peer-support"
    )
    body = ask(running_app, alice, QUESTION)
    text = block_text(body["blocks"])
    assert "Dr. Osei (wellbeing lead), pager 4471 &amp; #peer-support" in text, "shown, escaped for mrkdwn"
    assert text.index("Dr. Osei") < text.index("988"), "the program's contacts come first"
    assert "program director" not in text
    assert "emergency services" in text


def test_a_member_sees_their_own_programs_contacts(running_app: RunningApp, coordinator, alice) -> None:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", "admin program add Surgery residents")
    set_contacts(running_app, coordinator, "Mentor Circles", "Ms. Lind, 555-0100")
    set_contacts(running_app, coordinator, "Surgery residents", "Dr. Park, surgery wellbeing, 555-0199")
    join(running_app, alice)
    enrolled = ask(running_app, alice, "overwhelmed")
    assert "Ms. Lind" in block_text(enrolled["blocks"])
    assert "Dr. Park" not in block_text(enrolled["blocks"]), "only the asker's programs"


def test_wellbeing_opened_from_the_topic_browser_has_contacts_too(
    running_app: RunningApp, coordinator, alice
) -> None:
    set_contacts(running_app, coordinator, "Mentor Circles", "Ms. Lind, 555-0100")
    session = running_app.session(alice)
    browser = session.slash_command("/mentor", "faq").reply()
    block_id = next(
        b["block_id"]
        for b in browser["blocks"]
        if any(o["value"] == WELLBEING_TOPIC for o in b.get("accessory", {}).get("options", []))
    )
    item = running_app.sandbox.state.feed.items(running_app.workspace.team_id, alice.id)[-1]
    sent = session.message_action(item, "faq_browse", WELLBEING_TOPIC, block_id=block_id)
    shown = sent.wait_for_response(1, timeout=10)[0]
    assert "Ms. Lind" in block_text(shown["blocks"])
    assert count(running_app, FaqWellbeingAsk) == 0, "browsing is not a question"


def test_too_long_contacts_get_an_inline_error_and_change_nothing(
    running_app: RunningApp, coordinator, alice
) -> None:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", "admin program edit Mentor Circles")
    wait_for_modal(session, "program_settings")
    modal = session.current_modal()
    block = next(b for b in modal.payload["blocks"] if b.get("block_id") == "wellbeing_contacts")
    assert block["element"]["max_length"] == 1000 and block["optional"] is True
    answer = session.view_submission(values={"wellbeing_contacts": "Dr. Osei " * 120}).body
    assert answer["response_action"] == "errors" and set(answer["errors"]) == {"wellbeing_contacts"}
    assert "Dr. Osei" not in block_text(ask(running_app, alice, QUESTION)["blocks"])


def test_a_long_outpouring_gets_the_wellbeing_answer_not_a_length_limit(
    running_app: RunningApp, alice
) -> None:
    story = "Every shift this month has gone wrong and I feel like I'm failing everyone around me. " * 6
    body = ask(running_app, alice, story + "I'm burnt out and I don't know who to talk to.")
    assert body["blocks"][0]["text"]["text"] == TITLE
    assert "500 characters" not in json.dumps(body)
