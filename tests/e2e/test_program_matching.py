"""Coordinators preview and publish matches per program, by command and by the Home's buttons.

Two programs share a workspace: "PGY-1 Peer Circles" (circles) and "IM Faculty Mentoring" (1:1). What a
preview shows is what its publish sends: the same groups, kept ones counted, and introductions only for
the new ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.programs import ProgramSettings
from bot.sandbox import User, UserSession
from bot.sandbox.views_store import View
from storage.models import Relationship, Round
from storage.programs import ProgramRepository
from storage.repositories import MemberRepository, WorkspaceRepository
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import MENTOR, PEER, join

CIRCLES = "PGY-1 Peer Circles"
ONE_TO_ONE = "IM Faculty Mentoring"
MENTEE = replace(PEER, roles=("mentee",))
MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")


def add_program(running_app: RunningApp, name: str, kind: str) -> int:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        program = ProgramRepository(session, space.id).add(name, ProgramSettings(kind=kind))
        assert program is not None
        return program.id


def enrol(running_app: RunningApp, program: str, name: str, profile=PEER) -> User:
    user = running_app.sandbox.add_user(running_app.workspace.team_id, name, name.title())
    join(running_app, user, profile)
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        programs = ProgramRepository(session, space.id)
        found = programs.named(program)
        assert found is not None
        member = MemberRepository(session, space.id).find(user.id)
        assert programs.enroll(found, member, datetime.now(UTC))
    return user


def command(running_app: RunningApp, user: User, text: str) -> dict:
    return running_app.session(user).slash_command("/mentor", text).reply(20)


def shown_groups(blocks: list[dict]) -> list[frozenset[str]]:
    """The groups a preview shows: the people mentioned in the first line of each circle or match."""
    groups = []
    for block in blocks:
        text = (block.get("text") or {}).get("text", "") if block.get("type") == "section" else ""
        first = text.split("\n")[0]
        if first.startswith("*Circle ") or first.startswith("*<@"):
            groups.append(frozenset(MENTION.findall(first)))
    return groups


def live_groups(running_app: RunningApp, program_id: int) -> list[frozenset[str]]:
    """The people of each live circle or mentorship of the program, in the order they were made."""
    with running_app.services.db.session() as session:
        live = session.scalars(
            select(Relationship)
            .where(Relationship.program_id == program_id, Relationship.ended_at.is_(None))
            .order_by(Relationship.id)
        )
        return [frozenset(link.member.slack_user_id for link in r.members) for r in live]


def introduced(running_app: RunningApp, since: int = 0) -> list[frozenset[str]]:
    """Everyone each introduction after the first `since` posts went to (the bot aside)."""
    settle_effects(running_app)
    conversations = running_app.sandbox.state.directory.conversations
    bot = running_app.workspace.bot_user_id
    return [
        frozenset(set(conversations[call.args["channel"]].members) - {bot})
        for call in running_app.sandbox.calls("chat.postMessage")[since:]
        if call.response.get("ok")
        and (call.args.get("metadata") or {}).get("event_type") == "mentor_circles_intro"
    ]


def posts(running_app: RunningApp) -> int:
    return len(running_app.sandbox.calls("chat.postMessage"))


def opened_home(running_app: RunningApp, coordinator: User) -> tuple[UserSession, View]:
    """The coordinator opens their App Home and waits until it is published and settled."""
    session = running_app.session(coordinator)
    session.app_home_opened()
    team = running_app.workspace.team_id
    assert running_app.sandbox.state.feed.wait_until(
        lambda: running_app.sandbox.state.views.home(team, coordinator.id) is not None, 10
    )
    settle_effects(running_app)
    home = running_app.sandbox.state.views.home(team, coordinator.id)
    assert home is not None
    return session, home


def test_commands_and_home_buttons_preview_and_publish_the_program_named(
    running_app: RunningApp, coordinator: User
) -> None:
    circles_id = add_program(running_app, CIRCLES, "circles")
    mentoring_id = add_program(running_app, ONE_TO_ONE, "mentors")
    peers = [enrol(running_app, CIRCLES, f"peer{i}") for i in range(3)]
    mentees = [enrol(running_app, ONE_TO_ONE, f"mentee{i}", MENTEE) for i in range(2)]
    mentor = enrol(running_app, ONE_TO_ONE, "mentor", MENTOR)

    shown = command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    text = json.dumps(shown["blocks"])
    assert "Proposed mentor matches" in text and ONE_TO_ONE in text
    assert "2 mentees matched" in text
    assert not any(peer.id in text for peer in peers), "the circles program's people are not in it"
    assert sorted(shown_groups(shown["blocks"]), key=sorted) == sorted(
        (frozenset({m.id, mentor.id}) for m in mentees), key=sorted
    )
    published = command(running_app, coordinator, f"admin match publish mentor {ONE_TO_ONE}")
    assert "Published 2 mentor matches: 2 introductions are on their way" in published["text"]
    assert sorted(live_groups(running_app, mentoring_id), key=sorted) == sorted(
        shown_groups(shown["blocks"]), key=sorted
    )
    assert live_groups(running_app, circles_id) == []

    session, home = opened_home(running_app, coordinator)
    before = posts(running_app)
    session.view_action(home, "program_preview", block_id=f"program_{circles_id}")
    assert running_app.sandbox.state.feed.wait_until(
        lambda: any(
            "match_publish" in json.dumps(c.args.get("blocks"))
            for c in running_app.sandbox.calls("chat.postMessage")[before:]
        ),
        10,
    ), "the Home's button sends the preview to the coordinator's DM"
    dm_preview = running_app.sandbox.calls("chat.postMessage")[-1].args["blocks"]
    assert CIRCLES in json.dumps(dm_preview) and "Proposed peer circles" in json.dumps(dm_preview)
    assert shown_groups(dm_preview) == [frozenset(peer.id for peer in peers)]
    intros_before = posts(running_app)
    result = session.click("match_publish").wait_for_response(1, 20)[0]
    assert "Published 1 peer circle: 1 introduction is" in result["text"]
    assert live_groups(running_app, circles_id) == [frozenset(peer.id for peer in peers)]
    assert introduced(running_app, intros_before) == [frozenset(peer.id for peer in peers)]
    with running_app.services.db.session() as db_session:
        programs = {r.kind: r.program_id for r in db_session.scalars(select(Round))}
    assert programs == {"mentors": mentoring_id, "circles": circles_id}


def test_a_kind_that_is_not_the_programs_or_an_unknown_program_changes_nothing(
    running_app: RunningApp, coordinator: User
) -> None:
    add_program(running_app, ONE_TO_ONE, "mentors")
    enrol(running_app, ONE_TO_ONE, "mentee0", MENTEE)
    wrong = command(running_app, coordinator, f"admin match preview circles {ONE_TO_ONE}")["text"]
    assert f"“{ONE_TO_ONE}” runs 1:1 mentoring, so I match it as mentors" in wrong
    assert f"`/mentor admin match preview mentors {ONE_TO_ONE}`" in wrong
    unknown = command(running_app, coordinator, "admin match publish IM Faculty Mentors")["text"]
    assert "couldn't find a program called “IM Faculty Mentors”" in unknown
    with running_app.services.db.session() as session:
        assert session.scalars(select(Round)).all() == []


def test_a_preview_that_places_nobody_offers_no_publish_and_says_why(
    running_app: RunningApp, coordinator: User
) -> None:
    add_program(running_app, ONE_TO_ONE, "mentors")
    enrol(running_app, ONE_TO_ONE, "mentee0", MENTEE)
    shown = command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    text = json.dumps(shown["blocks"])
    assert "No mentors take part in this program yet" in text
    assert "match_publish" not in text and "no Publish button" in text
    refused = command(running_app, coordinator, f"admin match publish {ONE_TO_ONE}")["text"]
    assert "That preview places nobody, so there is nothing to publish" in refused
    assert f"`/mentor admin match preview mentors {ONE_TO_ONE}`" in refused
    with running_app.services.db.session() as session:
        assert session.scalars(select(Relationship)).all() == []
        assert {r.status for r in session.scalars(select(Round))} == {"draft"}


def test_a_publish_sends_exactly_what_its_preview_showed_kept_matches_included(
    running_app: RunningApp, coordinator: User
) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    mo = enrol(running_app, ONE_TO_ONE, "mo", replace(MENTOR, capacity=2))
    command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    assert (
        "Published 1 mentor match: 1 introduction"
        in running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)[0]["text"]
    )
    assert introduced(running_app) == [frozenset({ana.id, mo.id})]

    kept_only = command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    assert "_(kept)_" in json.dumps(kept_only["blocks"])
    assert shown_groups(kept_only["blocks"]) == [frozenset({ana.id, mo.id})]
    before = posts(running_app)
    published = running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)[0]
    assert "Published 1 mentor match (1 kept from before, already introduced)" in published["text"]
    assert "no introduction was needed" in published["text"]
    assert live_groups(running_app, program_id) == [frozenset({ana.id, mo.id})]
    assert introduced(running_app, before) == []

    ben = enrol(running_app, ONE_TO_ONE, "ben", MENTEE)
    mixed = command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    groups = shown_groups(mixed["blocks"])
    assert sorted(groups, key=sorted) == sorted(
        [frozenset({ana.id, mo.id}), frozenset({ben.id, mo.id})], key=sorted
    )
    before = posts(running_app)
    published = running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)[0]
    assert (
        "Published 2 mentor matches (1 kept from before, already introduced): 1 introduction"
        in (published["text"])
    )
    assert sorted(live_groups(running_app, program_id), key=sorted) == sorted(groups, key=sorted)
    assert introduced(running_app, before) == [frozenset({ben.id, mo.id})]


def test_a_preview_someone_left_since_is_not_published(running_app: RunningApp, coordinator: User) -> None:
    program_id = add_program(running_app, CIRCLES, "circles")
    peers = [enrol(running_app, CIRCLES, f"peer{i}") for i in range(3)]
    command(running_app, coordinator, f"admin match preview {CIRCLES}")
    left = running_app.session(peers[0]).slash_command("/mentor", "pause").reply(10)
    assert left
    refused = running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)[0]["text"]
    assert "paused or left the program since" in refused and f"preview circles {CIRCLES}" in refused
    assert live_groups(running_app, program_id) == []


def test_the_home_button_of_a_one_to_one_program_previews_it_as_the_command_does(
    running_app: RunningApp, coordinator: User
) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    enrol(running_app, ONE_TO_ONE, "mentee0", MENTEE)
    by_command = command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")["blocks"]
    session, home = opened_home(running_app, coordinator)
    before = posts(running_app)
    session.view_action(home, "program_preview", block_id=f"program_{program_id}")
    assert running_app.sandbox.state.feed.wait_until(lambda: posts(running_app) > before, 10)
    by_button = running_app.sandbox.calls("chat.postMessage")[-1].args["blocks"]

    def without_ids(blocks: list[dict]) -> str:
        return re.sub(r'"(block_id|value)": "[^"]*"', "", json.dumps(blocks, sort_keys=True))

    assert without_ids(by_button) == without_ids(by_command)
    assert "No mentors take part in this program yet" in json.dumps(by_button)
    with running_app.services.db.session() as db_session:
        assert {(r.kind, r.program_id) for r in db_session.scalars(select(Round))} == {
            ("mentors", program_id)
        }
