"""Programs set to publish without review start each new round by themselves when the clock reaches it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.domain.programs import ProgramSettings
from bot.nudges.clock import tick
from storage.models import Round
from tests.e2e import test_nudges
from tests.e2e.conftest import settle_effects
from tests.e2e.test_nudges import FAST, person
from tests.e2e.test_program_schedules import MONTHLY_PEER, add_program, join_program

clock = test_nudges.clock

QUARTERLY_PAIRS = ProgramSettings(circle_size=2, min_size=2, max_size=2, round_months=3, auto_publish=True)
REVIEWED = dataclasses.replace(QUARTERLY_PAIRS, auto_publish=False)


def introductions(running_app) -> list:
    """Introductions the effect workers posted, once they have done all that the ticks queued."""
    settle_effects(running_app)
    return [
        c for c in running_app.sandbox.calls("chat.postMessage") if "Mentor Circle" in str(c.args.get("text"))
    ]


def rounds(running_app, status: str) -> int:
    with running_app.services.db.session() as session:
        return session.scalar(select(func.count()).select_from(Round).where(Round.status == status))


def test_each_new_round_is_published_once_when_its_window_opens(running_app, clock) -> None:
    add_program(running_app, "Auto pairs", QUARTERLY_PAIRS)
    add_program(running_app, "Reviewed pairs", REVIEWED)
    auto = [person(running_app, f"auto{i}", f"Auto {i}", "America/Chicago") for i in range(4)]
    reviewed = [person(running_app, f"rev{i}", f"Rev {i}", "America/Chicago") for i in range(4)]
    join_program(running_app, "Auto pairs", [(u, MONTHLY_PEER) for u in auto], "America/Chicago")
    join_program(running_app, "Reviewed pairs", [(u, MONTHLY_PEER) for u in reviewed], "America/Chicago")

    tick(running_app.services, options=FAST)
    tick(running_app.services, options=FAST)
    assert rounds(running_app, "published") == 1, (
        "the auto program's current round, once; the reviewed one waits"
    )
    posts = introductions(running_app)
    assert len(posts) == 2, "two pairs introduced"
    introduced = {
        uid
        for post in posts
        for uid in running_app.sandbox.state.directory.conversations[post.args["channel"]].members
    }
    assert {u.id for u in auto} <= introduced and not introduced & {u.id for u in reviewed}

    clock.set(datetime(2027, 7, 2, 15, tzinfo=UTC))
    tick(running_app.services, options=FAST)
    tick(running_app.services, options=FAST)
    assert rounds(running_app, "published") == 2, "the new academic year's first round starts by itself, once"
    assert len(introductions(running_app)) == 4
