"""Each program's schedule drives the clock: send hour, weekdays, cadence, read from its settings.

Two programs share one workspace. Their rounds are published through the real matcher, then the real
clock ticks hourly (plan and deliver) for weeks of simulated time, and the sandbox DMs show when each
member's nudges arrived in their own time zone. A coordinator then changes one program's send hour in
the settings modal, and the next nudge follows it.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.members import ProfileDraft
from bot.domain.programs import ProgramSettings
from bot.sandbox import SandboxClock, User
from storage.models import OutboxNudge, Relationship
from storage.programs import ProgramRepository
from storage.repositories import MemberRepository, WorkspaceRepository
from tests.e2e import test_nudges
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.members import MENTOR, PEER
from tests.e2e.test_nudges import Simulation, enrol, person, received

clock = test_nudges.clock

EARLY = ProgramSettings(
    circle_size=2,
    min_size=2,
    max_size=2,
    cadence_days=14,
    send_hour=7,
    quiet_start=21,
    quiet_end=6,
    weekdays_only=False,
)
"""Night-float residents: early nudges, weekends included, a meeting every two weeks."""
WEEKDAY = ProgramSettings(kind="mentors", cadence_days=30)
"""Faculty mentoring on the default schedule: nudges at 9:00 on weekdays; a meeting every 30 days."""

CHICAGO = "America/Chicago"
BERLIN = "Europe/Berlin"
MONTHLY_PEER = dataclasses.replace(PEER, frequency="monthly")
"""Members' own preference (30 days) differs from the early program's cadence, so it must not win."""


def add_program(running_app: RunningApp, name: str, settings: ProgramSettings) -> None:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        assert ProgramRepository(session, space.id).add(name, settings) is not None


def join_program(
    running_app: RunningApp, name: str, people: list[tuple[User, ProfileDraft]], tz: str
) -> None:
    now = running_app.services.clock()
    users = [user for user, _ in people]
    for user, profile in people:
        enrol(running_app, user, profile, tz, now)
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        programs = ProgramRepository(session, space.id)
        program = programs.named(name)
        assert program is not None
        for user in users:
            assert programs.enroll(program, MemberRepository(session, space.id).find(user.id), now)


def publish_round(running_app: RunningApp, name: str) -> None:
    """Preview and publish the program's matches, as a coordinator's buttons do, at the simulated instant.

    Rows take their creation time from the real clock, so the circle is stamped with the simulated one.
    """
    matching = running_app.services.matching
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        program = ProgramRepository(session, space.id).named(name)
        assert program is not None
        kind = ProgramSettings.from_json(program.settings).kind
        round_id, proposal = matching.preview(session, space.id, kind, 0, "setup", program_id=program.id)
        assert len(proposal.groups) == 1
    with running_app.services.db.session() as session:
        published = matching.publish(session, space.id, round_id)
        (relationship_id,) = published.relationship_ids
        session.get_one(Relationship, relationship_id).created_at = running_app.services.clock()


def expected_on(running_app: RunningApp) -> dict[tuple[str, str], set[str]]:
    """For each (recipient, kind): the meeting dates the delivered nudges were about."""
    found: dict[tuple[str, str], set[str]] = {}
    with running_app.services.db.session() as session:
        delivered = select(OutboxNudge).where(
            OutboxNudge.ts.is_not(None), OutboxNudge.kind.in_(("meeting_reminder", "did_you_meet"))
        )
        for row in session.scalars(delivered):
            found.setdefault((row.user_id, row.kind), set()).add(row.payload["expected_on"])
    return found


def arrivals(running_app: RunningApp, users: dict[str, tuple[User, str]]) -> list[tuple[str, str, str]]:
    """Every nudge DM so far as (recipient, kind, local weekday and time)."""
    return [(r.user, r.kind, f"{r.local:%a %Y-%m-%d %H:%M}") for r in received(running_app, users)]


def edit_send_hour(running_app: RunningApp, coordinator: User, name: str, hour: int) -> None:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", f"admin program edit {name}")
    wait_for_modal(session, "program_settings")
    answer = session.view_submission(values={"send_hour": str(hour)}).body
    assert not answer or answer.get("response_action") != "errors"


def test_each_programs_send_hour_weekdays_and_cadence_decide_when_nudges_arrive(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    ana, ben = (person(running_app, n, n.title(), CHICAGO) for n in ("ana", "ben"))
    wim, zoe = (person(running_app, n, n.title(), BERLIN) for n in ("wim", "zoe"))
    users = {"ana": (ana, CHICAGO), "ben": (ben, CHICAGO), "wim": (wim, BERLIN), "zoe": (zoe, BERLIN)}
    add_program(running_app, "Night float peers", EARLY)
    add_program(running_app, "Faculty mentoring", WEEKDAY)
    simulation = Simulation(running_app, clock)

    clock.set(datetime(2027, 2, 15, 12, tzinfo=UTC))
    join_program(running_app, "Faculty mentoring", [(wim, MONTHLY_PEER), (zoe, MENTOR)], BERLIN)
    publish_round(running_app, "Faculty mentoring")
    clock.set(datetime(2027, 2, 24, 12, tzinfo=UTC))
    join_program(running_app, "Night float peers", [(ana, MONTHLY_PEER), (ben, MONTHLY_PEER)], CHICAGO)
    publish_round(running_app, "Night float peers")
    clock.set(datetime(2027, 3, 1, 0, tzinfo=UTC))

    simulation.run_until(datetime(2027, 3, 19, 12, tzinfo=UTC))
    night_float = [
        ("meeting_reminder", "Sun 2027-03-07 07:00"),
        ("did_you_meet", "Thu 2027-03-11 07:00"),
    ]
    weekday = [
        ("meeting_reminder", "Mon 2027-03-15 09:00"),
        ("did_you_meet", "Thu 2027-03-18 09:00"),
    ]
    assert arrivals(running_app, users) == [
        *(("ana", kind, at) for kind, at in night_float),
        *(("ben", kind, at) for kind, at in night_float),
        *(("wim", kind, at) for kind, at in weekday),
        *(("zoe", kind, at) for kind, at in weekday),
    ]
    meets = expected_on(running_app)
    for user in (ana, ben):
        assert meets[(user.id, "meeting_reminder")] == meets[(user.id, "did_you_meet")] == {"2027-03-10"}
    for user in (wim, zoe):
        assert meets[(user.id, "meeting_reminder")] == meets[(user.id, "did_you_meet")] == {"2027-03-17"}

    edit_send_hour(running_app, coordinator, "Night float peers", 11)
    simulation.run_until(datetime(2027, 3, 26, 12, tzinfo=UTC))
    night_float += [
        ("meeting_reminder", "Sun 2027-03-21 11:00"),
        ("did_you_meet", "Thu 2027-03-25 11:00"),
        # Each program's round 3 ends on March 31: its feedback comes at the program's own hour.
        ("round_feedback", "Thu 2027-03-25 11:00"),
    ]
    weekday += [("round_feedback", "Thu 2027-03-25 09:00")]
    assert arrivals(running_app, users) == [
        *(("ana", kind, at) for kind, at in night_float),
        *(("ben", kind, at) for kind, at in night_float),
        *(("wim", kind, at) for kind, at in weekday),
        *(("zoe", kind, at) for kind, at in weekday),
    ]
    meets = expected_on(running_app)
    for user in (ana, ben):
        assert meets[(user.id, "did_you_meet")] == {"2027-03-10", "2027-03-24"}


def test_publishing_one_programs_circles_leaves_another_programs_circles_running(
    running_app: RunningApp, clock: SandboxClock
) -> None:
    first, second = (
        [person(running_app, f"{n}{i}", n.title(), CHICAGO) for i in (1, 2)] for n in ("ivy", "max")
    )
    add_program(running_app, "Night float peers", EARLY)
    add_program(running_app, "Day team peers", dataclasses.replace(EARLY, send_hour=9))
    join_program(running_app, "Night float peers", [(user, MONTHLY_PEER) for user in first], CHICAGO)
    join_program(running_app, "Day team peers", [(user, MONTHLY_PEER) for user in second], CHICAGO)
    publish_round(running_app, "Night float peers")
    publish_round(running_app, "Day team peers")
    with running_app.services.db.session() as session:
        running = session.scalars(select(Relationship.program_id).where(Relationship.ended_at.is_(None)))
        assert len(set(running)) == 2
