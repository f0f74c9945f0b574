"""Moving member-written text in and out of Slack's mrkdwn.

Slack sends slash-command text with `&`, `<` and `>` escaped as entities (real mentions stay `<@U…>`);
the parsers store plain characters and escape them again whenever text goes back into a message.
"""

from __future__ import annotations

from bot.domain.text import shorten


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def echo(text: str, limit: int = 40) -> str:
    """What a member typed, shortened and quoted for a reply: “like this”."""
    plain = unescape(" ".join(text.split()))
    quoted = escape(shorten(plain, limit)).replace("`", "'").replace("*", "").replace("~", "")
    return f"“{quoted}”"
