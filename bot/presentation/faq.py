"""Block Kit for FAQ answers, the topic browser and the coordinators' FAQ editor."""

from __future__ import annotations

import json
import secrets

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OptionGroup,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.faq import FaqEntry
from bot.domain.text import shorten
from bot.presentation.common import context, escape, inflect, plural, section

FEEDBACK_VALUE_LIMIT = 1900
ENTRIES_PER_PAGE = 15


def feedback_value(entry_id: str, question: str, vote: str | None = None) -> str:
    """The feedback buttons' value: the topic, the question, and a token naming this one answer (not the
    asker), so a second press on the same answer is not counted again."""
    vote = vote or secrets.token_urlsafe(12)
    value = json.dumps({"t": entry_id, "q": question, "v": vote}, ensure_ascii=False)
    return value if len(value) <= FEEDBACK_VALUE_LIMIT else json.dumps({"t": entry_id, "q": "", "v": vote})


def answer_blocks(entry: FaqEntry, answer_text: str, related: list[FaqEntry], question: str) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text=shorten(entry.title, 150)), section(answer_text)]
    if related:
        blocks.append(context("*Related*"))
        blocks.append(
            ActionsBlock(
                block_id="faq_related",
                elements=[
                    ButtonElement(text=shorten(other.title, 75), action_id=f"faq_related_{i}", value=other.id)
                    for i, other in enumerate(related[:3], start=1)
                ],
            )
        )
    blocks.append(feedback_actions(entry.id, question))
    return blocks


def feedback_actions(entry_id: str, question: str) -> ActionsBlock:
    value = feedback_value(entry_id, question)
    return ActionsBlock(
        block_id="faq_feedback",
        elements=[
            ButtonElement(text="👍 Helpful", action_id="faq_helpful", value=value),
            ButtonElement(text="👎 Not helpful", action_id="faq_not_helpful", value=value),
        ],
    )


VOTE_ALREADY_RECORDED = "You've already told me how this answer did, and it's recorded. Thank you!"
PASS_ON_ASK = (
    "Shall I pass your question on to your coordinators so they can add an answer or point me to the "
    "right topic? They'd see only the words, never your name or when you asked. If not, I'll just count "
    "that something was missed."
)
PASS_ON_VALUE_LIMIT = 1900


def pass_on_value(miss_id: int, question: str) -> str:
    """The button carries the question back, so its words are stored only if the asker clicks."""
    words = question
    while True:
        value = json.dumps({"m": miss_id, "q": words}, ensure_ascii=False)
        if len(value) <= PASS_ON_VALUE_LIMIT:
            return value
        words = words[: len(words) // 2]


def pass_on_blocks(miss_id: int, question: str) -> list[Block]:
    return [
        context(PASS_ON_ASK),
        ActionsBlock(
            block_id="faq_pass_on",
            elements=[
                ButtonElement(
                    text="Pass it on anonymously",
                    action_id="faq_pass_on",
                    value=pass_on_value(miss_id, question),
                )
            ],
        ),
    ]


def thanks_blocks(
    entry: FaqEntry, answer_text: str, helpful: bool, miss_id: int | None = None, question: str = ""
) -> list[Block]:
    note = (
        "Thanks, glad it helped!" if helpful else "Thanks for telling me: it shows which answers need work."
    )
    blocks: list[Block] = [HeaderBlock(text=shorten(entry.title, 150)), section(answer_text), context(note)]
    if miss_id is not None and question:
        blocks.extend(pass_on_blocks(miss_id, question))
    return blocks


def decline_blocks(message: str, closest: list[FaqEntry], miss_id: int, question: str) -> list[Block]:
    """The decline: the closest topics only when some really came close (never a promise of none), how to
    reach the coordinators (in `message`), and the offer to pass the question on."""
    blocks: list[Block] = [section(message)]
    if closest:
        blocks.append(context("These topics came closest, in case one of them helps:"))
        blocks.append(
            ActionsBlock(
                block_id="faq_closest",
                elements=[
                    ButtonElement(text=shorten(entry.title, 75), action_id=f"faq_related_{i}", value=entry.id)
                    for i, entry in enumerate(closest[:3], start=1)
                ],
            )
        )
    blocks.extend(pass_on_blocks(miss_id, question))
    return blocks


PASSED_ON = "Thank you. I've passed your question on to your coordinators, without your name."
ALREADY_PASSED_ON = "You've already passed that question on. Thank you!"
PASS_ON_GONE = "That question can't be passed on any more. You can always ask your coordinators directly."


def browser_blocks(by_category: dict[str, list[FaqEntry]]) -> list[Block]:
    blocks: list[Block] = [
        HeaderBlock(text="Mentorship topics"),
        section("Pick a topic to read the answer, or ask in your own words with `/mentor ask QUESTION`."),
    ]
    for number, (category, entries) in enumerate(by_category.items()):
        blocks.append(
            SectionBlock(
                block_id=f"faq_browse_{number}",
                text=MarkdownTextObject(text=f"*{escape(category)}* · {plural(len(entries), 'topic')}"),
                accessory=StaticSelectElement(
                    action_id="faq_browse",
                    placeholder="Choose a topic",
                    options=[Option(text=shorten(e.title, 75), value=e.id) for e in entries[:100]],
                ),
            )
        )
    return blocks


def entry_modal(
    title: str = "",
    answer: str = "",
    keywords: str = "",
    entry_id: int | None = None,
    miss_id: int | None = None,
) -> View:
    """Add or edit an entry; ``miss_id`` is the passed-on question a new entry is written from."""
    metadata: dict[str, int | None] = {"entry_id": entry_id}
    if miss_id is not None:
        metadata["miss_id"] = miss_id
    return View(
        type="modal",
        callback_id="faq_entry",
        private_metadata=json.dumps(metadata),
        title="Edit FAQ entry" if entry_id else "Add an FAQ entry",
        submit="Save",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="title",
                label="Question or title",
                hint="What people will ask, e.g. “Who is our mentorship lead?”",
                element=PlainTextInputElement(action_id="title", initial_value=title or None, max_length=150),
            ),
            InputBlock(
                block_id="answer",
                label="Answer",
                element=PlainTextInputElement(
                    action_id="answer", multiline=True, initial_value=answer or None, max_length=2900
                ),
            ),
            InputBlock(
                block_id="keywords",
                label="Keywords",
                optional=True,
                hint="Other words people might use, separated by commas.",
                element=PlainTextInputElement(action_id="keywords", initial_value=keywords or None),
            ),
        ],
    )


def saved_modal(title: str) -> View:
    return View(
        type="modal",
        title="FAQ saved",
        close="Done",
        blocks=[
            section(
                f"Saved *{escape(shorten(title, 150))}*. People in your workspace will find it with `/mentor ask`."
            )
        ],
    )


def admin_list_blocks(entries: list[tuple[int, str, str]], page: int) -> list[Block]:
    """Entries as (id, title, answer), one page at a time to stay within Slack's 50-block limit."""
    if not entries:
        return [
            section(
                "Your program has no FAQ entries of its own yet. Add one with `/mentor admin faq add`: "
                "the kickoff dinner date, who your mentorship lead is, anything people keep asking."
            )
        ]
    pages = max(1, -(-len(entries) // ENTRIES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = entries[page * ENTRIES_PER_PAGE : (page + 1) * ENTRIES_PER_PAGE]
    blocks: list[Block] = [HeaderBlock(text=f"Your program's FAQ ({len(entries)})")]
    for entry_id, title, answer in shown:
        blocks.append(section(f"*{escape(shorten(title, 150))}*\n{escape(shorten(answer, 200))}"))
        blocks.append(
            ActionsBlock(
                block_id=f"faq_admin_{entry_id}",
                elements=[
                    ButtonElement(text="Edit", action_id="faq_admin_edit", value=str(entry_id)),
                    ButtonElement(
                        text="Remove",
                        action_id="faq_admin_remove",
                        value=str(entry_id),
                        style="danger",
                        confirm=ConfirmObject(
                            title="Remove this entry?",
                            text=f"“{shorten(title, 100)}” will no longer be answered.",
                            confirm="Remove",
                            deny="Keep it",
                        ),
                    ),
                ],
            )
        )
    if pages > 1:
        blocks.append(DividerBlock())
        buttons = []
        if page > 0:
            buttons.append(
                ButtonElement(text="Previous", action_id="faq_admin_page_prev", value=str(page - 1))
            )
        if page < pages - 1:
            buttons.append(ButtonElement(text="Next", action_id="faq_admin_page_next", value=str(page + 1)))
        blocks.append(context(f"Page {page + 1} of {pages}"))
        blocks.append(ActionsBlock(block_id="faq_admin_pages", elements=buttons))
    return blocks


PASSED_ON_TEXT = "Questions passed on to you"
LEARN_TOPIC = "faq_learn_topic"
LEARN_ENTRY = "faq_learn_entry"
LEARN_DISMISS = "faq_learn_dismiss"
LEARN_PAGE = "faq_learn_page"
LEARN_BLOCK_PREFIX = "faq_learn_"
OPTION_TEXT_LIMIT = 75


def learn_block_id(miss_id: int, page: int) -> str:
    return f"{LEARN_BLOCK_PREFIX}{miss_id}_{page}"


def parse_learn_block_id(block_id: str) -> tuple[int, int] | None:
    """(miss id, page) from a question's block id; None when it is not one."""
    if not block_id.startswith(LEARN_BLOCK_PREFIX):
        return None
    miss, _, page = block_id.removeprefix(LEARN_BLOCK_PREFIX).partition("_")
    return (int(miss), int(page)) if miss.isdigit() and page.isdigit() else None


def _topic_option(entry: FaqEntry) -> Option:
    return Option(text=shorten(entry.title, OPTION_TEXT_LIMIT), value=entry.id)


def topic_select(suggested: list[FaqEntry], topics: dict[str, list[FaqEntry]]) -> StaticSelectElement:
    """Every topic, the closest ones first; Slack allows 100 options per group."""
    groups: list[OptionGroup] = []
    seen = {entry.id for entry in suggested}
    if suggested:
        groups.append(OptionGroup(label="Came closest", options=[_topic_option(e) for e in suggested]))
    for category, entries in topics.items():
        options = [_topic_option(e) for e in entries if e.id not in seen][:100]
        if options:
            groups.append(OptionGroup(label=shorten(category, OPTION_TEXT_LIMIT), options=options))
    return StaticSelectElement(
        action_id=LEARN_TOPIC, placeholder="Answer it with a topic", option_groups=groups[:100]
    )


def passed_on_blocks(
    questions: list[tuple[int, str]],
    suggestions: dict[int, list[FaqEntry]],
    topics: dict[str, list[FaqEntry]],
    page: int = 0,
    more: bool = False,
    note: str = "",
    wellbeing_asks: int = 0,
) -> list[Block]:
    """The passed-on questions as (id, words), each with a topic menu, "Write an entry" and "Dismiss".

    Only the words are shown: never who asked or when, as the asker was promised.
    """
    blocks: list[Block] = [HeaderBlock(text=PASSED_ON_TEXT)]
    if note:
        blocks.append(section(note))
    blocks.append(context(wellbeing_line(wellbeing_asks)))
    if not questions:
        blocks.append(
            section(
                "No questions are waiting. When someone's question gets no good answer and they choose "
                "*Pass it on anonymously*, it shows up here."
            )
        )
        return blocks
    blocks.append(
        context(
            "Asked anonymously and not answered well. Pick the topic that answers a question and its words "
            "will lead to that topic from now on, in this workspace only; or write a new entry from it."
        )
    )
    for miss_id, question in questions:
        blocks.append(section(f"“{escape(shorten(question, 500))}”"))
        blocks.append(
            ActionsBlock(
                block_id=learn_block_id(miss_id, page),
                elements=[
                    topic_select(suggestions.get(miss_id, []), topics),
                    ButtonElement(text="Write an entry", action_id=LEARN_ENTRY, value=str(miss_id)),
                    ButtonElement(text="Dismiss", action_id=LEARN_DISMISS, value=str(miss_id)),
                ],
            )
        )
    if page or more:
        buttons = []
        if page:
            buttons.append(
                ButtonElement(text="Previous", action_id=f"{LEARN_PAGE}_prev", value=str(page - 1))
            )
        if more:
            buttons.append(ButtonElement(text="Next", action_id=f"{LEARN_PAGE}_next", value=str(page + 1)))
        blocks.append(ActionsBlock(block_id="faq_learn_pages", elements=buttons))
    return blocks


def wellbeing_line(count: int) -> str:
    asked = f"{plural(count, 'question')} {inflect(count, 'was', 'were')}"
    return (
        f"{asked} answered with the wellbeing topic (burnout, exhaustion, distress). Only the count is "
        "kept: never the words or who asked."
    )
