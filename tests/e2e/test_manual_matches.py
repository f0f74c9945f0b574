"""Coordinators fix matches by hand: pair, move, end, each audited, within capacity and private lists.

A 1:1 program and a circles program share the workspace. Only the group a change touches is introduced
(once); those whose group ended or lost someone get a kind note; a refusal because of a do-not-match
list reads like any other "can't"; a preview made before a change can no longer be published.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace

from sqlalchemy import select

from bot.sandbox import User
from storage.models import AuditEntry, Relationship
from tests.e2e.conftest import RunningApp, settle_effects, wait_for_modal
from tests.e2e.members import MENTOR, PEER
from tests.e2e.test_program_matching import (
    CIRCLES,
    MENTEE,
    ONE_TO_ONE,
    add_program,
    command,
    enrol,
    introduced,
    live_groups,
    posts,
    shown_groups,
)


def audited(running_app: RunningApp) -> list[tuple[str, str]]:
    """(`admin SUBCOMMAND`, outcome) of each audit entry: who was changed follows in the entry."""
    with running_app.services.db.session() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(" ".join(e.action.split()[:2]), e.outcome) for e in entries]


def dms(running_app: RunningApp, user: User) -> list[str]:
    settle_effects(running_app)
    return [m.text for m in running_app.sandbox.state.dms_to(running_app.workspace.team_id, user.id)]


def wait_for_dms(running_app: RunningApp, user: User, count: int) -> list[str]:
    deadline = time.monotonic() + 15
    while len(dms(running_app, user)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return dms(running_app, user)


def test_pairing_and_ending_a_mentorship_by_hand(
    running_app: RunningApp, coordinator: User, alice: User
) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    add_program(running_app, CIRCLES, "circles")
    mo = enrol(running_app, ONE_TO_ONE, "mo", replace(MENTOR, capacity=1))
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    ben = enrol(running_app, ONE_TO_ONE, "ben", MENTEE)
    cat = enrol(running_app, ONE_TO_ONE, "cat", replace(MENTEE, avoid_user_ids=(mo.id,)))
    command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    before = posts(running_app)

    paired = command(running_app, coordinator, f"admin pair <@{ana.id}> <@{mo.id}|mo>")["text"]
    assert f"Paired <@{ana.id}> with <@{mo.id}> in {ONE_TO_ONE}" in paired
    assert live_groups(running_app, program_id) == [frozenset({ana.id, mo.id})]
    assert introduced(running_app, before) == [frozenset({ana.id, mo.id})], "introduced once, nobody else"

    full = command(running_app, coordinator, f"admin pair <@{ben.id}> <@{mo.id}>")["text"]
    assert full.startswith("I can't make this match right now") and f"another mentor for <@{ben.id}>" in full
    kept_apart = command(running_app, coordinator, f"admin pair <@{cat.id}> <@{mo.id}>")["text"]
    assert kept_apart == full.replace(ben.id, cat.id), "a do-not-match list reads as a full mentor does"
    twice = command(running_app, coordinator, f"admin pair <@{ana.id}> <@{mo.id}>")["text"]
    assert "already a mentorship" in twice
    assert live_groups(running_app, program_id) == [frozenset({ana.id, mo.id})]

    stale = running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)[0]["text"]
    assert "Matches were changed by hand after this preview" in stale
    assert live_groups(running_app, program_id) == [frozenset({ana.id, mo.id})]

    ended = command(running_app, coordinator, f"admin end <@{mo.id}> <@{ana.id}>")["text"]
    assert f"Ended the mentorship of <@{ana.id}> and <@{mo.id}>" in ended
    assert live_groups(running_app, program_id) == []
    for user, other in ((ana, mo), (mo, ana)):
        (note,) = wait_for_dms(running_app, user, 1)
        assert f"Your mentorship with <@{other.id}> has come to a close" in note
    assert dms(running_app, ben) == [] and dms(running_app, cat) == []
    assert introduced(running_app, before) == [frozenset({ana.id, mo.id})]

    with running_app.services.db.session() as session:
        first_pair = session.scalars(
            select(AuditEntry).where(AuditEntry.action.startswith("admin pair")).order_by(AuditEntry.id)
        ).first()
        assert first_pair is not None and first_pair.actor == coordinator.id
        assert ana.id in first_pair.action + first_pair.target and mo.id in first_pair.target
    refused = command(running_app, alice, f"admin end <@{ben.id}> <@{mo.id}>")["text"]
    assert "only for your program's coordinators" in refused
    assert [row for row in audited(running_app) if row[0] in ("admin pair", "admin end")] == [
        ("admin pair", "ok"),
        ("admin pair", "ok"),
        ("admin pair", "ok"),
        ("admin pair", "ok"),
        ("admin end", "ok"),
        ("admin end", "refused"),
    ]


def test_moving_a_peer_into_another_circle_introduces_only_that_circle(
    running_app: RunningApp, coordinator: User
) -> None:
    program_id = add_program(running_app, CIRCLES, "circles")
    add_program(running_app, ONE_TO_ONE, "mentors")
    peers = [enrol(running_app, CIRCLES, f"peer{i}", replace(PEER, site="North")) for i in range(6)]
    shown = command(running_app, coordinator, f"admin match preview {CIRCLES}")
    first, second = shown_groups(shown["blocks"])
    running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)
    assert sorted(introduced(running_app), key=sorted) == sorted([first, second], key=sorted)
    by_id = {peer.id: peer for peer in peers}
    mover, anchor = sorted(first)[0], sorted(second)[0]
    stayed = sorted(first - {mover})
    before = posts(running_app)

    moved = command(running_app, coordinator, f"admin move <@{mover}> to <@{anchor}>")["text"]
    assert f"Moved <@{mover}> into the circle with" in moved
    after = sorted(live_groups(running_app, program_id), key=sorted)
    assert after == sorted([first - {mover}, second | {mover}], key=sorted)
    assert introduced(running_app, before) == [second | {mover}], "only the circle that gained someone"
    for user_id in stayed:
        (note,) = wait_for_dms(running_app, by_id[user_id], 1)
        assert f"<@{mover}> has moved to another circle" in note
    assert dms(running_app, by_id[anchor]) == []

    newcomer = enrol(running_app, CIRCLES, "newcomer", replace(PEER, avoid_user_ids=(anchor,)))
    kept_apart = command(running_app, coordinator, f"admin move <@{newcomer.id}> <@{anchor}>")["text"]
    assert kept_apart.startswith(f"I can't move <@{newcomer.id}> into that circle right now")
    assert "list" not in kept_apart
    assert sorted(live_groups(running_app, program_id), key=sorted) == after
    assert ("admin move", "ok") in audited(running_app)
    assert json.dumps(audited(running_app)).count("admin move") == 2
    with running_app.services.db.session() as session:
        assert session.scalars(select(Relationship).where(Relationship.ended_at.is_not(None))).all() == []

    introduced(running_app)
    before = posts(running_app)
    rematched = command(running_app, coordinator, f"admin rematch <@{stayed[0]}>")["text"]
    assert f"Moved <@{stayed[0]}> into the circle with" in rematched
    assert sorted(live_groups(running_app, program_id), key=sorted) == sorted(
        [frozenset({stayed[1]}), second | {mover, stayed[0]}], key=sorted
    )
    assert introduced(running_app, before) == [second | {mover, stayed[0]}]

    latecomer = enrol(running_app, CIRCLES, "latecomer")
    full = command(running_app, coordinator, f"admin move <@{latecomer.id}> <@{anchor}>")["text"]
    assert full == kept_apart.replace(newcomer.id, latecomer.id), "a full circle reads as a list does"


def test_rematching_one_person_changes_only_their_match(running_app: RunningApp, coordinator: User) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    add_program(running_app, CIRCLES, "circles")
    mo = enrol(running_app, ONE_TO_ONE, "mo", replace(MENTOR, capacity=1))
    liz = enrol(running_app, ONE_TO_ONE, "liz", replace(MENTOR, capacity=1))
    kim = enrol(running_app, ONE_TO_ONE, "kim", replace(MENTOR, capacity=2))
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    ben = enrol(running_app, ONE_TO_ONE, "ben", replace(MENTEE, avoid_user_ids=(kim.id, mo.id)))
    command(running_app, coordinator, f"admin pair <@{ana.id}> <@{mo.id}>")
    command(running_app, coordinator, f"admin pair <@{ben.id}> <@{liz.id}>")
    assert len(introduced(running_app)) == 2
    before = posts(running_app)

    rematched = command(running_app, coordinator, f"admin rematch <@{ana.id}>")["text"]
    assert f"Rematched <@{ana.id}> with <@{kim.id}>" in rematched, "not Mo again, and Liz has no room"
    assert sorted(live_groups(running_app, program_id), key=sorted) == sorted(
        [frozenset({ana.id, kim.id}), frozenset({ben.id, liz.id})], key=sorted
    )
    assert introduced(running_app, before) == [frozenset({ana.id, kim.id})]
    (note,) = wait_for_dms(running_app, mo, 1)
    assert f"Your mentorship with <@{ana.id}> has come to a close" in note
    assert dms(running_app, ana) == [] and dms(running_app, liz) == []

    stuck = command(running_app, coordinator, f"admin rematch <@{ben.id}>")["text"]
    assert stuck.startswith(f"I couldn't find a new match for <@{ben.id}> right now")
    assert "list" not in stuck
    assert frozenset({ben.id, liz.id}) in live_groups(running_app, program_id)
    assert audited(running_app).count(("admin rematch", "ok")) == 2


def test_the_previews_button_makes_the_same_changes_in_a_modal(
    running_app: RunningApp, coordinator: User
) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    mo = enrol(running_app, ONE_TO_ONE, "mo", replace(MENTOR, capacity=1))
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    cat = enrol(running_app, ONE_TO_ONE, "cat", replace(MENTEE, avoid_user_ids=(mo.id,)))
    command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    session = running_app.session(coordinator)
    session.click("match_fix")
    wait_for_modal(session, "match_fix")
    refused = session.view_submission(values={"fix_change": "pair", "fix_first": cat.id, "fix_second": mo.id})
    assert refused.body["response_action"] == "update"
    assert "I can't make this match" in json.dumps(
        refused.body["view"]
    ) and "Nothing was changed" in json.dumps(refused.body["view"])
    assert live_groups(running_app, program_id) == []

    session.close_modal()
    session.click("match_fix")
    wait_for_modal(session, "match_fix")
    done = session.view_submission(values={"fix_change": "pair", "fix_first": ana.id, "fix_second": mo.id})
    assert f"Paired <@{ana.id}> with <@{mo.id}>" in json.dumps(done.body["view"])
    assert live_groups(running_app, program_id) == [frozenset({ana.id, mo.id})]
    assert introduced(running_app) == [frozenset({ana.id, mo.id})]
    stale = session.click("match_publish").wait_for_response(1, 20)[0]["text"]
    assert "Matches were changed by hand after this preview" in stale
    assert audited(running_app).count(("admin pair", "ok")) == 2


def test_the_coordinators_command_list_shows_how_to_fix_matches(
    running_app: RunningApp, coordinator: User
) -> None:
    listed = command(running_app, coordinator, "admin")["text"]
    for usage in (
        "`/mentor admin pair @mentee @mentor`",
        "`/mentor admin move @member to @someone-in-the-circle`",
        "`/mentor admin end @someone @someone-else`",
        "`/mentor admin rematch @member`",
        "`/mentor admin match preview [circles|mentors|teams] [PROGRAM]`",
    ):
        assert usage in listed
    assert (
        "Use `/mentor admin pair @mentee @mentor`" in command(running_app, coordinator, "admin pair")["text"]
    )
