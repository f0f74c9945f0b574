"""What the FAQ promises in its own words: the wellbeing answer, the decline, and commands that exist."""

import re

import pytest

from bot.domain.faq import COORDINATORS_PLACEHOLDER, load_knowledge_base
from bot.domain.faq.distress import WELLBEING_TOPIC
from bot.domain.faq.entry import WELLBEING_CONTACTS_PLACEHOLDER
from bot.domain.faq.knowledge_base import decline_message, default_wellbeing_contacts
from bot.domain.programs import InvalidSettings, ProgramSettings, settings_from_form
from handlers import admin, admin_faq, change, faq, goals, help, meetings, my_data, profile

KB = load_knowledge_base()
WELLBEING = next(e for e in KB.entries if e.id == WELLBEING_TOPIC)
MENTOR_COMMANDS = {
    word
    for module in (change, faq, goals, help, meetings, my_data, profile)
    for spec in vars(module).values()
    if hasattr(spec, "usage") and hasattr(spec, "aliases") and spec is not admin.ADMIN
    for word in (spec.name, *spec.aliases)
}
NAMED_COMMAND = re.compile(r"`/mentor ([a-z?-]+)")


def test_the_wellbeing_answer_shows_the_default_contacts_when_the_program_has_none():
    text = WELLBEING.answer_with("<@U1>", default_wellbeing_contacts())
    assert WELLBEING_CONTACTS_PLACEHOLDER not in text
    assert "program director" in text and "assistance program" in text
    assert "988" in text and "emergency services" in text
    assert text.index("program director") < text.index("988") < text.index("How mentors and peers help")


def test_the_wellbeing_answer_shows_a_programs_own_contacts_first():
    contacts = "• *Your program's wellbeing contacts*: Dr. Osei, 555-0134"
    text = WELLBEING.answer_with("<@U1>", contacts)
    assert text.index("Dr. Osei") < text.index("988"), "the program's contacts come first"
    assert "program director" not in text, "the program's own contacts replace the general default"
    assert "emergency services" in text, "the emergency line always stays"


def test_the_placeholders_are_used_only_where_they_belong():
    holders = {e.id for e in KB.entries if WELLBEING_CONTACTS_PLACEHOLDER in e.answer}
    assert holders == {WELLBEING_TOPIC}
    assert COORDINATORS_PLACEHOLDER not in WELLBEING.answer


def test_the_wellbeing_answer_promises_only_a_count_reaches_coordinators():
    assert "never your words or your name" in WELLBEING.answer


def test_the_decline_says_how_to_reach_the_coordinators():
    text = decline_message("<@UCOORD>")
    assert "<@UCOORD>" in text and "direct message" in text


@pytest.mark.parametrize("entry", KB.entries, ids=lambda e: e.id)
def test_answers_name_only_commands_that_exist(entry):
    for word in NAMED_COMMAND.findall(entry.answer):
        assert word in MENTOR_COMMANDS, (entry.id, word)
    assert "/mentor schedule" not in entry.answer


def test_admin_faq_usage_lists_the_questions_subcommand():
    assert "/mentor admin faq questions" in admin_faq.FAQ_ADMIN.usage


def test_wellbeing_contacts_are_a_program_setting():
    assert ProgramSettings.from_json({}).wellbeing_contacts == ""
    changed = settings_from_form(ProgramSettings(), {"wellbeing_contacts": "  Dr. Osei, 555-0134\n"})
    assert changed.wellbeing_contacts == "Dr. Osei, 555-0134"
    assert ProgramSettings.from_json(changed.to_json()) == changed
    with pytest.raises(InvalidSettings) as error:
        settings_from_form(ProgramSettings(), {"wellbeing_contacts": "x" * 1001})
    assert "wellbeing_contacts" in error.value.errors


@pytest.mark.parametrize(
    "question",
    ["reset my voicemail pin", "can my mentor come to my graduation", "research mentor parking"],
)
def test_a_decline_offers_only_topics_that_really_came_close(builtin_index, question):
    result = builtin_index.search(question)
    assert result.declined
    closest = result.closest()
    assert len(closest) <= 3
    floor = result.closest_floor
    assert floor > 0
    scores = {s.entry.id: s.score for s in result.ranked}
    assert all(scores[e.id] >= floor for e in closest)


def test_a_near_miss_still_offers_its_neighbours(builtin_index):
    result = builtin_index.search("mentor circles retreat registration")
    assert result.declined
    assert "how-to-join" in [e.id for e in result.closest()]


def test_the_change_topic_names_the_real_command_once():
    entry = next(e for e in KB.entries if e.id == "change-mentor")
    assert entry.answer.count("`/mentor change`") == 1
