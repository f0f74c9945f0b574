"""Block Kit for fixing matches by hand from a preview: the modal and what it answers."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    InputBlock,
    Option,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.presentation.common import context, section

FIX_CALLBACK = "match_fix"
FIX_CHANGES = {
    "pair": "Pair a mentee with a mentor",
    "move": "Move someone into another circle",
    "end": "End a circle or mentorship",
    "rematch": "Rematch one person",
}
"""Each change the modal offers, by the `/mentor admin` subcommand that makes it."""
FIX_HINT = (
    "Pair: the mentee, then the mentor. Move: who moves, then someone in the circle they join. "
    "End: two people in it. Rematch: just the person."
)


FIX_ACTION = "match_fix"
FROM_ROSTER = 0
"""The `round_id` of a fix started from the roster rather than from a round's preview."""


def fix_button(round_id: int) -> ButtonElement:
    """Opens the fix modal; its value is the preview's round id, or `FROM_ROSTER`."""
    return ButtonElement(text="Fix a match by hand", action_id=FIX_ACTION, value=str(round_id))


def fix_modal(round_id: int) -> View:
    blocks: list[Block] = [
        InputBlock(
            block_id="fix_change",
            label="What to change",
            element=StaticSelectElement(
                action_id="fix_change",
                options=[Option(value=value, text=label) for value, label in FIX_CHANGES.items()],
            ),
        ),
        InputBlock(block_id="fix_first", label="Who", element=UserSelectElement(action_id="fix_first")),
        InputBlock(
            block_id="fix_second",
            label="With whom",
            optional=True,
            element=UserSelectElement(action_id="fix_second"),
        ),
        context(FIX_HINT),
    ]
    return View(
        type="modal",
        callback_id=FIX_CALLBACK,
        private_metadata=str(round_id),
        title="Fix a match by hand",
        submit="Make the change",
        close="Cancel",
        blocks=blocks,
    )


def fix_done_view(message: str, changed: bool, round_id: int) -> View:
    if not changed:
        after = "Nothing was changed."
    elif round_id == FROM_ROSTER:
        after = "`/mentor admin people` shows the roster as it is now."
    else:
        after = (
            "The preview you came from no longer fits: run `/mentor admin match preview` again for one that "
            "builds on this change."
        )
    return View(
        type="modal",
        callback_id="match_fix_done",
        title="Fix a match by hand",
        close="Done",
        blocks=[section(message), context(after)],
    )
