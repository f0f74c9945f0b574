"""Sign-up, profile and personal settings through the running app."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select

from storage.models import Member, MemberAvoid
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.members import fill_profile, join, member_row

VALID = {
    "roles": ["mentee", "peer"],
    "stage": "PGY-2",
    "specialty": "internal-medicine",
    "track": "academic",
    "needs": ["research", "education"],
    "frequency": "monthly",
    "tz": "America/Chicago",
}


def open_join(running_app: RunningApp, user):
    session = running_app.session(user)
    assert session.slash_command("/mentor", "join").status == 200
    wait_for_modal(session, "profile")
    return session


def latest_home(running_app: RunningApp, user, count: int) -> dict:
    calls = running_app.sandbox.state.wait_for_calls("views.publish", count, 5)
    mine = [c for c in calls if c.args["user_id"] == user.id]
    assert mine, "the App Home was re-published"
    return mine[-1].args["view"]


def test_join_prefills_the_slack_time_zone_and_signs_up(running_app: RunningApp, alice) -> None:
    session = open_join(running_app, alice)
    modal = session.current_modal()
    tz = next(b for b in modal.payload["blocks"] if b.get("block_id") == "tz")
    assert tz["element"]["initial_option"]["value"] == "America/Chicago"
    assert modal.payload["submit"]["text"] == "Join"

    sent = fill_profile(session, {**VALID, "site": "North campus"})
    assert sent.body["response_action"] == "update"
    assert "You're in" in json.dumps(sent.body["view"])

    member = member_row(running_app, alice)
    assert member.joined_at is not None and member.status == "active"
    assert (member.stage, member.track, member.needs, member.site) == (
        "PGY-2",
        "academic",
        ["research", "education"],
        "North campus",
    )
    home = json.dumps(latest_home(running_app, alice, 1))
    assert "PGY-2" in home and "goal_add_open" in home


def test_second_submission_updates_instead_of_duplicating(
    running_app: RunningApp, alice, coordinator
) -> None:
    session = open_join(running_app, alice)
    fill_profile(session, {**VALID, "avoid_user_ids": [coordinator.id]})
    session = open_join(running_app, alice)
    modal = session.current_modal()
    assert modal.payload["submit"]["text"] == "Save"
    avoid = next(b for b in modal.payload["blocks"] if b.get("block_id") == "avoid_user_ids")
    assert avoid["element"]["initial_users"] == [coordinator.id]
    fill_profile(session, {**VALID, "frequency": "quarterly", "avoid_user_ids": []})
    with running_app.services.db.session() as db:
        assert (
            db.scalar(select(func.count()).select_from(Member).where(Member.slack_user_id == alice.id)) == 1
        )
        assert db.scalar(select(func.count()).select_from(MemberAvoid)) == 0
    assert member_row(running_app, alice).frequency == "quarterly"


def test_invalid_sign_up_gets_inline_errors_and_stores_nothing(running_app: RunningApp, alice) -> None:
    session = open_join(running_app, alice)
    sent = fill_profile(
        session, {"roles": ["mentor"], "specialty": "other", "site": "x" * 80, "avoid_user_ids": [alice.id]}
    )
    errors = sent.body["errors"]
    assert sent.body["response_action"] == "errors"
    assert {"stage", "track", "frequency", "offers", "capacity", "specialty_other", "avoid_user_ids"} <= set(
        errors
    )
    assert all(message.endswith(".") for message in errors.values())
    assert member_row(running_app, alice).joined_at is None


def test_profile_shows_the_summary_and_an_edit_button(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    assert "haven't joined" in session.slash_command("/mentor", "profile").reply()["text"]
    join(running_app, alice)
    body = session.slash_command("/mentor", "profile").reply()
    text = json.dumps(body["blocks"])
    assert "PGY-2" in text and "profile_edit" in text
    session.click("profile_edit")
    wait_for_modal(session, "profile")


def test_frequency(running_app: RunningApp, alice) -> None:
    session = running_app.session(alice)
    assert "haven't joined" in session.slash_command("/mentor", "frequency monthly").reply()["text"]
    join(running_app, alice)
    assert session.slash_command("/mentor", "frequency every 2 weeks").reply()["text"].startswith("Got it")
    assert member_row(running_app, alice).frequency == "biweekly"
    refused = session.slash_command("/mentor", "frequency whenever" + "!" * 5000).reply()["text"]
    assert "quarterly" in refused
    assert member_row(running_app, alice).frequency == "biweekly"


def test_pause_resume_and_bad_dates(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    session = running_app.session(alice)
    refused = session.slash_command("/mentor", "pause until February 30").reply()["text"]
    assert member_row(running_app, alice).status == "active", refused
    text = session.slash_command("/mentor", "pause until 2099-01-01").reply()["text"]
    assert member_row(running_app, alice).status == "active", text
    text = session.slash_command("/mentor", "pause for 2 weeks").reply()["text"]
    member = member_row(running_app, alice)
    assert member.status == "paused" and member.paused_until > date.today()
    assert "resume" in text
    assert "Welcome back" in session.slash_command("/mentor", "resume").reply()["text"]
    assert member_row(running_app, alice).status == "active"
    assert "not paused" in session.slash_command("/mentor", "resume").reply()["text"]
    session.slash_command("/mentor", "pause")
    assert (
        member_row(running_app, alice).paused_until is None
        and member_row(running_app, alice).status == "paused"
    )


def test_home_buttons_pause_and_resume(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    session = running_app.session(alice)
    session.app_home_opened()
    running_app.sandbox.state.wait_for_calls("views.publish", 1, 5)
    session.click("settings_pause")
    running_app.sandbox.state.wait_for_calls("views.publish", 2, 5)
    assert member_row(running_app, alice).status == "paused"
    assert "settings_resume" in json.dumps(latest_home(running_app, alice, 2))
    session.click("settings_resume")
    running_app.sandbox.state.wait_for_calls("views.publish", 3, 5)
    assert member_row(running_app, alice).status == "active"


def test_leave_needs_confirmation(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    session = running_app.session(alice)
    body = session.slash_command("/mentor", "leave").reply()
    confirm = next(
        e
        for b in body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "settings_leave_confirm"
    )
    assert confirm["confirm"]["confirm"]["text"] == "Leave"
    stayed = session.click("settings_leave_cancel").wait_for_response(1, 5)
    assert "staying" in stayed[0]["text"]
    assert member_row(running_app, alice).status == "active"
    session.slash_command("/mentor", "leave")
    left = session.click("settings_leave_confirm").wait_for_response(1, 5)
    assert "left Mentor Circles" in left[0]["text"]
    assert member_row(running_app, alice).status == "left"
    assert "not in the program" in session.slash_command("/mentor", "leave").reply()["text"]
