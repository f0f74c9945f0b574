"""Dates that agree, tried through the running app as a new program's people and coordinator would meet
them: the program page and the next preview name a round the same way, Home's next check-in is never in
the past and its "last met" lines say which meetings they mean, and each weekly digest counts the week
its heading names, once.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from bot.nudges.clock import tick
from bot.sandbox import SandboxClock, User
from storage.models import Meeting, Member, Relationship
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import join, relate
from tests.e2e.test_goals import say, wait_for_home
from tests.e2e.test_nudges import FAST

NEW_PROGRAM_DAY = datetime(2026, 10, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(NEW_PROGRAM_DAY)


"""The nudge tests' sandbox and running app, on this module's `clock`."""


def people(running_app: RunningApp, *names: str) -> list[User]:
    team = running_app.workspace.team_id
    users = [running_app.sandbox.add_user(team, name, name.title(), tz="America/Chicago") for name in names]
    for user in users:
        join(running_app, user)
    return users


def shown(responses: list[dict]) -> str:
    return json.dumps(responses, ensure_ascii=False)


def test_the_program_page_and_the_next_preview_name_the_round_alike(
    running_app: RunningApp, coordinator: User
) -> None:
    people(running_app, "ana", "ben", "cy")
    coordinator_session = running_app.session(coordinator)
    page = coordinator_session.slash_command("/mentor", "admin program show Mentor Circles").reply()
    assert "Round 2 of 2026–27 runs Oct 1 – Dec 31, 2026; the next round starts Jan 1, 2027." in shown([page])

    coordinator_session.slash_command("/mentor", "admin match preview circles").wait_for_response(1, 20)
    coordinator_session.click("match_publish").wait_for_response(1, 20)
    settle_effects(running_app)
    again = coordinator_session.slash_command("/mentor", "admin match preview circles")
    text = shown(again.wait_for_response(1, 20))
    assert "most recently in round 2 of 2026–27" in text
    assert "in round 1" not in text


def test_home_shows_a_check_in_still_to_come_and_says_which_meetings_it_means(
    running_app: RunningApp, clock: SandboxClock
) -> None:
    alice, bob, cara = people(running_app, "alice", "bob", "cara")
    earlier = relate(running_app, "circle", [(alice, "peer"), (cara, "peer")])
    clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=UTC))
    assert "logged" in say(running_app, alice, f"met <@{cara.id}> today")["text"].lower()
    current = relate(running_app, "circle", [(alice, "peer"), (bob, "peer")])
    with running_app.services.db.session() as session:
        session.execute(
            update(Relationship)
            .where(Relationship.id == earlier)
            .values(ended_at=datetime(2026, 12, 1, tzinfo=UTC))
        )
        session.execute(
            update(Relationship)
            .where(Relationship.id == current)
            .values(created_at=datetime(2026, 11, 15, 15, 0, tzinfo=UTC), cadence_days=30)
        )

    clock.set(datetime(2027, 1, 15, 15, 0, tzinfo=UTC))
    session = running_app.session(alice)
    session.app_home_opened()
    published = wait_for_home(running_app, alice, present="February 13, 2027")
    home = json.dumps(json.loads(published), ensure_ascii=False)
    assert "no meeting logged for this circle yet · next check-in around Saturday, February 13, 2027" in home
    assert "December 15" not in home
    assert "Your last meeting logged outside these: Monday, November 30, 2026" in home


def digests(running_app: RunningApp, coordinator: User) -> list[str]:
    team = running_app.workspace.team_id
    return [
        json.dumps(message.blocks, ensure_ascii=False)
        for message in running_app.sandbox.state.dms_to(team, coordinator.id)
        if message.blocks and "Weekly participation summary" in json.dumps(message.blocks)
    ]


def test_each_weekly_digest_counts_the_week_its_heading_names_once(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    clock.set(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    alice, bob = people(running_app, "alice", "bob")
    relate(running_app, "circle", [(alice, "peer"), (bob, "peer")])
    for logged_at in (datetime(2026, 11, 30, 18, 0, tzinfo=UTC), datetime(2026, 12, 1, 18, 0, tzinfo=UTC)):
        clock.set(logged_at)
        assert "logged" in say(running_app, alice, f"met <@{bob.id}> today")["text"].lower()
        with running_app.services.db.session() as session:
            session.execute(
                update(Meeting).where(Meeting.held_on == logged_at.date()).values(created_at=logged_at)
            )
    with running_app.services.db.session() as session:
        session.execute(update(Member).values(joined_at=datetime(2026, 11, 20, 15, 0, tzinfo=UTC)))

    tick(running_app.services, deliver=True, options=FAST)
    clock.set(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))
    tick(running_app.services, deliver=True, options=FAST)
    first = digests(running_app, coordinator)
    assert len(first) == 1
    assert "Monday, November 23, 2026 to Sunday, November 29, 2026" in first[0]
    assert "Meetings logged: *0*" in first[0], "nothing was held that week"

    clock.set(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))
    tick(running_app.services, deliver=True, options=FAST)
    second = digests(running_app, coordinator)[1:]
    assert len(second) == 1
    assert "Monday, November 30, 2026 to Sunday, December 6, 2026" in second[0]
    assert "Meetings logged: *2*" in second[0]

    stats = running_app.session(coordinator).slash_command("/mentor", "admin stats")
    summary = shown(stats.wait_for_response(1, 20))
    assert "Nov 2026: 1 meeting" in summary and "Dec 2026: 1 meeting" in summary
