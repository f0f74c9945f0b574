"""What a member typed and the app shows back never forms a mention, a broadcast or a link.

Slack sends `@channel` typed in a slash command as `<!channel>` (the manifest's `should_escape`), a
pasted URL as `<https://...>`, and `&`, `<`, `>` typed as text as entities. Whatever arrives, the reply
shows the words and no Slack markup made from them, in its blocks and in its notification text.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import RunningApp
from tests.e2e.members import join

TYPED = (
    "<!channel>",
    "<!here|here>",
    "&lt;!everyone&gt;",
    "<https://evil.example/|slides>",
    "<!subteam^S0ABC|@residents>",
)
MARKUP = re.compile(r"<(?!@U[A-Z0-9]+>)")
"""Any `<` that opens Slack markup other than a mention of a user the app chose to name."""


def shown(body: dict[str, Any]) -> str:
    parts = [str(body.get("text", ""))]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "text" and isinstance(item, str):
                    parts.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body.get("blocks") or [])
    return "\n".join(parts)


def assert_safe(body: dict[str, Any]) -> str:
    text = shown(body)
    assert text.strip()
    assert MARKUP.findall(text) == [], text
    assert "&amp;lt;" not in text and "&amp;gt;" not in text, text
    return text


@pytest.mark.parametrize("typed", TYPED)
def test_an_unknown_command_is_shown_back_escaped(running_app: RunningApp, alice, typed: str) -> None:
    body = running_app.session(alice).slash_command("/mentor", typed).reply()
    text = assert_safe(body)
    assert "I don't know" in text


def test_an_unknown_admin_command_is_shown_back_escaped(running_app: RunningApp, coordinator) -> None:
    body = running_app.session(coordinator).slash_command("/mentor", "admin <!channel> now").reply()
    text = assert_safe(body)
    assert "&lt;!channel&gt;" in text


def test_a_goal_and_a_date_are_shown_back_escaped(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    session = running_app.session(alice)
    goal = session.slash_command(
        "/mentor", "goal add Ask <!here> about <https://evil.example/|slides>"
    ).reply()
    text = assert_safe(goal)
    assert "&lt;!here&gt;" in text and "&lt;https://evil.example/|slides&gt;" in text
    pause = session.slash_command("/mentor", "pause until <!channel>").reply()
    assert_safe(pause)
