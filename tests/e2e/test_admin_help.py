"""Help for coordinators: `/mentor help admin`, a bare `/mentor admin`, kinds in either number, unknown topics."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.domain.commands import CommandSpec
from handlers.areas import AREAS
from storage.models import AuditEntry, Round
from tests.e2e.conftest import RunningApp
from tests.e2e.test_help_over_http import block_text
from tests.e2e.test_matching import add_peers


def admin_specs() -> list[CommandSpec]:
    """Every `/mentor admin` subcommand the areas define, found in their modules (not listed by hand)."""
    return [
        value
        for area in AREAS
        for value in vars(area).values()
        if isinstance(value, CommandSpec)
        and value.usage[0].startswith(f"/mentor admin {value.name}")
        and not value.hidden
    ]


def listed_lines(reply: dict) -> dict[str, str]:
    """Usage line -> its description, as the reply's blocks show them (`` `line` · description``)."""
    found: dict[str, str] = {}
    for line in block_text(reply["blocks"]).splitlines():
        if line.startswith("`/mentor admin ") and "` · " in line:
            usage, _, description = line[1:].partition("` · ")
            found[usage] = description
    return found


def test_help_admin_and_a_bare_admin_list_every_coordinator_command_with_its_own_description(
    running_app: RunningApp, coordinator
) -> None:
    session = running_app.session(coordinator)
    helped = session.slash_command("/mentor", "help admin").reply()
    bare = session.slash_command("/mentor", "admin").reply()
    expected = {line for spec in admin_specs() for line in spec.usage}
    assert len(expected) > 10
    listing = listed_lines(helped)
    assert set(listing) == expected
    assert listed_lines(bare) == listing
    assert len(set(listing.values())) == len(listing), "each command has its own description"
    assert all(description.strip() for description in listing.values())
    assert "/mentor admin match preview [circles|mentors|teams]" in helped["text"]


def test_an_unknown_admin_command_gets_the_same_list(running_app: RunningApp, coordinator) -> None:
    reply = running_app.session(coordinator).slash_command("/mentor", "admin peple").reply()
    assert "I don't know `/mentor admin peple`" in block_text(reply["blocks"])
    assert set(listed_lines(reply)) == {line for spec in admin_specs() for line in spec.usage}


def test_help_on_one_coordinator_command(running_app: RunningApp, coordinator) -> None:
    session = running_app.session(coordinator)
    for spec in admin_specs():
        reply = session.slash_command("/mentor", f"help admin {spec.name}").reply()
        assert set(listed_lines(reply)) == set(spec.usage), spec.name


def test_members_asking_for_coordinator_help_are_told_who_to_ask_and_shown_no_list(
    running_app: RunningApp, coordinator, alice
) -> None:
    reply = running_app.session(alice).slash_command("/mentor", "help admin").reply()
    assert "only for your program's coordinators" in reply["text"]
    assert f"<@{coordinator.id}>" in reply["text"]
    assert "/mentor admin" not in json.dumps(reply).replace("`/mentor admin` is only", "")
    assert "/mentor admin match" not in json.dumps(reply)
    with running_app.services.db.session() as session:
        assert session.scalars(select(AuditEntry)).all() == [], "asking for help is not an admin action"


def test_help_on_an_unknown_topic_says_so_and_lists_the_topics(running_app: RunningApp, alice) -> None:
    reply = running_app.session(alice).slash_command("/mentor", "help xyz").reply()
    text = block_text(reply["blocks"])
    assert "I don't have any help on “xyz”" in text
    assert "“xyz”" in reply["text"]
    for topic in ("help", "join", "ask", "admin"):
        assert f"`/mentor help {topic}`" in text, topic


def test_kinds_are_understood_singular_or_plural(running_app: RunningApp, coordinator) -> None:
    add_peers(running_app, 6)
    session = running_app.session(coordinator)
    shown = session.slash_command("/mentor", "admin match preview circle").wait_for_response(1, 20)[0]
    assert "Proposed peer circles" in json.dumps(shown["blocks"])
    published = session.slash_command("/mentor", "admin match publish Circle").wait_for_response(1, 20)[0]
    assert "introductions are on their way" in published["text"]
    mentors = session.slash_command("/mentor", "admin match preview mentor").wait_for_response(1, 20)[0]
    assert mentors["text"] == "Proposed matches"
    with running_app.services.db.session() as db:
        assert sorted(db.scalars(select(Round.kind))) == ["circles", "mentors"]
    wrong = session.slash_command("/mentor", "admin match preview circlez").reply()
    assert "I couldn't find a program called “circlez”" in wrong["text"], (
        "an unknown word reads as a program name"
    )
