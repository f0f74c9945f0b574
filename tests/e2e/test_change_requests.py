"""Members ask privately for a different mentor or circle, by `/mentor change` or the Home's button.

The request reaches the coordinators (one notice in their daily DM, the roster with the reason) and
nobody else; asking again updates it; the next round or `/mentor admin rematch` honours it, never
grouping the member with the people they asked to leave, and marks it done.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.sandbox import User
from storage.models import (
    AuditEntry,
    ChangeRequest,
    CoordinatorNotice,
    Member,
    Relationship,
    RelationshipMember,
)
from tests.e2e import test_nudges
from tests.e2e.conftest import RunningApp, settle_effects, wait_for_modal
from tests.e2e.members import MENTOR, PEER
from tests.e2e.test_coordinator_notices import notice_dms, run_until
from tests.e2e.test_program_matching import (
    CIRCLES,
    MENTEE,
    ONE_TO_ONE,
    add_program,
    command,
    enrol,
    live_groups,
    opened_home,
    shown_groups,
)

clock = test_nudges.clock

REASON = "We never find a time & <b>he</b> cancels"


def requests(running_app: RunningApp) -> list[tuple[str, str, str]]:
    """(kind, status, reason) of every stored request."""
    with running_app.services.db.session() as session:
        rows = session.scalars(select(ChangeRequest).order_by(ChangeRequest.id))
        return [(r.kind, r.status, r.reason) for r in rows]


def everything_sent(running_app: RunningApp) -> str:
    """Every message and view the app sent through Slack, as one text."""
    return json.dumps([call.args for call in running_app.sandbox.calls()], ensure_ascii=False)


def ask_by_command(running_app: RunningApp, user: User, values: dict) -> dict:
    session = running_app.session(user)
    session.slash_command("/mentor", "change")
    wait_for_modal(session, "change_request")
    return session.view_submission(values=values).body


def modal_text(body: dict) -> str:
    return json.dumps(body.get("view") or body.get("errors"), ensure_ascii=False)


def test_a_request_reaches_the_coordinators_only_and_asking_again_updates_it(
    running_app: RunningApp, clock, coordinator: User
) -> None:
    add_program(running_app, ONE_TO_ONE, "mentors")
    mo = enrol(running_app, ONE_TO_ONE, "mo", MENTOR)
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    command(running_app, coordinator, f"admin pair <@{ana.id}> <@{mo.id}>")

    body = ask_by_command(running_app, ana, {"change_reason": REASON})
    assert body["response_action"] == "update"
    saved = modal_text(body)
    assert "passed your request on to your coordinators, privately" in saved
    assert "`/mentor change mentor`" in saved
    assert requests(running_app) == [("mentorship", "open", REASON)]

    again = ask_by_command(running_app, ana, {"change_reason": "Still the same"})
    assert "I've updated your request" in modal_text(again)
    assert requests(running_app) == [("mentorship", "open", "Still the same")], "updated, not duplicated"
    with running_app.services.db.session() as session:
        notices = session.scalars(select(CoordinatorNotice)).all()
        assert [n.kind for n in notices] == ["change_requested"], "one notice per request"
        assert "Still the same" not in json.dumps([n.facts for n in notices])
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "change_request")).all()
        assert [(a.actor, a.target) for a in audit] == [(ana.id, f"mentorship {ONE_TO_ONE}")]

    roster = command(running_app, coordinator, f"admin people {ONE_TO_ONE} changes")
    listed = json.dumps(roster["blocks"], ensure_ascii=False)
    assert f"<@{ana.id}>" in listed and f"<@{mo.id}>" not in listed.split("asked for a change")[0][-40:]
    assert "asked for a change: “Still the same”" in listed
    assert "People who asked for a change" in listed

    _, home = opened_home(running_app, coordinator)
    assert f"*{ONE_TO_ONE}*: 2 people taking part, 1 asked for a change" in json.dumps(
        home.payload["blocks"], ensure_ascii=False
    )

    run_until(running_app, clock, clock() + timedelta(days=3), step=timedelta(hours=3))
    (notice,) = notice_dms(running_app, coordinator)
    assert f"<@{ana.id}> asked privately for a different mentor" in notice
    assert "Still the same" not in notice and REASON not in notice
    settle_effects(running_app)
    mo_saw = json.dumps([m.text + str(m.blocks) for m in test_nudges.dms(running_app, mo)])
    assert "change" not in mo_saw.lower() and "Still the same" not in mo_saw
    assert everything_sent(running_app).count("Still the same") == 1, "only in the coordinator's roster"


def test_a_request_from_the_home_button_is_honoured_by_the_next_round(
    running_app: RunningApp, coordinator: User
) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    mo = enrol(running_app, ONE_TO_ONE, "mo", MENTOR)
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    command(running_app, coordinator, f"admin pair <@{ana.id}> <@{mo.id}>")
    liz = enrol(running_app, ONE_TO_ONE, "liz", MENTOR)

    kept = command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    assert shown_groups(kept["blocks"]) == [frozenset({ana.id, mo.id})], "without a request, it continues"

    session, home = opened_home(running_app, ana)
    session.view_action(home, "change_open")
    wait_for_modal(session, "change_request")
    body = session.view_submission(values={}).body
    assert "passed your request on to your coordinators" in modal_text(body), "the Home's match is chosen"
    assert requests(running_app) == [("mentorship", "open", "")]

    shown = command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    assert shown_groups(shown["blocks"]) == [frozenset({ana.id, liz.id})], "not Mo again"
    published = command(running_app, coordinator, f"admin match publish {ONE_TO_ONE}")["text"]
    assert "Published 1 mentor match" in published
    assert live_groups(running_app, program_id) == [frozenset({ana.id, liz.id})]
    assert requests(running_app) == [("mentorship", "done", "")]
    roster = json.dumps(command(running_app, coordinator, f"admin people {ONE_TO_ONE}")["blocks"])
    assert "asked for a change" not in roster

    again = command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    assert shown_groups(again["blocks"]) == [frozenset({ana.id, liz.id})], "a done request keeps nobody apart"


def test_a_circle_request_is_honoured_by_a_rematch(running_app: RunningApp, coordinator: User) -> None:
    program_id = add_program(running_app, CIRCLES, "circles")
    peers = [enrol(running_app, CIRCLES, f"peer{i}", replace(PEER, site="North")) for i in range(6)]
    by_id = {peer.id: peer for peer in peers}
    command(running_app, coordinator, f"admin match preview {CIRCLES}")
    running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)
    first, second = sorted(live_groups(running_app, program_id), key=sorted)
    asker = by_id[sorted(first)[0]]

    body = ask_by_command(running_app, asker, {"change_reason": "Our schedules clash"})
    assert "you'll be in a circle without the people in this one, as soon as one has room" in modal_text(body)
    assert requests(running_app) == [("circle", "open", "Our schedules clash")]

    rematched = command(running_app, coordinator, f"admin rematch <@{asker.id}>")["text"]
    assert f"Moved <@{asker.id}> into the circle with" in rematched
    after = sorted(live_groups(running_app, program_id), key=sorted)
    assert after == sorted([first - {asker.id}, second | {asker.id}], key=sorted)
    assert requests(running_app) == [("circle", "done", "Our schedules clash")]


def test_bad_input_gets_a_friendly_reply_and_changes_nothing(
    running_app: RunningApp, coordinator: User, alice: User
) -> None:
    assert "You haven't joined Mentor Circles yet" in command(running_app, alice, "change")["text"]
    add_program(running_app, ONE_TO_ONE, "mentors")
    mo = enrol(running_app, ONE_TO_ONE, "mo", MENTOR)
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    ben = enrol(running_app, ONE_TO_ONE, "ben", MENTEE)
    nothing = command(running_app, ana, "change")["text"]
    assert "nothing to change yet" in nothing and "`/mentor change mentor` lets you choose" in nothing
    assert "choose one yourself" not in command(running_app, mo, "change")["text"], "only for mentees"
    listed = json.dumps(command(running_app, ana, "help")["blocks"], ensure_ascii=False)
    assert "`/mentor change` · ask privately for a different mentor or circle" in listed
    assert "`/mentor change mentor`" in command(running_app, ana, "change my circle please")["text"]
    command(running_app, coordinator, f"admin pair <@{ana.id}> <@{mo.id}>")
    command(running_app, coordinator, f"admin pair <@{ben.id}> <@{mo.id}>")

    session = running_app.session(ana)
    session.slash_command("/mentor", "change")
    wait_for_modal(session, "change_request")
    too_long = session.view_submission(values={"change_reason": "x" * 501}).body
    assert too_long["response_action"] == "errors"
    assert "500 characters or fewer" in too_long["errors"]["change_reason"]
    with running_app.services.db.session() as db_session:
        bens = db_session.scalars(
            select(Relationship.id)
            .join(RelationshipMember)
            .join(Member)
            .where(Member.slack_user_id == ben.id, Relationship.ended_at.is_(None))
        ).one()
    modal = session.current_modal()
    for block in modal.payload["blocks"]:
        if block.get("block_id") == "change_which":
            option = {"text": {"type": "plain_text", "text": "Ben's"}, "value": str(bens)}
            block["element"]["options"].append(option)
    forged = session.view_submission(values={"change_which": str(bens), "change_reason": ""}).body
    assert forged["response_action"] == "errors"
    assert "isn't yours any more" in forged["errors"]["change_which"]
    assert requests(running_app) == []


def test_erasing_your_data_takes_your_requests_and_offers_with_it(
    running_app: RunningApp, coordinator: User
) -> None:
    add_program(running_app, CIRCLES, "circles")
    peers = [enrol(running_app, CIRCLES, f"peer{i}", replace(PEER, site="North")) for i in range(3)]
    command(running_app, coordinator, f"admin match preview {CIRCLES}")
    running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)
    asker, other, eraser = peers
    ask_by_command(running_app, asker, {"change_reason": "Keep this one"})
    ask_by_command(running_app, eraser, {"change_reason": "Forget me please"})
    session = running_app.session(eraser)
    assert len(requests(running_app)) == 2

    session.slash_command("/mentor", "delete-my-data")
    sent = session.click("my_data_delete").wait_for_response(1, 10)
    assert "your data is deleted" in sent[0]["text"]
    assert requests(running_app) == [("circle", "open", "Keep this one")]
    with running_app.services.db.session() as session:
        (kept,) = session.scalars(select(ChangeRequest)).all()
        assert kept.avoid_user_ids == [other.id], "nobody's request keeps the erased member's id"
        keys = [n.key for n in session.scalars(select(CoordinatorNotice))]
        assert keys == [f"change_request:{kept.id}"]


def test_a_round_with_nobody_else_to_offer_keeps_the_match_and_the_request_open(
    running_app: RunningApp, coordinator: User
) -> None:
    program_id = add_program(running_app, ONE_TO_ONE, "mentors")
    mo = enrol(running_app, ONE_TO_ONE, "mo", MENTOR)
    ana = enrol(running_app, ONE_TO_ONE, "ana", MENTEE)
    command(running_app, coordinator, f"admin pair <@{ana.id}> <@{mo.id}>")
    ask_by_command(running_app, ana, {})

    shown = command(running_app, coordinator, f"admin match preview {ONE_TO_ONE}")
    assert shown_groups(shown["blocks"]) == [frozenset({ana.id, mo.id})], "not left without a mentor"
    command(running_app, coordinator, f"admin match publish {ONE_TO_ONE}")
    assert live_groups(running_app, program_id) == [frozenset({ana.id, mo.id})]
    assert requests(running_app) == [("mentorship", "open", "")]
