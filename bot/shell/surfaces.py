"""What a user saw in Slack (a sandbox feed item) as a headed block of text."""

from __future__ import annotations

from collections.abc import Sequence

from bot.sandbox import Conversation, FeedItem
from bot.shell.render import Names, Numbering, Rendered, counting_from, mrkdwn, render_blocks

MESSAGE_KINDS = frozenset({"message", "message_changed", "ephemeral"})
MODAL_KINDS = frozenset({"modal_open", "modal_push", "modal_update", "modal_close"})


def describe_conversation(
    conversation: Conversation | None, viewer: str, bot_user_id: str, names: Names
) -> str:
    """`your DM with Mentor Circles`, `a group DM with @ben, @dev`, or `#residents`."""
    if conversation is None:
        return "a conversation"
    if conversation.kind == "im":
        others = [m for m in conversation.members if m != viewer]
        if others == [bot_user_id]:
            return "your DM with Mentor Circles"
        return "your DM with " + ", ".join(names.user(m) for m in others)
    if conversation.kind == "mpim":
        others = [m for m in conversation.members if m not in (viewer, bot_user_id)]
        return "a group DM with " + ", ".join(names.user(m) for m in others)
    return "#" + conversation.name


def author_name(user_id: str | None, bot_user_id: str, names: Names) -> str:
    if not user_id or user_id == bot_user_id:
        return "Mentor Circles"
    return names.user(user_id)


def render_item(
    item: FeedItem,
    names: Names,
    *,
    where: str,
    author: str,
    when: str = "",
    files: Sequence[str] = (),
    first_number: int = 1,
    numbering: Numbering | None = None,
) -> Rendered:
    """A feed item with a one-line heading (who, where, and the local time `when` it arrived), then its
    content and a line per attached file; modal items render as nothing (the form shows them)."""
    stamp = f" · {when}" if when else ""
    number = numbering or counting_from(first_number)
    if item.kind in MESSAGE_KINDS:
        heading = {
            "message": f"--- {author} in {where}{stamp} ---",
            "message_changed": f"--- {author} updated a message in {where}{stamp} ---",
            "ephemeral": f"--- {author}, only visible to you, in {where}{stamp} ---",
        }[item.kind]
        body = _content(item, names, number)
        body.lines.extend(files)
        return _with_heading(heading, body)
    if item.kind == "home" and item.view is not None:
        return _with_heading(
            f"--- Your App Home{stamp} ---",
            render_blocks(item.view.get("blocks") or [], names, numbering=number),
        )
    if item.kind == "message_deleted":
        return Rendered([f"--- {author} deleted a message in {where}{stamp} ---"])
    if item.kind == "ephemeral_deleted":
        return Rendered([f"--- A reply only you could see was removed from {where}{stamp} ---"])
    if item.kind in MODAL_KINDS:
        return Rendered()
    return Rendered([f"--- ({item.kind.replace('_', ' ')}) ---"])


def _content(item: FeedItem, names: Names, numbering: Numbering) -> Rendered:
    if item.blocks:
        return render_blocks(list(item.blocks), names, numbering=numbering)
    if not item.text and item.data.get("files"):
        return Rendered()
    return Rendered(mrkdwn(item.text, names).splitlines() or [""])


def _with_heading(heading: str, body: Rendered) -> Rendered:
    return Rendered([heading, *body.lines], body.controls)
