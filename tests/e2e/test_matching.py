"""Coordinators preview and publish matches; introductions go out once; late joiners slot in."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace

from sqlalchemy import func, select

from storage.models import Relationship, RelationshipMember, Round
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.members import MENTOR, PEER, join

SITES = ["North", "North", "South", "South", "North", "South", "North"]


def add_peers(running_app: RunningApp, count: int, prefix: str = "peer") -> list:
    users = []
    for i in range(count):
        user = running_app.sandbox.add_user(
            running_app.workspace.team_id, f"{prefix}{i}", f"{prefix.title()} {i}"
        )
        join(running_app, user, replace(PEER, site=SITES[i % len(SITES)], stage=f"PGY-{1 + i % 3}"))
        users.append(user)
    return users


def preview(running_app: RunningApp, coordinator, kind: str = "circles") -> dict:
    sent = running_app.session(coordinator).slash_command("/mentor", f"admin match preview {kind}")
    assert sent.status == 200
    return sent.wait_for_response(1, 20)[0]


def intro_posts(running_app: RunningApp) -> list:
    return [c for c in running_app.sandbox.calls("chat.postMessage") if c.response.get("ok")]


def wait_for_intros(running_app: RunningApp, count: int, timeout: float = 20.0) -> list:
    """Introductions are posted by the effect workers after the reply; wait for them, then for stragglers."""
    deadline = time.monotonic() + timeout
    while len(intro_posts(running_app)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    return intro_posts(running_app)


def rows(running_app: RunningApp, model) -> int:
    with running_app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_preview_shows_circles_with_reasons_and_sends_nothing(running_app: RunningApp, coordinator) -> None:
    peers = add_peers(running_app, 7)
    shown = preview(running_app, coordinator)
    text = json.dumps(shown["blocks"])
    assert "Proposed peer circles" in text
    assert "7 people in 2 circles" in text
    for user in peers:
        assert f"<@{user.id}>" in text
    assert "new to each other" in text
    assert intro_posts(running_app) == []
    with running_app.services.db.session() as session:
        assert session.scalar(select(Round.status)) == "draft"
    assert rows(running_app, Relationship) == 0


def test_publish_introduces_each_circle_once(running_app: RunningApp, coordinator) -> None:
    peers = add_peers(running_app, 7)
    preview(running_app, coordinator)
    session = running_app.session(coordinator)
    published = session.click("match_publish").wait_for_response(1, 20)[0]
    assert "2 introductions are on their way" in published["text"]

    posts = wait_for_intros(running_app, 2)
    assert len(posts) == 2
    conversations = running_app.sandbox.state.directory.conversations
    members_seen = set()
    for post in posts:
        conversation = conversations[post.args["channel"]]
        humans = set(conversation.members) - {running_app.workspace.bot_user_id}
        members_seen |= humans
        assert all(f"<@{uid}>" in json.dumps(post.args["blocks"]) for uid in humans)
        assert "first meeting" in json.dumps(post.args["blocks"])
    assert members_seen == {u.id for u in peers}

    again = (
        running_app.session(coordinator)
        .slash_command("/mentor", "admin match publish circles")
        .wait_for_response(1, 10)[0]
    )
    assert "no preview to publish" in again["text"]
    repeat = session.message_action(
        running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)[0],
        "match_publish",
    ).wait_for_response(1, 10)[0]
    assert "already published" in repeat["text"]
    assert len(intro_posts(running_app)) == 2
    assert rows(running_app, Relationship) == 2


def test_next_round_avoids_repeats_and_ends_the_old_circles(running_app: RunningApp, coordinator) -> None:
    add_peers(running_app, 8)
    preview(running_app, coordinator)
    running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)
    shown = json.dumps(preview(running_app, coordinator)["blocks"])
    repeats = int(re.search(r"(\d+) repeats", shown).group(1))
    assert repeats <= 4, (
        "two circles of 4 re-split: at best 2 repeated pairs per circle, never the same circles (12)"
    )
    running_app.session(coordinator).slash_command(
        "/mentor", "admin match publish circles"
    ).wait_for_response(1, 20)
    with running_app.services.db.session() as session:
        active = session.scalar(
            select(func.count()).select_from(Relationship).where(Relationship.ended_at.is_(None))
        )
    assert active == 2 and rows(running_app, Relationship) == 4


def test_late_joiner_is_added_without_moving_anyone(running_app: RunningApp, coordinator, alice) -> None:
    add_peers(running_app, 6)
    preview(running_app, coordinator)
    running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)
    with running_app.services.db.session() as session:
        before = {
            rid: sorted(
                m
                for (m,) in session.execute(
                    select(RelationshipMember.member_id).where(RelationshipMember.relationship_id == rid)
                )
            )
            for (rid,) in session.execute(select(Relationship.id))
        }
    session = running_app.session(alice)
    session.slash_command("/mentor", "join")
    wait_for_modal(session, "profile")
    sent = session.view_submission(
        values={
            "roles": ["peer"],
            "stage": "PGY-2",
            "specialty": "pediatrics",
            "track": "hybrid",
            "frequency": "monthly",
            "tz": "America/Chicago",
        }
    )
    assert sent.body["response_action"] == "update", sent.body

    def mentioned():
        return [p for p in intro_posts(running_app) if f"<@{alice.id}>" in json.dumps(p.args["blocks"])]

    assert running_app.sandbox.state.feed.wait_until(lambda: bool(mentioned()), 30), (
        "the circle was told about the newcomer"
    )
    assert len(intro_posts(running_app)) == 3
    with running_app.services.db.session() as db_session:
        after = {
            rid: sorted(
                m
                for (m,) in db_session.execute(
                    select(RelationshipMember.member_id).where(RelationshipMember.relationship_id == rid)
                )
            )
            for (rid,) in db_session.execute(select(Relationship.id))
        }
    changed = [rid for rid in before if before[rid] != after[rid]]
    assert len(changed) == 1 and set(before[changed[0]]) < set(after[changed[0]])
    assert len(after) == len(before)


def test_mentor_matches_cover_needs_and_brief_the_mentor(running_app: RunningApp, coordinator) -> None:
    mentees = []
    for i, need in enumerate(["research", "education", "research"]):
        user = running_app.sandbox.add_user(running_app.workspace.team_id, f"mentee{i}", f"Mentee {i}")
        join(running_app, user, replace(PEER, roles=("mentee",), needs=(need,)))
        mentees.append(user)
    mentors = []
    for i, offers in enumerate([("research",), ("education", "leadership")]):
        user = running_app.sandbox.add_user(running_app.workspace.team_id, f"mentor{i}", f"Mentor {i}")
        join(running_app, user, replace(MENTOR, offers=offers, capacity=2))
        mentors.append(user)
    shown = preview(running_app, coordinator, "mentors")
    assert "3 mentees matched" in json.dumps(shown["blocks"])
    result = running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)[0]
    assert "3 introductions are on their way" in result["text"]
    for post in wait_for_intros(running_app, 3):
        blocks = json.dumps(post.args["blocks"])
        assert "meet your mentor" in blocks and "Would like guidance on" in blocks


def test_a_failed_introduction_is_retried_alone(running_app: RunningApp, coordinator) -> None:
    add_peers(running_app, 7)
    preview(running_app, coordinator)
    running_app.sandbox.inject("chat.postMessage", 500, times=1)
    first = running_app.session(coordinator).click("match_publish").wait_for_response(1, 20)[0]
    assert "2 introductions are on their way" in first["text"]
    assert len(wait_for_intros(running_app, 2)) == 2
    assert len(running_app.sandbox.calls("chat.postMessage")) == 3, "one failure, retried once"


def test_rate_limited_introductions_wait_and_go_out_once(running_app: RunningApp, coordinator) -> None:
    add_peers(running_app, 7)
    preview(running_app, coordinator)
    running_app.sandbox.inject("chat.postMessage", "ratelimited", times=1, retry_after=1)
    result = running_app.session(coordinator).click("match_publish").wait_for_response(1, 30)[0]
    assert "2 introductions are on their way" in result["text"]
    assert len(wait_for_intros(running_app, 2)) == 2


def test_non_coordinators_cannot_preview_or_publish(running_app: RunningApp, coordinator, alice) -> None:
    add_peers(running_app, 6)
    assert (
        "only for your program's coordinators"
        in running_app.session(alice).slash_command("/mentor", "admin match preview").reply()["text"]
    )
    preview(running_app, coordinator)
    item = next(
        i
        for i in running_app.sandbox.state.feed.items(running_app.workspace.team_id, coordinator.id)
        if i.blocks and "match_publish" in json.dumps(i.blocks)
    )
    refused = running_app.session(alice).message_action(item, "match_publish").wait_for_response(1, 10)[0]
    assert "only for your program's coordinators" in refused["text"]
    assert intro_posts(running_app) == [] and rows(running_app, Relationship) == 0
