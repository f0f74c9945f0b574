from hypothesis import given
from hypothesis import strategies as st

from bot.domain.faq import MAX_QUESTION_CHARS, check_question, normalize_question


def test_slack_markup_is_reduced_to_words():
    raw = "<@U123ABC>  how do I find a <https://example.org/x|research>   mentor in <#C42|general>? <!here>"
    assert normalize_question(raw) == "how do I find a research mentor in general ?"


def test_empty_and_punctuation_only_questions_get_usage_help():
    for raw in ("", "   ", "???", "<@U1>"):
        check = check_question(raw)
        assert not check.ok and "/mentor ask" in check.problem


def test_overlong_questions_are_refused_with_a_reason():
    check = check_question("why " * 200)
    assert not check.ok and str(MAX_QUESTION_CHARS) in check.problem


def test_a_normal_question_passes():
    check = check_question("  what is a sponsor? ")
    assert check.ok and check.question == "what is a sponsor?"


@given(st.text(max_size=800))
def test_checked_questions_are_clean_and_bounded(raw):
    check = check_question(raw)
    if check.ok:
        assert 0 < len(check.question) <= MAX_QUESTION_CHARS
        assert check.question == check.question.strip()
    else:
        assert check.problem
