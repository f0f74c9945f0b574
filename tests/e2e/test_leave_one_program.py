"""`/mentor leave [PROGRAM]`: a member in a circles program and a 1:1 program leaves one and stays in the
other; those left behind hear once, kindly; the coordinator hears about the circle now below its minimum;
bad input changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from bot.sandbox import User
from storage.models import Relationship
from storage.programs import ProgramRepository
from storage.repositories import MemberRepository, WorkspaceRepository
from tests.e2e import test_nudges
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import MENTOR, PEER, member_row, relate
from tests.e2e.test_coordinator_notices import notice_dms, run_until
from tests.e2e.test_program_matching import CIRCLES, ONE_TO_ONE, add_program, enrol

clock = test_nudges.clock


def in_program(running_app: RunningApp, program_id: int, kind: str, people: list[tuple[User, str]]) -> int:
    relationship_id = relate(running_app, kind, people)
    with running_app.services.db.session() as session:
        session.get_one(Relationship, relationship_id).program_id = program_id
    return relationship_id


def programs_of(running_app: RunningApp, user: User) -> list[str]:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        member = MemberRepository(session, space.id).find(user.id)
        return [program.name for program in ProgramRepository(session, space.id).programs_of(member)]


def people_in(running_app: RunningApp, relationship_id: int) -> tuple[set[str], bool]:
    """Who is in a relationship, and whether it is still live."""
    with running_app.services.db.session() as session:
        relationship = session.get_one(Relationship, relationship_id)
        return {link.member.slack_user_id for link in relationship.members}, relationship.is_live


def dm_texts(running_app: RunningApp, user: User) -> list[str]:
    settle_effects(running_app)
    return [m.text for m in running_app.sandbox.state.dms_to(running_app.workspace.team_id, user.id)]


def two_programs(running_app: RunningApp) -> tuple[User, list[User], User, int, int]:
    """Ana in a circle of three (circles program) and mentored by Mo (1:1 program)."""
    circles_id = add_program(running_app, CIRCLES, "circles")
    one_to_one_id = add_program(running_app, ONE_TO_ONE, "mentors")
    ana = enrol(running_app, CIRCLES, "ana", PEER)
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        programs = ProgramRepository(session, space.id)
        found = programs.named(ONE_TO_ONE)
        assert found is not None
        programs.enroll(found, MemberRepository(session, space.id).find(ana.id), datetime.now(UTC))
    mates = [enrol(running_app, CIRCLES, name, PEER) for name in ("ben", "cat")]
    mo = enrol(running_app, ONE_TO_ONE, "mo", MENTOR)
    circle = in_program(running_app, circles_id, "circle", [(ana, "peer"), *((m, "peer") for m in mates)])
    mentorship = in_program(running_app, one_to_one_id, "mentorship", [(ana, "mentee"), (mo, "mentor")])
    return ana, mates, mo, circle, mentorship


def test_leaving_one_program_by_name_keeps_the_other_and_tells_those_left_behind_once(
    running_app: RunningApp, clock, coordinator: User
) -> None:
    ana, mates, mo, circle, mentorship = two_programs(running_app)
    session = running_app.session(ana)

    reply = session.slash_command("/mentor", f"leave {CIRCLES.lower()}").reply()["text"]
    assert reply == (
        f"You've left {CIRCLES}: no more matches or reminders from it. You're still in {ONE_TO_ONE}."
    )
    assert programs_of(running_app, ana) == [ONE_TO_ONE]
    assert member_row(running_app, ana).status == "active"
    assert people_in(running_app, circle) == ({m.id for m in mates}, True), "the circle carries on"
    assert people_in(running_app, mentorship) == ({ana.id, mo.id}, True), "the other program untouched"

    again = session.slash_command("/mentor", f"leave {CIRCLES}").reply()["text"]
    assert again == f"You're not in {CIRCLES}, so there's nothing to leave there. You're in {ONE_TO_ONE}."
    for mate in mates:
        assert dm_texts(running_app, mate) == [
            f"Hi! <@{ana.id}> has stepped back from {CIRCLES}. Your circle carries on as before."
        ], "one kind note each, naming no reason"
    assert dm_texts(running_app, mo) == []

    run_until(running_app, clock, datetime(2027, 3, 2, 23, tzinfo=UTC))
    told = [text for text in notice_dms(running_app, coordinator) if "below the program's minimum" in text]
    assert len(told) == 1
    assert f"*{CIRCLES}*: a circle is down to 2 active members, below the program's minimum of 3" in told[0]
    assert all(f"<@{user.id}>" not in told[0] for user in (ana, *mates))


def test_leave_without_a_name_asks_which_program_and_a_button_leaves_that_one(
    running_app: RunningApp, coordinator: User
) -> None:
    ana, mates, mo, circle, mentorship = two_programs(running_app)
    session = running_app.session(ana)

    asked = session.slash_command("/mentor", "leave").reply()
    assert asked["text"] == f"Which program would you like to leave? You're in {CIRCLES} and {ONE_TO_ONE}."
    buttons = [e for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == [CIRCLES, ONE_TO_ONE, "All of them", "Stay"]
    assert all(b["confirm"]["confirm"]["text"] == "Leave" for b in buttons[:3])
    assert programs_of(running_app, ana) == [CIRCLES, ONE_TO_ONE], "asking changes nothing"

    left = session.click(buttons[1]["action_id"]).wait_for_response(1, 10)[0]["text"]
    assert left.startswith(f"You've left {ONE_TO_ONE}") and f"still in {CIRCLES}" in left
    assert programs_of(running_app, ana) == [CIRCLES]
    assert people_in(running_app, mentorship) == ({mo.id}, False), "a mentorship without its mentee ends"
    assert people_in(running_app, circle)[0] == {ana.id, *(m.id for m in mates)}
    (note,) = dm_texts(running_app, mo)
    assert note.startswith(f"Hi! <@{ana.id}> has stepped back from {ONE_TO_ONE}, so your mentorship")
    assert all(dm_texts(running_app, mate) == [] for mate in mates)

    with running_app.services.db.session() as session_db:
        live = session_db.scalars(select(Relationship).where(Relationship.ended_at.is_(None))).all()
        assert [r.id for r in live] == [circle]

    single = session.slash_command("/mentor", "leave").reply()
    assert "settings_leave_confirm" in json.dumps(single["blocks"]), "one program: leave as before"


def test_an_unknown_program_name_changes_nothing_and_all_of_them_leaves_everything(
    running_app: RunningApp, coordinator: User
) -> None:
    ana, mates, mo, circle, mentorship = two_programs(running_app)
    session = running_app.session(ana)
    reply = session.slash_command("/mentor", "leave Surgery Buddies").reply()["text"]
    assert reply == (
        f"I don't know a program called “Surgery Buddies”. You're in {CIRCLES} and {ONE_TO_ONE}, "
        "so nothing has changed."
    )
    assert programs_of(running_app, ana) == [CIRCLES, ONE_TO_ONE]
    assert people_in(running_app, circle)[0] == {ana.id, *(m.id for m in mates)}
    assert people_in(running_app, mentorship) == ({ana.id, mo.id}, True)
    assert all(dm_texts(running_app, user) == [] for user in (*mates, mo))

    session.slash_command("/mentor", "leave").reply()
    everything = session.click("settings_leave_confirm").wait_for_response(1, 10)[0]["text"]
    assert everything.startswith("You've left Mentor Circles")
    assert member_row(running_app, ana).status == "left"
