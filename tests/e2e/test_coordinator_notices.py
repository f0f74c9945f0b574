"""Round boundaries are not silent: coordinators hear, in at most one DM a day at their working hours,
that a review round is due, that an auto round went out (and whom it matched again), that a circle fell
below its minimum, and that an introduction could not be posted."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.domain.programs import ProgramSettings
from bot.nudges.clock import tick
from storage.models import CoordinatorNotice, OutboxNudge
from tests.e2e import test_nudges
from tests.e2e.conftest import settle_effects
from tests.e2e.members import PEER, join
from tests.e2e.test_nudges import FAST, dms, person
from tests.e2e.test_program_schedules import MONTHLY_PEER, add_program, join_program

clock = test_nudges.clock

TRIO = ProgramSettings(circle_size=3, min_size=3, max_size=3, round_months=1, auto_publish=True)
REVIEWED = dataclasses.replace(TRIO, auto_publish=False)


def notice_dms(running_app, coordinator) -> list[str]:
    """The text of every notices DM the coordinator received, oldest first."""
    with running_app.services.db.session() as session:
        sent = {
            nudge.ts
            for nudge in session.scalars(select(OutboxNudge).where(OutboxNudge.kind == "coordinator_notices"))
            if nudge.ts
        }
    return [json.dumps(m.blocks, ensure_ascii=False) for m in dms(running_app, coordinator) if m.ts in sent]


def run_until(running_app, clock, until: datetime, step: timedelta = timedelta(hours=1)) -> None:
    while clock() < until:
        clock.advance(step)
        tick(running_app.services, deliver=True, options=FAST)
    settle_effects(running_app, 30)


def test_auto_rounds_are_reported_with_repeats_and_due_reviews_in_one_daily_dm(
    running_app, clock, coordinator
) -> None:
    add_program(running_app, "Auto trio", TRIO)
    add_program(running_app, "Reviewed trio", REVIEWED)
    trio = [person(running_app, f"auto{i}", f"Auto {i}", "America/Chicago") for i in range(3)]
    others = [person(running_app, f"rev{i}", f"Rev {i}", "America/Chicago") for i in range(3)]
    join_program(running_app, "Auto trio", [(u, MONTHLY_PEER) for u in trio], "America/Chicago")
    join_program(running_app, "Reviewed trio", [(u, MONTHLY_PEER) for u in others], "America/Chicago")

    tick(running_app.services, deliver=True, options=FAST)
    tick(running_app.services, deliver=True, options=FAST)
    run_until(running_app, clock, datetime(2027, 3, 2, 23, tzinfo=UTC))
    first = notice_dms(running_app, coordinator)
    assert len(first) == 1, "both notices of the first day travel in one DM"
    assert "*Auto trio*: round 9 of 2026–27 went out on its own: 1 circle, 3 people." in first[0]
    assert "*Reviewed trio*: round 9 of 2026–27 started on Monday, March 1, 2027 and is waiting" in first[0]
    arrived = dms(running_app, coordinator)[-1]
    assert datetime.fromtimestamp(float(arrived.ts), UTC).hour == 15, "9:00 in the members' Chicago"

    run_until(running_app, clock, datetime(2027, 4, 2, 23, tzinfo=UTC), step=timedelta(hours=6))
    later = notice_dms(running_app, coordinator)
    assert len(later) == 2
    assert "3 pairs had been matched together before" in later[1], "the same three people, said out loud"
    with running_app.services.db.session() as session:
        waiting = session.scalars(
            select(CoordinatorNotice).where(CoordinatorNotice.nudge_key.is_(None))
        ).all()
    assert waiting == []


def test_a_circle_falling_below_its_minimum_and_a_failed_introduction_are_noticed(
    running_app, clock, coordinator
) -> None:
    add_program(running_app, "Auto trio", TRIO)
    trio = [person(running_app, f"auto{i}", f"Auto {i}", "America/Chicago") for i in range(3)]
    join_program(running_app, "Auto trio", [(u, MONTHLY_PEER) for u in trio], "America/Chicago")
    running_app.sandbox.state.directory.user(running_app.workspace.team_id, trio[0].id).deleted = True
    tick(running_app.services, deliver=True, options=FAST)
    settle_effects(running_app, 30)
    running_app.sandbox.state.directory.user(running_app.workspace.team_id, trio[0].id).deleted = False

    session = running_app.session(trio[1])
    session.slash_command("/mentor", "leave", settle=5.0)
    session.click("settings_leave_confirm").wait_for_response(1, 10)
    run_until(running_app, clock, datetime(2027, 3, 3, 23, tzinfo=UTC))

    texts = notice_dms(running_app, coordinator)
    assert len(texts) == 2, "one DM a day: the round first, the short circle the next day"
    assert "went out on its own" in texts[0]
    assert "a circle is down to 2 active members, below the program's minimum of 3" in texts[1]
    failed = "I couldn't post the introduction for a circle, even after retrying (user_disabled)"
    assert [failed in text for text in texts].count(True) == 1, (
        "the failure is told once: with the round when the retries ran out before that DM was planned, "
        "else the next day"
    )
    assert all(f"<@{user.id}>" not in text for text in texts for user in trio), "counts only, nobody named"

    status = (
        running_app.session(coordinator).slash_command("/mentor", "admin match status", settle=5.0).reply()
    )
    assert "*Auto trio*: 1 circle published on Monday, March 1, 2027." in status["text"]
    assert (
        "Introductions: 0 sent, 0 on the way, 1 failed. 1 circle below the program's minimum size."
        in (status["text"])
    )


def test_erasing_a_coordinator_forgets_their_notices(running_app, clock, coordinator) -> None:
    add_program(running_app, "Reviewed trio", REVIEWED)
    others = [person(running_app, f"rev{i}", f"Rev {i}", "America/Chicago") for i in range(3)]
    join_program(running_app, "Reviewed trio", [(u, MONTHLY_PEER) for u in others], "America/Chicago")
    join(running_app, coordinator, PEER)
    tick(running_app.services, options=FAST)
    with running_app.services.db.session() as session:
        assert session.scalars(select(CoordinatorNotice.recipient)).all() == [coordinator.id]
    running_app.session(coordinator).slash_command("/mentor", "delete-my-data", settle=5.0)
    running_app.session(coordinator).click("my_data_delete").wait_for_response(1, 10)
    with running_app.services.db.session() as session:
        assert session.scalars(select(CoordinatorNotice)).all() == []
