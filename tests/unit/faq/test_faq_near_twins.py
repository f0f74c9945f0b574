"""Topics that sit close together are told apart by what a question is about, in phrasings of our own."""

import pytest

from bot.domain.faq import load_knowledge_base
from bot.domain.faq.text import normalize_text, stem, tokenize

CASES = [
    # several mentors at once (the structure) vs working out what you need (the assessment)
    ("one person can't be my mentor for everything, should I have a few", "team-mentorship"),
    ("my department offers a mentoring committee instead of one mentor, is that better", "team-mentorship"),
    ("is it risky to depend on a single mentor for my whole career", "team-mentorship"),
    ("how do I take stock of where I need guidance in my career", "map-your-needs"),
    ("which parts of my career need a mentor first: leadership, money or clinical skills", "map-your-needs"),
    ("I want to work out my gaps before looking for mentors", "map-your-needs"),
    # mentors from both settings (hybrid, comparing) vs where to find one in private practice
    ("pros and cons of academic vs community jobs, who can help me compare", "academic-and-private-mentors"),
    (
        "hybrid role with teaching and a private clinic, what mentors should I have",
        "academic-and-private-mentors",
    ),
    ("where do doctors in a private group find a mentor", "finding-mentors-private-practice"),
    (
        "medical society or alumni network to find a mentor in community practice",
        "finding-mentors-private-practice",
    ),
    # the product's rhythm vs advice on how often a pair should meet
    ("how often does the bot expect my circle to get together", "how-circles-work"),
    ("how frequently do circles meet in mentor circles", "how-circles-work"),
    ("switch my reminders to every two weeks", "change-settings"),
    ("what meeting frequency works for a new mentoring pair", "formalizing-the-relationship"),
    ("should a mentor and mentee agree on how often to meet", "formalizing-the-relationship"),
    # a mentor who has gone quiet vs asking for someone else
    ("my mentor hasn't replied to anything in a month", "relationship-not-working"),
    ("could I be matched with someone else instead of my current mentor", "change-mentor"),
    ("I'd like to move to a different circle", "change-mentor"),
    # what mentorship brings (the outcomes) vs whether it lasts (the long run)
    ("what do doctors gain from having a mentor at all", "why-mentorship-matters"),
    ("two decades on, are mentored physicians still better off", "long-term-impact"),
    # what peers are good for vs the value of mentorship in general
    ("are peer support groups worth joining in residency", "peer-mentorship"),
    ("what do I get out of meeting with people at my own level", "peer-mentorship"),
    # a panel as a model vs building your own board from a map of needs
    ("how does a mentoring panel with complementary members work", "team-mentorship"),
    ("putting together my own board of advisors from a map of what I need", "map-your-needs"),
    # the new topics
    ("who can write me a recommendation letter for a cardiology fellowship", "letters-and-fellowship"),
    ("what to talk about in the first meeting with a new mentee", "meeting-agenda"),
    ("can't find a slot to meet because of night float and call", "finding-time-to-meet"),
    # mentoring someone for the first time vs asking for someone else; a pairing that has run out vs settings
    ("first time mentoring a med student, any advice", "becoming-a-mentor"),
    ("my mentor isnt working out for me, what are the signs it is over", "relationship-not-working"),
    ("I relocated and my reminders arrive at the wrong time", "change-settings"),
]


@pytest.mark.parametrize(("question", "topic"), CASES)
def test_near_twins_are_told_apart(builtin_index, question, topic):
    result = builtin_index.search(question)
    assert result.answer is not None, (question, [(s.entry.id, s.score) for s in result.ranked[:3]])
    assert result.answer.id == topic, [(s.entry.id, s.score) for s in result.ranked[:3]]


def _keyword_stems(entry_id: str) -> set[str]:
    entry = next(e for e in load_knowledge_base().entries if e.id == entry_id)
    return {" ".join(stem(w) for w in tokenize(normalize_text(k))) for k in entry.keywords}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("team-mentorship", "map-your-needs"),
        ("academic-and-private-mentors", "finding-mentors-private-practice"),
        ("relationship-not-working", "change-mentor"),
        ("why-mentorship-matters", "long-term-impact"),
        ("peer-mentorship", "why-mentorship-matters"),
    ],
)
def test_near_twins_share_few_keywords(first, second):
    """They are separated by their content: few of one's keywords are the other's."""
    shared = _keyword_stems(first) & _keyword_stems(second)
    assert len(shared) <= 3, shared
