"""Integrity of the shipped knowledge base: one entry per topic, working links, sizes, own wording."""

import re

import pytest
import yaml
from rapidfuzz import fuzz

from bot.domain.faq import COORDINATORS_PLACEHOLDER, MAX_ANSWER_CHARS, load_knowledge_base
from bot.domain.faq.evaluation import load_questions
from bot.domain.faq.knowledge_base import read_knowledge_base_text
from bot.domain.faq.text import normalize_text

KB = load_knowledge_base()
CATEGORIES = {
    "Mentorship basics",
    "Academic medicine",
    "Private practice",
    "The mentoring relationship",
    "Building your network",
    "Using Mentor Circles",
}
PRODUCT_COMMAND = re.compile(r"`/mentor [a-z?-]+")


def test_every_topic_has_exactly_one_entry(topics_file):
    topic_ids = [t["id"] for t in yaml.safe_load(topics_file.read_text())["topics"]]
    ids = [e.id for e in KB.entries]
    assert len(topic_ids) == 39
    assert sorted(ids) == sorted(topic_ids)
    assert len(ids) == len(set(ids))


def test_data_file_has_a_header_comment_explaining_fields_and_placeholder():
    header = read_knowledge_base_text().split("\ndecline_message:")[0]
    for field in ("id", "title", "category", "answer", "related", "keywords", "phrasings", "{coordinators}"):
        assert field in header


@pytest.mark.parametrize("entry", KB.entries, ids=lambda e: e.id)
def test_entry_shape(entry):
    known = {e.id for e in KB.entries}
    assert entry.title and len(entry.title) <= 60
    assert entry.category in CATEGORIES
    assert 300 <= len(entry.answer) <= 900 < MAX_ANSWER_CHARS
    assert 1 <= len(entry.related) <= 3
    assert set(entry.related) <= known and entry.id not in entry.related
    assert len(entry.keywords) >= 8 and len(entry.phrasings) >= 4
    assert entry.workspace_id is None and entry.source == "builtin"


@pytest.mark.parametrize("entry", KB.entries, ids=lambda e: e.id)
def test_answers_are_slack_mrkdwn(entry):
    assert "**" not in entry.answer, "Slack bold is *single* asterisks"
    assert not re.search(r"^\s*[-*] ", entry.answer, re.M), "bullets use •"
    assert "](" not in entry.answer, "no Markdown links"


def test_product_topics_name_real_commands():
    for entry in KB.entries:
        if entry.category == "Using Mentor Circles" and entry.id != "contact-coordinator":
            assert PRODUCT_COMMAND.search(entry.answer), entry.id


def test_coordinators_placeholder_only_where_intended():
    holders = {e.id for e in KB.entries if COORDINATORS_PLACEHOLDER in e.answer}
    assert holders == {"contact-coordinator"}
    assert COORDINATORS_PLACEHOLDER in KB.decline_message


def test_example_phrasings_are_not_copies_of_the_evaluation_questions(heldout_set, dev_set):
    evaluation = [q.question for q in load_questions(heldout_set)]
    evaluation += [q.question for q in load_questions(dev_set)]
    for entry in KB.entries:
        for phrasing in (entry.title, *entry.phrasings):
            for question in evaluation:
                similarity = fuzz.ratio(normalize_text(phrasing), normalize_text(question))
                assert similarity < 85, (entry.id, phrasing, question)


def test_heldout_set_is_worded_differently_from_the_dev_set(heldout_set, dev_set):
    dev = [normalize_text(q.question) for q in load_questions(dev_set)]
    heldout = load_questions(heldout_set)
    assert len(heldout) >= 120
    none_share = sum(q.topic == "none" for q in heldout) / len(heldout)
    assert 0.12 <= none_share <= 0.2
    for question in heldout:
        assert max(fuzz.ratio(normalize_text(question.question), d) for d in dev) < 85, question


def test_heldout_labels_are_real_topics(heldout_set):
    ids = {e.id for e in KB.entries} | {"none"}
    assert {q.topic for q in load_questions(heldout_set)} <= ids
