"""Block Kit for the App Home tab."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock
from slack_sdk.models.views import View

from handlers.blocks.common import context, section


def home_view(display_name: str, coordinator_ids: tuple[str, ...]) -> View:
    greeting = f"Welcome, {display_name}!" if display_name else "Welcome!"
    blocks: list[Block] = [
        HeaderBlock(text="Mentor Circles"),
        section(
            f"{greeting} This is your mentorship home. Mentor Circles pairs you with mentors and peer "
            "circles, keeps track of your goals and meetings, and reminds you gently when it's time to meet."
        ),
        DividerBlock(),
        section(
            "*Getting started*\n"
            "• `/mentor help` shows everything you can do\n"
            "• `/mentor ask QUESTION` answers questions about mentorship"
        ),
    ]
    if coordinator_ids:
        mentions = ", ".join(f"<@{user_id}>" for user_id in coordinator_ids)
        blocks.append(context(f"Questions about the program? Your coordinators: {mentions}"))
    return View(type="home", blocks=blocks)
