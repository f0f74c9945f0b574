from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.commands import CommandCatalog, CommandSpec, split_command
from bot.domain.text import clean_text


def catalog() -> CommandCatalog:
    result = CommandCatalog()
    for name, aliases in [("help", ("h",)), ("ask", ("faq", "?")), ("join", ()), ("goals", ()), ("goal", ())]:
        result.add(CommandSpec(name=name, summary="", usage=(f"/mentor {name}",), aliases=aliases))
    return result


def test_split_lowercases_the_word_and_keeps_the_rest() -> None:
    assert split_command("  ASK  How do I find a Mentor? ") == split_command("ask How do I find a Mentor?")
    parsed = split_command("ASK How do I find a Mentor?")
    assert (parsed.word, parsed.rest) == ("ask", "How do I find a Mentor?")
    assert split_command(None).word == ""


def test_clean_text_folds_odd_unicode() -> None:
    assert clean_text("\u200bhelp\u00a0\u00a0me\x00") == "help me"
    assert clean_text("ｈｅｌｐ") == "help"


@pytest.mark.parametrize(
    ("typed", "expected"), [("hlep", "help"), ("jion", "join"), ("goa", "goal"), ("fqa", "ask")]
)
def test_suggestions_for_typos(typed: str, expected: str) -> None:
    assert expected in [spec.name for spec in catalog().suggest(typed)]


def test_nothing_suggested_for_nonsense() -> None:
    assert catalog().suggest("zzzzzz") == []


def test_aliases_resolve_and_duplicates_are_refused() -> None:
    commands = catalog()
    assert commands.resolve("?").name == "ask"
    with pytest.raises(ValueError):
        commands.add(CommandSpec(name="faq", summary="", usage=("",)))


@given(st.text(max_size=2000))
def test_any_text_splits_without_error(text: str) -> None:
    parsed = split_command(text)
    assert parsed.word == parsed.word.lower()
    assert " " not in parsed.word


def test_each_usage_line_has_its_own_description_or_the_summary() -> None:
    spec = CommandSpec(name="x", summary="all", usage=("/x a", "/x b"), descriptions=("one", "two"))
    assert spec.described_usage == (("/x a", "one"), ("/x b", "two"))
    plain = CommandSpec(name="y", summary="all", usage=("/y a", "/y b"))
    assert plain.described_usage == (("/y a", "all"), ("/y b", "all"))
    with pytest.raises(ValueError, match="one description per usage line"):
        CommandSpec(name="z", summary="", usage=("/z a", "/z b"), descriptions=("one",))
