"""Coordinators announce to a program: `/mentor admin announce [PROGRAM]` opens a modal, and its message
reaches every active participant of that program once, as a DM, under Slack's rate limits.

Paused members, people who left the program or erased their data, and members of other programs get
nothing; a resubmitted modal sends nothing more; an empty or too long message is refused in the modal;
non-coordinators are refused, by command and by a submitted modal.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.members.state import MemberStatus
from bot.sandbox import User
from storage.models import AuditEntry, Member
from storage.my_data import MyDataRepository
from storage.programs import ProgramRepository
from storage.repositories import WorkspaceRepository
from tests.e2e.conftest import RunningApp, settle_effects, wait_for_modal
from tests.e2e.test_manual_matches import dms
from tests.e2e.test_program_matching import CIRCLES, add_program, command, enrol, opened_home

MESSAGE = "Journal club moves to Thursday <!channel> @here & <https://evil.example|slides>"
HEADER = f"*A message from your {CIRCLES} coordinators*"


def pause(running_app: RunningApp, user: User) -> None:
    with running_app.services.db.session() as session:
        member = session.scalars(select(Member).where(Member.slack_user_id == user.id)).one()
        member.status = MemberStatus.PAUSED


def leave(running_app: RunningApp, program: str, user: User) -> None:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        programs = ProgramRepository(session, space.id)
        found = programs.named(program)
        member = session.scalars(select(Member).where(Member.slack_user_id == user.id)).one()
        assert found is not None and programs.leave(found, member, datetime.now(UTC))


def erase(running_app: RunningApp, user: User) -> None:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        member = session.scalars(select(Member).where(Member.slack_user_id == user.id)).one()
        MyDataRepository(session, space.id).erase(member, datetime.now(UTC))


def open_modal(running_app: RunningApp, coordinator: User, program: str = CIRCLES):
    session = running_app.session(coordinator)
    session.slash_command("/mentor", f"admin announce {program}")
    wait_for_modal(session, "announce")
    return session


def test_an_announcement_reaches_each_active_member_of_the_program_once(
    running_app: RunningApp, coordinator: User
) -> None:
    assert running_app.sandbox.rate_limits.enabled
    add_program(running_app, CIRCLES, "circles")
    add_program(running_app, "Chief Residents", "circles")
    active = [enrol(running_app, CIRCLES, name) for name in ("ana", "ben", "cai", "dev")]
    paused, gone = enrol(running_app, CIRCLES, "pia"), enrol(running_app, CIRCLES, "lee")
    elsewhere = enrol(running_app, "Chief Residents", "oli")
    erased = enrol(running_app, CIRCLES, "eli")
    erase(running_app, erased)
    pause(running_app, paused)
    leave(running_app, CIRCLES, gone)

    session = open_modal(running_app, coordinator)
    modal = session.current_modal()
    assert "*4 active participants* of *PGY-1 Peer Circles*" in json.dumps(modal.payload)
    running_app.sandbox.inject("chat.postMessage", "ratelimited", times=1, retry_after=1)
    first = session.view_submission(modal, {"announce_message": MESSAGE})
    assert "Your announcement is on its way to 4 people." in json.dumps(first.body["view"])
    again = session.retry(first)
    assert again.status == 200 and "on its way to 4 people" in json.dumps(again.body["view"])

    settle_effects(running_app)
    for user in active:
        received = dms(running_app, user)
        assert len(received) == 1, user.name
        header, body = received[0].split("\n", 1)
        assert header == HEADER
        assert "<!" not in body and "<http" not in body and "&lt;!channel&gt;" in body
        assert body.startswith("Journal club moves to Thursday")
    for user in (paused, gone, elsewhere, erased):
        assert dms(running_app, user) == [], user.name
    assert len(running_app.sandbox.calls("chat.postMessage")) == 5, "one rate-limited post, tried again once"
    with running_app.services.db.session() as session_:
        entries = [(e.action, e.target) for e in session_.scalars(select(AuditEntry))]
    assert ("announce_sent", f"{CIRCLES} 4") in entries
    assert entries.count(("announce_sent", f"{CIRCLES} 4")) == 1, "the resubmission is not audited"
    assert not any("Journal club" in action + target for action, target in entries)
    listing = json.dumps(command(running_app, coordinator, "admin audit"), ensure_ascii=False)
    assert f"`announce_sent` {CIRCLES} 4 · ok" in listing
    assert "Journal club" not in listing


def test_an_empty_or_too_long_announcement_is_refused_in_the_modal(
    running_app: RunningApp, coordinator: User
) -> None:
    ana = enrol(running_app, "Mentor Circles", "ana")
    session = open_modal(running_app, coordinator, "")
    assert "*1 active participant* of *Mentor Circles*" in json.dumps(session.current_modal().payload)
    refused = session.view_submission(values={"announce_message": "   \n "})
    assert refused.errors == {"announce_message": "Please write a message for me to send."}
    assert session.current_modal().payload["callback_id"] == "announce", "the modal stays open"
    too_long = session.view_submission(values={"announce_message": "a" * 2001})
    assert too_long.errors == {"announce_message": "Please keep the message to 2,000 characters or fewer."}
    assert dms(running_app, ana) == []


def test_only_coordinators_can_announce(running_app: RunningApp, coordinator: User) -> None:
    add_program(running_app, CIRCLES, "circles")
    ana = enrol(running_app, CIRCLES, "ana")
    reply = command(running_app, ana, f"admin announce {CIRCLES}")
    assert "only for your program's coordinators" in reply["text"]
    assert running_app.sandbox.state.views.modal_stack(running_app.workspace.team_id, ana.id) == []

    modal = open_modal(running_app, coordinator).current_modal()
    forged = running_app.session(ana).view_submission(modal, {"announce_message": "Free pizza for all"})
    assert forged.status == 200 and not forged.body
    settle_effects(running_app)
    assert [text for text in dms(running_app, ana) if "pizza" in text] == []
    assert any("only for your program's coordinators" in text for text in dms(running_app, ana))
    assert (
        "I couldn't find a program called “Nope”"
        in command(running_app, coordinator, "admin announce Nope")["text"]
    )


def test_the_homes_announce_button_opens_the_programs_modal_and_a_stale_one_sends_nothing(
    running_app: RunningApp, coordinator: User
) -> None:
    program_id = add_program(running_app, CIRCLES, "circles")
    enrol(running_app, CIRCLES, "ana")
    session, home = opened_home(running_app, coordinator)
    (block_id,) = [
        block["block_id"]
        for block in home.payload["blocks"]
        for element in block.get("elements") or ()
        if element.get("action_id") == "program_announce" and element.get("value") == str(program_id)
    ]
    session.view_action(home, "program_announce", block_id=block_id)
    wait_for_modal(session, "announce")
    assert "*1 active participant* of *PGY-1 Peer Circles*" in json.dumps(session.current_modal().payload)

    assert "archived" in command(running_app, coordinator, f"admin program archive {CIRCLES}")["text"].lower()
    session.view_action(home, "program_announce", block_id=block_id)
    assert running_app.sandbox.state.feed.wait_until(
        lambda: "nobody to announce to" in json.dumps(session.current_modal().payload), 5
    )
    assert "Send" not in json.dumps(session.current_modal().payload.get("submit") or {})
