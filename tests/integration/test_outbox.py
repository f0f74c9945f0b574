"""The outbox, the planner and the delivery worker against a real database and the sandbox Slack."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.domain.nudges.model import PlannedNudge
from bot.nudges.delivery import Deliverer, DeliveryOptions, single_token
from bot.nudges.pacing import Backoff, Pace
from bot.nudges.planner import Planner
from bot.presentation.nudges import render_nudge
from bot.sandbox import Sandbox, SandboxClock, Workspace, default_spec_path
from storage.db import Database
from storage.models import Member, OutboxNudge
from storage.outbox import Outbox, OutboxRepository
from storage.relationships import RelationshipRepository
from storage.repositories import MemberRepository, WorkspaceRepository

MONDAY_NOON = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)
WALL = datetime(2030, 1, 1, tzinfo=UTC)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def nudge(
    key: str, user_id: str = "U1", due_at: datetime = MONDAY_NOON, kind: str = "goal_checkin"
) -> PlannedNudge:
    payload = {"goals": [{"id": 1, "number": 1, "text": "Submit the QI abstract"}]}
    return PlannedNudge(kind, key, user_id, due_at, payload)


def workspace_id(db: Database, team_id: str = "T1") -> int:
    with db.session() as session:
        return WorkspaceRepository(session).ensure(team_id).id


def statuses(db: Database) -> Counter[str]:
    with db.session() as session:
        return Counter(session.scalars(select(OutboxNudge.status)))


# -- storing and claiming ------------------------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keys=st.lists(st.sampled_from([f"k{i}" for i in range(12)]), max_size=30), splits=st.integers(1, 4))
def test_each_key_is_stored_once_however_often_it_is_planned(
    db: Database, keys: list[str], splits: int
) -> None:
    with db.session() as session:
        session.execute(OutboxNudge.__table__.delete())
    ws = workspace_id(db)
    inserted = 0
    for part in range(splits):
        with db.session() as session:
            inserted += Outbox(session).add(
                ws, [nudge(k) for k in keys[part::splits]] + [nudge(k) for k in keys], WALL
            )
    with db.session() as session:
        stored = list(session.scalars(select(OutboxNudge.key).where(OutboxNudge.workspace_id == ws)))
    assert sorted(stored) == sorted(set(keys))
    assert inserted == len(set(keys))


def test_same_key_in_two_workspaces_is_two_nudges(db: Database) -> None:
    first, second = workspace_id(db, "T1"), workspace_id(db, "T2")
    with db.session() as session:
        assert Outbox(session).add(first, [nudge("same")], WALL) == 1
        assert Outbox(session).add(second, [nudge("same")], WALL) == 1
    assert statuses(db) == {"pending": 2}


def claim_all(
    db: Database, ws: int, worker: str, now: datetime = MONDAY_NOON, wall: datetime = WALL
) -> list[int]:
    with db.session() as session:
        claimed = Outbox(session).claim(
            ws, 1000, worker, now=now, wall=wall, stale_before=wall - timedelta(seconds=60)
        )
    return [row.id for row in claimed]


def test_only_due_rows_are_claimed_oldest_first(db: Database) -> None:
    ws = workspace_id(db)
    with db.session() as session:
        Outbox(session).add(
            ws,
            [
                nudge("later", due_at=MONDAY_NOON + timedelta(hours=1)),
                nudge("second", due_at=MONDAY_NOON - timedelta(minutes=1)),
                nudge("first", due_at=MONDAY_NOON - timedelta(hours=1)),
            ],
            WALL,
        )
    with db.session() as session:
        claimed = Outbox(session).claim(ws, 10, "w", now=MONDAY_NOON, wall=WALL, stale_before=LONG_AGO)
    assert [row.key for row in claimed] == ["first", "second"]
    assert statuses(db) == {"sending": 2, "pending": 1}


def test_concurrent_claims_never_share_a_row(db: Database) -> None:
    ws = workspace_id(db)
    with db.session() as session:
        Outbox(session).add(ws, [nudge(f"k{i}", user_id=f"U{i}") for i in range(200)], WALL)
    taken: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        mine: list[int] = []
        try:
            while True:
                with db.session() as session:
                    rows = Outbox(session).claim(
                        ws, 7, name, now=MONDAY_NOON, wall=WALL, stale_before=LONG_AGO
                    )
                if not rows:
                    break
                mine.extend(row.id for row in rows)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        taken[name] = mine

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    every = [row_id for rows in taken.values() for row_id in rows]
    assert len(every) == 200 and len(set(every)) == 200


def test_a_row_abandoned_mid_send_is_claimed_again_with_one_more_attempt(db: Database) -> None:
    ws = workspace_id(db)
    with db.session() as session:
        Outbox(session).add(ws, [nudge("k")], WALL)
    assert len(claim_all(db, ws, "dead-worker", wall=WALL)) == 1
    assert claim_all(db, ws, "other", wall=WALL + timedelta(seconds=30)) == [], "the lease is still fresh"
    with db.session() as session:
        again = Outbox(session).claim(
            ws,
            10,
            "other",
            now=MONDAY_NOON,
            wall=WALL + timedelta(seconds=90),
            stale_before=WALL + timedelta(seconds=30),
        )
    assert [(row.key, row.attempts) for row in again] == [("k", 1)]


def test_a_row_waiting_to_retry_is_not_claimed_before_its_time(db: Database) -> None:
    ws = workspace_id(db)
    with db.session() as session:
        Outbox(session).add(ws, [nudge("k")], WALL)
    [row_id] = claim_all(db, ws, "w")
    with db.session() as session:
        Outbox(session).retry_later([row_id], WALL + timedelta(seconds=5), "http_503", attempts=1)
    assert claim_all(db, ws, "w", wall=WALL + timedelta(seconds=4)) == []
    assert claim_all(db, ws, "w", wall=WALL + timedelta(seconds=5)) == [row_id]


def test_send_slots_are_shared_and_respect_a_block(db: Database) -> None:
    ws = workspace_id(db)
    with db.session() as session:
        outbox = Outbox(session)
        first = outbox.reserve_slots(ws, 3, 0.5, 1000.0)
        second = outbox.reserve_slots(ws, 2, 0.5, 1000.2)
        outbox.block_workspace(ws, 1010.0)
        third = outbox.reserve_slots(ws, 1, 0.5, 1001.0)
        idle = outbox.reserve_slots(ws, 1, 0.5, 2000.0)
    assert (first, second, third, idle) == (1000.0, 1001.5, 1010.0, 2000.0)


def test_unanswered_checkins_count_back_to_the_last_answer_or_pause_notice(db: Database) -> None:
    ws = workspace_id(db)
    kinds = ["did_you_meet", "goal_checkin", "paused_notice", "goal_checkin", "mentor_digest", "did_you_meet"]
    with db.session() as session:
        Outbox(session).add(
            ws,
            [nudge(f"a{i}", "UA", MONDAY_NOON + timedelta(days=i), kind) for i, kind in enumerate(kinds)]
            + [nudge(f"b{i}", "UB", MONDAY_NOON + timedelta(days=i)) for i in range(4)],
            WALL,
        )
        for row in session.scalars(select(OutboxNudge)):
            row.status, row.sent_at = "sent", row.due_at
            if row.key == "b1":
                OutboxRepository(session, ws).record_response(
                    row, "on_track", row.due_at + timedelta(hours=2)
                )
    with db.session() as session:
        unanswered = OutboxRepository(session, ws).unanswered_checkins()
    assert unanswered == {
        "UA": (MONDAY_NOON + timedelta(days=3), MONDAY_NOON + timedelta(days=5)),
        "UB": (MONDAY_NOON + timedelta(days=2), MONDAY_NOON + timedelta(days=3)),
    }


# -- planning from storage -----------------------------------------------------------------------


def join(session, ws: int, user_id: str, roles: tuple[str, ...], tz: str, joined: datetime) -> Member:  # type: ignore[no-untyped-def]
    member = MemberRepository(session, ws).ensure(user_id, display_name=user_id, tz=tz)
    member.roles, member.frequency, member.joined_at = list(roles), "monthly", joined
    return member


def test_planner_reads_storage_and_plans_each_nudge_once(db: Database) -> None:
    ws = workspace_id(db)
    started = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)
    with db.session() as session:
        mentee = join(session, ws, "UMENTEE", ("mentee",), "America/Chicago", started)
        mentor = join(session, ws, "UMENTOR", ("mentor",), "Europe/Berlin", started)
        paused = join(session, ws, "UPAUSED", ("peer",), "Asia/Tokyo", started)
        paused.status, paused.paused_until = "paused", date(2027, 1, 20)
        session.flush()
        relationship = RelationshipRepository(session, ws).create(
            "mentorship", [(mentee.id, "mentee"), (mentor.id, "mentor")], cadence_days=30
        )
        relationship.created_at = started
    planner = Planner(db, default_timezone="America/New_York", coordinators=("UCOORD",))
    now = datetime(2027, 2, 1, 6, 0, tzinfo=UTC)
    first = planner.plan_workspace(ws, now)
    again = planner.plan_workspace(ws, now + timedelta(minutes=5))
    with db.session() as session:
        rows = list(session.scalars(select(OutboxNudge).order_by(OutboxNudge.key)))
        resumed = MemberRepository(session, ws).find("UPAUSED")
    reminders = {row.user_id for row in rows if row.kind == "meeting_reminder"}
    assert reminders == {"UMENTEE", "UMENTOR"}, (
        "a reminder 3 days before the expected meeting, to each member"
    )
    assert all(
        row.payload["relationship_id"] == relationship.id for row in rows if row.kind == "meeting_reminder"
    )
    assert first.inserted == len(rows) > 0 and again.inserted == 0
    assert first.resumed == 1 and resumed.status == "active" and resumed.paused_until is None


# -- delivering to the sandbox -------------------------------------------------------------------


@pytest.fixture
def slack() -> Iterator[Sandbox]:
    with Sandbox(spec_path=default_spec_path(), clock=SandboxClock(MONDAY_NOON)) as sandbox:
        yield sandbox


def seeded(
    db: Database, slack: Sandbox, users: int, team: str = "T0NUDGE"
) -> tuple[Workspace, int, list[str]]:
    space = slack.add_workspace(team, name="Nudge Residency")
    user_ids = [slack.add_user(team, f"user{i}", tz="America/Chicago").id for i in range(users)]
    ws = workspace_id(db, team)
    with db.session() as session:
        for user_id in user_ids:
            join(session, ws, user_id, ("mentee",), "America/Chicago", MONDAY_NOON - timedelta(days=40))
        Outbox(session).add(ws, [nudge(f"goal_checkin:{u}:2027-03-01", u) for u in user_ids], MONDAY_NOON)
    return space, ws, user_ids


def deliverer(db: Database, slack: Sandbox, space: Workspace, **options: object) -> Deliverer:
    return Deliverer(
        db,
        api_url=slack.api_url,
        tokens=single_token(space.bot_token),
        render=render_nudge,
        clock=slack.clock,
        options=DeliveryOptions(**{"pace": Pace(per_minute=6000), **options}),  # type: ignore[arg-type]
    )


def posts(slack: Sandbox) -> list:  # type: ignore[type-arg]
    return [
        call for call in slack.calls("chat.postMessage") if call.status == 200 and call.response.get("ok")
    ]


def test_delivery_sends_each_due_nudge_as_a_dm_and_records_it(db: Database, slack: Sandbox) -> None:
    space, ws, user_ids = seeded(db, slack, 5)
    stats = deliverer(db, slack, space).deliver_due(workers=2, timeout=30)
    assert stats.sent == 5 and statuses(db) == {"sent": 5}
    sent = posts(slack)
    assert sorted(call.args["channel"] for call in sent) == sorted(user_ids)
    assert {call.args["metadata"]["event_payload"]["key"] for call in sent} == {
        f"goal_checkin:{u}:2027-03-01" for u in user_ids
    }
    with db.session() as session:
        rows = list(session.scalars(select(OutboxNudge)))
    for row in rows:
        dm = slack.state.dms_to(space.team_id, row.user_id)
        assert [message.ts for message in dm] == [row.ts] and row.channel.startswith("D")
        assert row.sent_at == MONDAY_NOON


def test_members_who_left_or_paused_are_skipped_and_nothing_is_sent_early(
    db: Database, slack: Sandbox
) -> None:
    space, ws, user_ids = seeded(db, slack, 3)
    with db.session() as session:
        Outbox(session).add(ws, [nudge("future", user_ids[0], MONDAY_NOON + timedelta(hours=1))], MONDAY_NOON)
        members = MemberRepository(session, ws)
        members.find(user_ids[1]).status = "left"
        paused = members.find(user_ids[2])
        paused.status, paused.paused_until = "paused", date(2027, 4, 1)
    stats = deliverer(db, slack, space).deliver_due(timeout=30)
    assert (stats.sent, stats.skipped) == (1, 2)
    assert [call.args["channel"] for call in posts(slack)] == [user_ids[0]]
    assert statuses(db) == {"sent": 1, "skipped": 2, "pending": 1}


def test_a_paused_notice_pauses_the_member_once_delivered(db: Database, slack: Sandbox) -> None:
    space, ws, user_ids = seeded(db, slack, 1)
    with db.session() as session:
        session.execute(OutboxNudge.__table__.delete())
        Outbox(session).add(
            ws,
            [PlannedNudge("paused_notice", "paused_notice:x", user_ids[0], MONDAY_NOON, {"unanswered": 3})],
            WALL,
        )
    assert deliverer(db, slack, space).deliver_due(timeout=30).sent == 1
    with db.session() as session:
        assert MemberRepository(session, ws).find(user_ids[0]).status == "paused"


def test_a_429_holds_the_workspace_for_retry_after_and_loses_nothing(db: Database, slack: Sandbox) -> None:
    space, _, user_ids = seeded(db, slack, 4)
    slack.inject("chat.postMessage", "ratelimited", times=1, retry_after=1)
    stats = deliverer(db, slack, space).deliver_due(timeout=30)
    assert stats.rate_limited == 1 and stats.sent == 4 and statuses(db) == {"sent": 4}
    calls = slack.calls("chat.postMessage")
    limited = next(call for call in calls if call.status == 429)
    resumed = [call for call in calls if call.status == 200]
    assert len(resumed) == 4 and all(call is not limited for call in resumed)
    with db.session() as session:
        assert {row.attempts for row in session.scalars(select(OutboxNudge))} == {0}, "a 429 is not a failure"


def test_server_errors_back_off_then_succeed_or_dead_letter(db: Database, slack: Sandbox) -> None:
    space, ws, user_ids = seeded(db, slack, 1)
    quick = Backoff(base=0.05, max_attempts=5)
    slack.inject("chat.postMessage", 503, times=4)
    started = time.monotonic()
    stats = deliverer(db, slack, space, backoff=quick).deliver_due(timeout=30)
    assert (stats.retried, stats.sent, stats.dead) == (4, 1, 0)
    assert time.monotonic() - started >= 0.05 + 0.1 + 0.2 + 0.4, "each retry waits twice as long as the last"
    with db.session() as session:
        Outbox(session).add(ws, [nudge("again", user_ids[0])], MONDAY_NOON)
    slack.inject("chat.postMessage", 503, times=5)
    stats = deliverer(db, slack, space, backoff=quick).deliver_due(timeout=30)
    assert (stats.retried, stats.sent, stats.dead) == (4, 0, 1)
    with db.session() as session:
        rows = {row.status: row for row in session.scalars(select(OutboxNudge))}
    assert rows["sent"].attempts == 4
    assert rows["dead"].attempts == 5 and rows["dead"].last_error == "fatal_error"


def test_last_weeks_numbers_are_counted_only_while_a_coordinators_digest_is_unplanned(db: Database) -> None:
    ws = workspace_id(db)
    with db.session() as session:
        join(session, ws, "UMENTEE", ("mentee",), "America/New_York", datetime(2027, 1, 4, 15, tzinfo=UTC))
    planner = Planner(db, default_timezone="America/New_York", coordinators=("UCOORD", "UCHIEF"))
    monday = datetime(2027, 2, 1, 6, 0, tzinfo=UTC)
    with db.session() as session:
        before = planner.snapshot(session, ws, monday)
        only_checkins = planner.snapshot(session, ws, monday, kinds={"goal_checkin"})
    planner.plan_workspace(ws, monday)
    with db.session() as session:
        digests = set(
            session.scalars(select(OutboxNudge.key).where(OutboxNudge.kind == "coordinator_digest"))
        )
        after = planner.snapshot(session, ws, monday + timedelta(hours=1))
        Outbox(session).add(ws, [], monday)
        session.execute(
            OutboxNudge.__table__.delete().where(OutboxNudge.key.like("coordinator_digest:UCHIEF:%"))
        )
    with db.session() as session:
        one_missing = planner.snapshot(session, ws, monday + timedelta(hours=2))
    assert before.counts is not None and before.counts.participants == 1
    assert only_checkins.counts is None, "no digest is planned, so the week is not counted"
    assert digests == {"coordinator_digest:UCOORD:2027-W05", "coordinator_digest:UCHIEF:2027-W05"}
    assert after.counts is None, "both digests of the week are planned"
    assert one_missing.counts is not None and one_missing.counts.participants == 1
