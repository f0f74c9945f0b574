"""Archiving a finished program from Slack: kept for the reports, no longer joinable, nudged or matched;
unarchiving brings it back. Two programs: the default peer circles and a 1:1 mentoring program."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from bot.domain.nudges.policy import plan_nudges
from bot.nudges.planner import Planner
from bot.sandbox import User
from storage.models import AuditEntry, CoordinatorNotice, Member, Relationship
from tests.e2e.conftest import RunningApp
from tests.e2e.members import member_row, relate
from tests.e2e.test_counts_per_program import DEFAULT, FACULTY, report, sign_up
from tests.e2e.test_enrollment import add_program, offered, open_join

FIRST_DAY, LAST_DAY = 25, 42


def admin(running_app: RunningApp, coordinator: User, text: str) -> dict:
    return running_app.session(coordinator).slash_command("/mentor", f"admin {text}").reply()


def planned(running_app: RunningApp, user: User) -> list:
    """What the nudge planner would send, twice a day over weeks four to six (when the first "did you
    meet?" falls due), for the workspace as it is now."""
    planner = Planner(running_app.services.db)
    workspace_id = member_row(running_app, user).workspace_id
    found = []
    with running_app.services.db.session() as session:
        for step in range(FIRST_DAY * 2, LAST_DAY * 2):
            at = running_app.services.clock() + timedelta(hours=12 * step)
            found.extend(plan_nudges(planner.snapshot(session, workspace_id, at), at))
    return found


def setup(running_app: RunningApp, alice: User) -> tuple[User, int, int]:
    team = running_app.workspace.team_id
    bob = running_app.sandbox.add_user(team, "bob", "Bob Brown", tz="America/Chicago")
    cara = running_app.sandbox.add_user(team, "cara", "Cara Chen", tz="America/Chicago")
    faculty_id = int(add_program(running_app, FACULTY, kind="mentors"))
    sign_up(running_app, alice, DEFAULT, FACULTY)
    sign_up(running_app, bob, FACULTY)
    sign_up(running_app, cara, DEFAULT)
    circle = relate(running_app, "circle", [(alice, "peer"), (cara, "peer")])
    mentorship = relate(running_app, "mentorship", [(alice, "mentee"), (bob, "mentor")])
    with running_app.services.db.session() as session:
        session.execute(
            update(Relationship).where(Relationship.id == mentorship).values(program_id=faculty_id)
        )
    return bob, mentorship, circle


def test_an_archived_program_is_kept_for_reports_but_not_joined_nudged_or_matched_until_unarchived(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    bob, mentorship, circle = setup(running_app, alice)
    before = planned(running_app, alice)
    assert any(n.payload.get("relationship_id") == mentorship for n in before)
    assert any(n.user_id == bob.id for n in before)
    newcomer = running_app.sandbox.add_user(running_app.workspace.team_id, "nia", "Nia Novak")
    assert any(label.startswith(FACULTY) for label in offered(open_join(running_app, newcomer)))
    running_app.session(newcomer).close_modal()

    archived = admin(running_app, coordinator, f"program archive {FACULTY}")
    assert f"I've archived “{FACULTY}”" in archived["text"]
    assert "already archived" in admin(running_app, coordinator, f"program archive {FACULTY}")["text"]

    after = planned(running_app, alice)
    assert not any(n.payload.get("relationship_id") == mentorship for n in after)
    assert not any(n.user_id == bob.id for n in after), "bob is only in the archived program"
    assert any(n.payload.get("relationship_id") == circle and n.user_id == alice.id for n in after), (
        "alice's circle in the default program carries on"
    )
    assert not any(label.startswith(FACULTY) for label in offered(open_join(running_app, newcomer)))
    running_app.session(newcomer).close_modal()

    running_app.services.notices.look(
        member_row(running_app, alice).workspace_id, running_app.services.clock()
    )
    with running_app.services.db.session() as session:
        noticed = {notice.facts["program"] for notice in session.scalars(select(CoordinatorNotice))}
    assert noticed == {DEFAULT}, "no round is due for review in an archived program"

    shown = json.dumps(admin(running_app, coordinator, f"program show {FACULTY}")["blocks"])
    assert "archived" in shown and "program_unarchive" in shown and "program_preview" not in shown
    listing = json.dumps(admin(running_app, coordinator, "program list")["blocks"])
    assert f"{FACULTY}* _(archived)_" in listing
    kept = report(running_app, coordinator, FACULTY)
    assert (kept["participants"], kept["mentorships"]) == (2, 1), "its numbers stay in the reports"

    restored = admin(running_app, coordinator, f"program unarchive {FACULTY}")
    assert "running again" in restored["text"]
    assert any(n.payload.get("relationship_id") == mentorship for n in planned(running_app, alice))
    assert any(label.startswith(FACULTY) for label in offered(open_join(running_app, newcomer)))
    with running_app.services.db.session() as session:
        actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.actor == coordinator.id)))
    assert actions.count("admin program archive") == 2 and "admin program unarchive" in actions


def test_a_preview_made_before_archiving_publishes_nothing(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    bob, _, _ = setup(running_app, alice)
    session = running_app.session(coordinator)
    session.slash_command("/mentor", f"admin program show {FACULTY}").reply()
    with running_app.services.db.session() as db:
        db.execute(update(Member).where(Member.slack_user_id == bob.id).values(roles=["mentor"], capacity=2))
    session.click("program_preview").wait_for_response(1, 20)
    with running_app.services.db.session() as db:
        before = len(db.scalars(select(Relationship)).all())
    session.slash_command("/mentor", f"admin program show {FACULTY}").reply()
    archived = session.click("program_archive").wait_for_response(1, 10)[0]
    assert f"I've archived “{FACULTY}”" in archived["text"]
    refused = session.click("match_publish").wait_for_response(1, 20)[0]
    assert f"“{FACULTY}” is archived, so it gets no new matches" in refused["text"]
    with running_app.services.db.session() as db:
        assert len(db.scalars(select(Relationship)).all()) == before


def test_the_default_program_cannot_be_archived(running_app: RunningApp, coordinator: User) -> None:
    reply = admin(running_app, coordinator, f"program archive {DEFAULT}")
    assert "can't be archived" in reply["text"]
    shown = json.dumps(admin(running_app, coordinator, f"program show {DEFAULT}")["blocks"])
    assert "program_archive" not in shown and "program_preview" in shown
    assert "couldn't find a program" in admin(running_app, coordinator, "program archive Nope")["text"]
