"""Block Kit for coordinators' announcements: the modal they write in and what it says once sent."""

from __future__ import annotations

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.presentation.common import context, escape, plural, section

ANNOUNCE_CALLBACK = "announce"
ANNOUNCE_OPEN = "program_announce"
"""A program's Announce button on the coordinators' Home; its value is the program id."""
MESSAGE_BLOCK = "announce_message"
"""The message input's block id and action id (stable: a Slack stand-in fills it by them)."""
EMPTY_MESSAGE = "Please write a message for me to send."
TITLE = "Announcement"


def announce_modal(program_id: int, program_name: str, recipients: int, max_length: int) -> View:
    audience = (
        f"It goes to *{plural(recipients, 'active participant')}* of *{escape(program_name)}*, "
        "each as a direct message from me with a line saying it comes from the coordinators."
        if recipients
        else f"*{escape(program_name)}* has no active participants right now, so nobody would get it."
    )
    return View(
        type="modal",
        callback_id=ANNOUNCE_CALLBACK,
        private_metadata=str(program_id),
        title=TITLE,
        submit="Send",
        close="Cancel",
        blocks=[
            section(audience),
            InputBlock(
                block_id=MESSAGE_BLOCK,
                label="Your message",
                element=PlainTextInputElement(action_id=MESSAGE_BLOCK, multiline=True, max_length=max_length),
                hint="Plain text. Paused members and people who have left don't get it.",
            ),
        ],
    )


def announce_sent_view(recipients: int) -> View:
    text = (
        f"Your announcement is on its way to {plural(recipients, 'person', 'people')}."
        if recipients
        else "There was nobody active in the program to send it to, so nothing was sent."
    )
    return View(
        type="modal",
        callback_id="announce_done",
        title=TITLE,
        close="Done",
        blocks=[section(text), context("Each message is sent once, paced with everything else I send.")],
    )


def announce_gone_view() -> View:
    return View(
        type="modal",
        callback_id="announce_done",
        title=TITLE,
        close="Close",
        blocks=[section("That program is archived or no longer exists, so there is nobody to announce to.")],
    )
