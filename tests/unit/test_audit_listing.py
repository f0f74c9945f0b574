"""What the audit listing may show of a stored entry, and how it fits Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.audit import AuditVocabulary, SafeEntry, parse_count, safe_entry
from bot.domain.commands import CommandSpec
from bot.presentation.audit import audit_blocks, entry_line
from bot.sandbox import validate_blocks
from bot.usecases.coordinator_admin import AuditLine, AuditListing

SPECS = (
    CommandSpec("stats", "", ("/mentor admin stats [PROGRAM] csv", "/mentor admin stats [PROGRAM] chart")),
    CommandSpec("coordinators", "", ("/mentor admin coordinators add @someone",)),
    CommandSpec("match", "", ("/mentor admin match preview [circles|mentors|teams]",)),
    CommandSpec("program", "", ("/mentor admin program add NAME",)),
    CommandSpec("audit", "", ("/mentor admin audit N",)),
)
WORDS = AuditVocabulary.of(SPECS, ["Mentor Circles", "Research teams"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [("", 20), ("1", 1), (" 42 ", 42), ("100", 100), ("0", None), ("101", None), ("-1", None), ("x", None)],
)
def test_parse_count(args: str, expected: int | None) -> None:
    assert parse_count(args) == expected


@pytest.mark.parametrize(
    ("action", "target", "expected"),
    [
        ("admin stats Mentor", "Circles csv", SafeEntry("admin stats", "Mentor Circles csv", False)),
        ("admin program add", "Research teams", SafeEntry("admin program add", "Research teams", False)),
        ("admin program add", "My sabbatical", SafeEntry("admin program add", "", True)),
        (
            "admin coordinators add",
            "<@U01ABC|ann> hi",
            SafeEntry("admin coordinators add", "<@U01ABC>", True),
        ),
        ("admin goal add", "learn to cope", SafeEntry("admin", "", True)),
        ("admin audit 5551234567", "", SafeEntry("admin audit", "", True)),
        ("admin", "", SafeEntry("admin", "", False)),
        ("match_reshuffle", "circles:123456789", SafeEntry("match_reshuffle", "circles:123456789", False)),
        ("faq_entry", '{"entry_id": 7}', SafeEntry("faq_entry", "entry 7", False)),
        ("faq_entry", '{"entry_id": "my question"}', SafeEntry("faq_entry", "", True)),
        ("stats_csv", "-", SafeEntry("stats_csv", "all programs", False)),
        ("coordinator_remove", "U0000000001", SafeEntry("coordinator_remove", "<@U0000000001>", False)),
        ("Some Forged Id", "interactive_message", SafeEntry("", "interactive_message", True)),
    ],
)
def test_safe_entry(action: str, target: str, expected: SafeEntry) -> None:
    assert safe_entry(action, target, WORDS) == expected


@given(st.text(max_size=60), st.text(max_size=120))
def test_typed_words_never_survive(action: str, target: str) -> None:
    marked_action = f"admin stats ZQXJ{action}"
    shown = safe_entry(marked_action, f"{target} ZQXJ", WORDS)
    assert "ZQXJ" not in shown.action + shown.target
    assert shown.hidden


def test_a_hundred_long_entries_fit_one_message() -> None:
    line = AuditLine(
        actor="U0000000001",
        action="admin coordinators add",
        target=" ".join(["<@U0000000002>"] * 8) + " a&b <script>",
        hidden=True,
        outcome="refused",
        at=datetime(2027, 3, 15, 15, 0, tzinfo=UTC),
    )
    blocks = [block.to_dict() for block in audit_blocks(AuditListing((line,) * 100, 100))]
    assert not validate_blocks(blocks)
    shown = [
        text for block in blocks if block["type"] == "section" for text in block["text"]["text"].split("\n")
    ]
    assert len(shown) == 100
    assert "a&amp;b &lt;script&gt;" in shown[0] and "<@U0000000002>" in shown[0]
    assert "<!date^1805122800^{date_short_pretty} {time}|2027-03-15 15:00 UTC>" in entry_line(line)


def test_what_does_not_fit_in_fifty_blocks_is_cut_with_a_note() -> None:
    wide = AuditLine("U0000000001", "admin stats", "x" * 2000, False, "ok", datetime(2027, 3, 15, tzinfo=UTC))
    blocks = [block.to_dict() for block in audit_blocks(AuditListing((wide,) * 100, 100))]
    assert not validate_blocks(blocks)
    assert len(blocks) == 50
    sections = [block for block in blocks if block["type"] == "section"]
    assert blocks[-1]["type"] == "context"
    assert f"The {100 - len(sections)} entries before these didn't fit" in blocks[-1]["elements"][0]["text"]
