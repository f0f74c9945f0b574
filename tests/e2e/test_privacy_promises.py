"""The privacy page's promises about meeting notes and about what coordinators see, checked against
everything the app sends to other people."""

from __future__ import annotations

import json

from bot.sandbox import User
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import MENTOR, PEER, join, relate
from tests.e2e.test_goals import bob, mentor, say  # noqa: F401 (bob and mentor are fixtures)
from tests.e2e.test_help_over_http import block_text

NOTE = "worried about the pulmonology interview and my sister's surgery"
GOAL = "Submit the anemia abstract"


def seen_by(running_app: RunningApp, user: User) -> str:
    """Everything `user` could see: their Home, their DMs and ephemeral replies, as one text."""
    team = running_app.workspace.team_id
    items = running_app.sandbox.state.feed.items(team, user.id)
    shown = [json.dumps(running_app.sandbox.state.home_view(team, user.id) or {})]
    shown += [json.dumps([item.text, item.blocks], default=str) for item in items]
    return "\n".join(shown)


def test_meeting_notes_reach_nobody_but_their_writer(
    running_app: RunningApp,
    alice: User,
    bob: User,  # noqa: F811
    mentor: User,  # noqa: F811
    coordinator: User,
) -> None:
    join(running_app, alice, PEER)
    join(running_app, bob, PEER)
    join(running_app, mentor, MENTOR)
    relate(running_app, "circle", [(alice, "peer"), (bob, "peer")], label="Night floats")
    relate(running_app, "mentorship", [(alice, "mentee"), (mentor, "mentor")])
    say(running_app, alice, f"goal add {GOAL}")
    assert "Logged your meeting" in say(running_app, alice, f"met <@{mentor.id}> yesterday {NOTE}")["text"]
    for user in (alice, bob, mentor, coordinator):
        running_app.session(user).slash_command("/mentor", "meetings")
    running_app.session(coordinator).slash_command("/mentor", "admin stats")
    running_app.session(coordinator).slash_command("/mentor", "admin stats csv")
    settle_effects(running_app)

    assert NOTE in json.dumps(running_app.session(alice).slash_command("/mentor", "meetings").reply()), (
        "the writer can read their note"
    )
    assert GOAL in seen_by(running_app, mentor), "the mentor sees the mentee's goals"
    for other in (bob, mentor, coordinator):
        assert NOTE not in seen_by(running_app, other), "a note is shown to nobody else"
    files = [f.content.decode("utf-8", "replace") for f in running_app.sandbox.state.uploaded_files()]
    assert files and all(NOTE not in f and GOAL not in f for f in files), "coordinators' files carry no text"


def test_the_privacy_page_says_notes_are_the_writers_alone(running_app: RunningApp, alice: User) -> None:
    text = block_text(running_app.session(alice).slash_command("/mentor", "privacy").reply()["blocks"])
    assert "They're never shown to your mentors, your circle or your coordinators" in text
