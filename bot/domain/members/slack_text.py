"""Moving member-written text in and out of Slack's mrkdwn.

Slack sends slash-command text with `&`, `<` and `>` escaped as entities (real mentions stay `<@U…>`);
the parsers store plain characters and escape them again whenever text goes back into a message.
"""

from __future__ import annotations

from bot.domain.text import shorten


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Plain text made safe for mrkdwn: no mention, broadcast (`<!channel>`) or link can form from it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def typed(text: str, limit: int = 40) -> str:
    """What a member typed, as Slack sent it (entities, or `<!channel>` for an @channel), shortened and
    escaped to be shown back verbatim: inside code spans too, as backticks are swapped for quotes."""
    plain = unescape(" ".join(text.split()))
    return escape(shorten(plain, limit)).replace("`", "'")


def echo(text: str, limit: int = 40) -> str:
    """What a member typed, shortened and quoted for a reply: “like this”."""
    quoted = typed(text, limit).replace("*", "").replace("~", "")
    return f"“{quoted}”"
