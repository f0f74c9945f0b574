"""End-of-round feedback: the DM with its three questions, the comment modal, and the stats section.

Buttons carry only the outbox row id; the answers live in `round_feedback` (see `bot.domain.feedback`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
)
from slack_sdk.models.views import View

from bot.domain.feedback import HEALTH_FORMULA, MAX_COMMENT_CHARS, MIN_ANSWERS_SHOWN, Answers, RoundFeedback
from bot.domain.members import format_date
from bot.domain.reports import percent
from bot.domain.text import plural, shorten
from bot.presentation.common import context, escape, section

QUESTION_WORDS = {
    "worth": "Was this round worth your time?",
    "met": "How often did you meet this round?",
    "continue": "Would you like to carry on together next round?",
}
ANSWER_LABELS = {
    "worth": {"yes": "Yes", "somewhat": "Somewhat", "no": "No"},
    "met": {"never": "Never", "once": "Once", "two_three": "2–3 times", "four_plus": "4 or more"},
    "continue": {"yes": "Yes", "not_sure": "Not sure", "no": "No"},
}
"""Each question's answers in the order offered (the keys are `bot.domain.feedback.QUESTIONS`')."""
STATS_LABELS = {"worth": "Worth their time", "met": "Met", "continue": "Would continue"}
SAVED_LABELS = {"worth": "worth your time", "met": "met", "continue": "continue"}
ANSWER_ACTION = re.compile(r"^feedback_(worth|met|continue)_([a-z_]+)$")
COMMENT_ACTION = "feedback_comment"
COMMENT_VIEW = "feedback_comment"
CONSENT = "share"
PRIVATE_NOTE = (
    "Your answers count towards your program's numbers without your name. A comment reaches your "
    "coordinators only if you tick the box to share it anonymously."
)
RECENT_ROUNDS = 3
COMMENTS_SHOWN = 10
COMMENT_CHARS = 300


def answer_action(question: str, answer: str) -> str:
    return f"feedback_{question}_{answer}"


def _question(question: str, chosen: str | None, value: str) -> list[Block]:
    buttons = [
        ButtonElement(
            text=label,
            action_id=answer_action(question, answer),
            value=value,
            style="primary" if answer == chosen else None,
        )
        for answer, label in ANSWER_LABELS[question].items()
    ]
    return [
        section(f"*{QUESTION_WORDS[question]}*"),
        ActionsBlock(block_id=f"feedback_{question}", elements=buttons),
    ]


def saved_line(answers: Answers) -> str:
    """'Saved: worth your time *Yes* · met *Once*': what the member answered so far."""
    parts = [
        f"{SAVED_LABELS[question]} *{ANSWER_LABELS[question][chosen]}*"
        for question in QUESTION_WORDS
        if (chosen := answers.of(question)) is not None and chosen in ANSWER_LABELS[question]
    ]
    return "Saved: " + " · ".join(parts) + ". Change any answer by tapping another one." if parts else ""


def round_feedback(payload: dict[str, Any], answers: Answers | None = None) -> tuple[str, list[Block]]:
    """The end-of-round DM; given `answers`, with them marked and a line saying they were saved."""
    answers = answers or Answers()
    program = escape(str(payload.get("program") or "your program"))
    round_name = str(payload.get("round") or "this round")
    last_day = payload.get("last_day")
    ends = f" ends on {format_date(date.fromisoformat(str(last_day)))}" if last_day else " is ending"
    value = str(int(payload.get("outbox_id") or 0))
    text = f"{round_name.capitalize()} of {program}{ends}: three quick questions about how it went."
    blocks: list[Block] = [
        section(
            f"Hi! {round_name.capitalize()} of *{program}*{ends}. Three quick questions about how it went "
            "for you, one tap each:"
        )
    ]
    for question in QUESTION_WORDS:
        blocks.extend(_question(question, answers.of(question), value))
    blocks.append(
        ActionsBlock(
            block_id="feedback_more",
            elements=[ButtonElement(text="Add a comment", action_id=COMMENT_ACTION, value=value)],
        )
    )
    saved = saved_line(answers)
    if saved:
        blocks.append(context(saved))
    blocks.append(context(PRIVATE_NOTE))
    return text, blocks


def comment_modal(outbox_id: int, current: str | None = None) -> View:
    return View(
        type="modal",
        callback_id=COMMENT_VIEW,
        private_metadata=str(outbox_id),
        title="Add a comment",
        submit="Save",
        close="Cancel",
        blocks=[
            section("Anything your coordinators should know about this round? What helped, what didn't?"),
            InputBlock(
                block_id="comment",
                label="Your comment",
                optional=True,
                element=PlainTextInputElement(
                    action_id="comment",
                    multiline=True,
                    max_length=MAX_COMMENT_CHARS,
                    initial_value=current or None,
                ),
            ),
            InputBlock(
                block_id="consent",
                label="Sharing",
                optional=True,
                element=CheckboxesElement(
                    action_id="consent",
                    options=[Option(value=CONSENT, label="Share this anonymously with the coordinators")],
                ),
            ),
            context(
                "Without the tick, your comment isn't kept. Shared comments reach your coordinators without "
                "your name or the date."
            ),
        ],
    )


def comment_done_modal(message: str) -> View:
    return View(type="modal", title="Your comment", close="Done", blocks=[section(message)])


# Stats ------------------------------------------------------------------------------------------


def _counts_line(results: RoundFeedback, question: str) -> str:
    counted = results.counts.get(question)
    parts = [
        f"{label} {counted[answer] if counted else 0}" for answer, label in ANSWER_LABELS[question].items()
    ]
    return f"{STATS_LABELS[question]}: " + " · ".join(parts)


def round_heading(results: RoundFeedback) -> str:
    return f"{escape(results.program)} · {results.round_name}"


def round_lines(results: RoundFeedback) -> str:
    """One round's answered count, response rate, score and counts (or why they're not shown yet)."""
    answered = (
        f"{results.answered} of {plural(results.asked, 'person', 'people')} answered "
        f"({percent(results.response_rate)})"
    )
    head = f"*{round_heading(results)}*: {answered}"
    if not results.shown:
        return (
            f"{head}. Counts and the score appear once {plural(MIN_ANSWERS_SHOWN, 'person', 'people')} "
            "have answered."
        )
    lines = [f"{head} · health score *{results.score}*/100"]
    lines.extend(f"• {_counts_line(results, question)}" for question in ANSWER_LABELS)
    return "\n".join(lines)


def comments_text(rounds: Sequence[RoundFeedback]) -> str:
    shared = [comment for results in rounds for comment in results.comments]
    if not shared:
        return ""
    shown = [
        f"• {escape(shorten(' '.join(text.split()), COMMENT_CHARS))}" for text in shared[:COMMENTS_SHOWN]
    ]
    more = len(shared) - COMMENTS_SHOWN
    if more > 0:
        shown.append(f"…and {plural(more, 'more comment')}.")
    return "*Comments shared anonymously*\n" + "\n".join(shown)


def feedback_blocks(rounds: Sequence[RoundFeedback]) -> list[Block]:
    """The stats' end-of-round section: the latest rounds, the formula, then the shared comments."""
    if not rounds:
        return [section("*End-of-round feedback*\nNo round has asked for feedback yet.")]
    recent = list(rounds)[-RECENT_ROUNDS:]
    blocks: list[Block] = [section("*End-of-round feedback*")]
    blocks.extend(section(round_lines(results)) for results in recent)
    blocks.append(context(HEALTH_FORMULA))
    comments = comments_text(recent)
    if comments:
        blocks.append(section(comments))
    return blocks
