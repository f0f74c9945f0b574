"""Block Kit for `/mentor change`: the request modal, mentees' suggested mentors and the mentor's question."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.change_requests import MAX_REASON, Suggestions
from bot.domain.text import join_labels, plural
from bot.domain.vocabulary import domain_label, stage_label
from bot.presentation.common import context, escape, section
from bot.usecases.change_requests import REASON_BLOCK, WHICH_BLOCK

CHANGE_CALLBACK = "change_request"
CHANGE_OPEN = "change_open"
"""The Home's "Ask for a change" button (its value is the relationship's id)."""
CHOOSE_OPEN = "choice_open"
"""The Home's "Choose a mentor" button."""
PICK = "choice_pick"
ACCEPT = "choice_accept"
DECLINE = "choice_decline"
TITLE = "Ask for a change"


def change_modal(options: list[tuple[int, str]], chosen: int | None) -> View:
    menu = [Option(value=str(relationship_id), label=label) for relationship_id, label in options]
    initial = next((option for option in menu if option.value == str(chosen)), None)
    return View(
        type="modal",
        callback_id=CHANGE_CALLBACK,
        title=TITLE,
        submit="Send",
        close="Cancel",
        blocks=[
            section(
                "Not every match clicks, and asking for a change is normal. This goes to your coordinators "
                "only: nobody in your circle or mentorship is told."
            ),
            InputBlock(
                block_id=WHICH_BLOCK,
                label="What would you like to change?",
                element=StaticSelectElement(action_id=WHICH_BLOCK, options=menu, initial_option=initial),
            ),
            InputBlock(
                block_id=REASON_BLOCK,
                label="Anything your coordinators should know? (optional)",
                optional=True,
                element=PlainTextInputElement(action_id=REASON_BLOCK, multiline=True, max_length=MAX_REASON),
                hint="Only your coordinators can read this.",
            ),
        ],
    )


def change_saved_view(message: str) -> View:
    return View(type="modal", callback_id="change_done", title=TITLE, close="Done", blocks=[section(message)])


def suggestions_blocks(intro: str, found: Suggestions) -> list[Block]:
    """The mentors a mentee may ask, best first, each with the engine's reasons and an "Ask" button."""
    blocks: list[Block] = [section(intro)]
    for mentor in found.mentors:
        why = "; ".join(mentor.reasons) or "has room for a new mentee"
        blocks.append(
            SectionBlock(
                block_id=f"choice_{mentor.user_id}",
                text=section(f"*<@{mentor.user_id}>* ({escape(mentor.name)})\n{escape(why)}").text,
                accessory=ButtonElement(
                    text="Ask", action_id=PICK, value=f"{found.program_id}:{mentor.user_id}"
                ),
            )
        )
    blocks.append(
        context(
            f"The mentor you ask has {plural(found.response_days, 'day')} to answer. "
            "If they can't take you on, I'll suggest the next mentor. They see your stage and what you'd "
            "like help with, never your goals."
        )
    )
    return blocks


def offer_text(mentee: str, program: str, stage: str | None, needs: list[str], days: int) -> str:
    details = ""
    if stage:
        details += f" Their stage: {stage_label(stage)}."
    if needs:
        details += f" They'd like help with {join_labels([domain_label(need) for need in needs])}."
    return (
        f"Hi! <@{mentee}> would like you as their mentor in *{escape(program)}*.{details} "
        f"Could you let me know within {plural(days, 'day')}? If you say yes, I'll introduce you both."
    )


def offer_blocks(text: str, offer_id: int) -> list[Block]:
    return [
        section(text),
        ActionsBlock(
            block_id=f"choice_offer_{offer_id}",
            elements=[
                ButtonElement(text="Accept", action_id=ACCEPT, value=str(offer_id), style="primary"),
                ButtonElement(text="Decline", action_id=DECLINE, value=str(offer_id)),
            ],
        ),
        context("Whatever you answer, they hear it kindly from me, and never a reason."),
    ]
