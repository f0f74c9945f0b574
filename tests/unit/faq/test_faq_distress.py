"""Distress always reaches the wellbeing answer first, however it is worded; burnout as a topic does not."""

import pytest

from bot.domain.faq import FaqEntry, FaqIndex, load_knowledge_base
from bot.domain.faq.distress import WELLBEING_TOPIC, DistressDetector, DistressTerms

DISTRESS = [
    # terse
    "burned out",
    "so tired of everything",
    "overwhelmed",
    "drowning",
    "not coping",
    "help im not okay",
    # typos and chat spelling
    "im soo burnt otu",
    "exhuasted all the time",
    "feelin overwelmed every single day",
    "depresed and cant get out of bed",
    "so anxius before clinic i feel sick",
    "brunt out pgy2",
    # in residents' words
    "intern year is breaking me, i cry in the stairwell",
    "fourth night shift in a row and I can't cope anymore",
    "I dread going to work, every shift feels like too much for me",
    "my co-intern seems completely burnt out, who can she talk to",
    "had a patient die on me last night and I feel numb",
    "I'm at my limit with this rotation",
    "having panic attacks before rounds",
    "been not doing good for weeks now",
    "frazzled and there is nobody to turn to",
    "fried after a month of nights on the wards",
    "lonely and isolated since moving here for residency",
    # crisis
    "sometimes I think about ending my life",
    "I want to hurt myself",
    "is there a suicide hotline",
    # long
    (
        "Hi, I'm a PGY-1 in internal medicine. Since starting wards I've been working 80 hours most weeks, "
        "I barely sleep, I've stopped calling my family back and I feel like I'm failing my patients. "
        "Honestly I don't know how much longer I can keep going like this. Is there anyone I can talk to "
        "about it without it going on my record?"
    ),
    # distress wins over other topics and over off-topic words
    "so exhausted from call that I forgot my pager in the cafeteria",
    "burnt out and my mentor keeps cancelling on me",
    "completely overwhelmed by my research project and grant deadline",
]

NOT_DISTRESS = [
    ("what can a mentor do to help prevent burnout", "work-life-integration"),
    ("avoiding burning out once I'm a partner in a group practice", "work-life-integration"),
    ("do residents with mentors have lower burnout rates", "why-mentorship-matters"),
    ("how do I find a research mentor", "research-mentorship"),
    ("i need help writing goals", "setting-goals"),
    ("what is psychological safety in mentoring", "psychological-safety"),
]


@pytest.mark.parametrize("question", DISTRESS)
def test_distress_is_answered_with_wellbeing_first_and_never_declined(builtin_index, question):
    result = builtin_index.search(question)
    assert result.distress.distress, question
    assert not result.declined
    assert result.answer is not None and result.answer.id == WELLBEING_TOPIC
    assert result.ranked[0].entry.id == WELLBEING_TOPIC
    assert [s.entry.id for s in result.ranked].count(WELLBEING_TOPIC) == 1


@pytest.mark.parametrize(("question", "topic"), NOT_DISTRESS)
def test_burnout_as_a_topic_is_not_read_as_distress(builtin_index, question, topic):
    result = builtin_index.search(question)
    assert not result.distress.distress, result.distress
    assert result.answer is not None and result.answer.id == topic


@pytest.mark.parametrize(
    "question", ["I want to hurt myself", "thinking about suicide", "call 988?", "i'm in crisis"]
)
def test_crisis_words_are_read_as_crisis(builtin_index, question):
    reading = builtin_index.search(question).distress
    assert reading.distress and reading.crisis


def test_a_sign_next_to_a_general_word_is_general_unless_the_asker_is_in_it():
    detector = DistressDetector(
        DistressTerms(crisis=("end my life",), signs=("burnt out",), general=("prevent",), present=("im",))
    )
    assert not detector.read_text("how to prevent getting burnt out").distress
    assert detector.read_text("im burnt out, how do i prevent it getting worse").distress
    assert detector.read_text("burnt out").distress
    assert detector.read_text("I want to end my life").crisis
    assert not detector.read_text("how to prevent a bad fit with my mentor").distress
    far = "how can a program prevent problems when its residents are quietly burnt out"
    assert detector.read_text(far).distress, "a general word far from the sign does not make it general"


def test_the_wellbeing_answer_wins_even_in_an_index_where_it_would_not_rank():
    kb = load_knowledge_base()
    wellbeing = next(e for e in kb.entries if e.id == WELLBEING_TOPIC)
    other = FaqEntry("parking", "Parking", "Site", "Park in lot B.", keywords=["parking", "exhausted"])
    index = FaqIndex.build([other, wellbeing])
    result = index.search("exhausted")
    assert result.answer == wellbeing and result.ranked[0].entry == wellbeing


def test_an_index_without_the_wellbeing_topic_searches_as_usual():
    entry = FaqEntry("naps", "Nap rooms", "Site", "Nap rooms are on floor 3.", keywords=["exhausted", "nap"])
    result = FaqIndex.build([entry]).search("exhausted")
    assert result.distress.distress and result.answer == entry


def test_distress_vocabulary_lives_in_the_data_file():
    terms = load_knowledge_base().distress_terms
    assert terms.crisis and terms.signs and terms.general and terms.present
    assert "988" in terms.crisis


def test_a_long_outpouring_is_searched_not_turned_back(builtin_index):
    from bot.domain.faq import MAX_QUESTION_CHARS, check_question

    story = (
        "I don't really know where to start. Nights have been brutal, I keep making small mistakes, "
        "and I've stopped answering my friends. "
    ) * 4 + "I'm completely overwhelmed and I don't know who to tell."
    assert len(story) > MAX_QUESTION_CHARS
    check = check_question(story)
    assert check.ok
    answer = builtin_index.search(check.question).answer
    assert answer is not None and answer.id == WELLBEING_TOPIC
    assert not check_question("why " * 200).ok, "other long questions are still turned back"
