"""What a request causes beyond its reply (App Home refreshes, files) happens after the reply, survives
Slack's errors and rate limits, and never turns a saved change into an error message."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from bot.sandbox import User
from storage.models import Goal
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import PEER, join
from tests.e2e.test_goals import home_text, say, wait_for_home


def publishes_for(running_app: RunningApp, user: User) -> list:
    return [c for c in running_app.sandbox.calls("views.publish") if c.args.get("user_id") == user.id]


def test_a_failing_home_refresh_does_not_fail_the_change_and_is_retried(
    running_app: RunningApp, alice: User
) -> None:
    join(running_app, alice, PEER)
    running_app.sandbox.inject("views.publish", 500, times=2)
    reply = say(running_app, alice, "goal add Finish the QI project")
    assert "Finish the QI project" in reply["text"] and "wrong" not in reply["text"]
    with running_app.services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Goal)) == 1
    wait_for_home(running_app, alice, present="Finish the QI project")

    def statuses() -> list[object]:
        return [c.response.get("ok") for c in publishes_for(running_app, alice)]

    # The sandbox shows the new Home a moment before it logs the call that published it.
    running_app.sandbox.state.feed.wait_until(lambda: bool(statuses()) and statuses()[-1] is True, 5)
    assert statuses()[:2] == [False, False] and statuses()[-1] is True


def test_a_rate_limited_home_refresh_waits_for_retry_after(running_app: RunningApp, alice: User) -> None:
    join(running_app, alice, PEER)
    running_app.sandbox.inject("views.publish", "ratelimited", times=1, retry_after=1)
    started = time.monotonic()
    reply = say(running_app, alice, "goal add Read two papers a month")
    assert time.monotonic() - started < 3, "the reply does not wait for the Home"
    assert "Read two papers a month" in reply["text"]
    wait_for_home(running_app, alice, present="Read two papers a month")

    def retried() -> bool:
        calls = publishes_for(running_app, alice)
        errors = [c.response.get("error") for c in calls]
        return "ratelimited" in errors and errors.index("ratelimited") + 1 < len(calls)

    # The sandbox shows the new Home a moment before it logs the call that published it.
    running_app.sandbox.state.feed.wait_until(retried, 5)
    calls = publishes_for(running_app, alice)
    limited = next(i for i, c in enumerate(calls) if c.response.get("error") == "ratelimited")
    assert (calls[limited + 1].at - calls[limited].at).total_seconds() >= 0.9, "Retry-After was honoured"


def test_quick_changes_are_coalesced_into_few_home_refreshes(running_app: RunningApp, alice: User) -> None:
    join(running_app, alice, PEER)
    for n in range(6):
        say(running_app, alice, f"goal add Quick goal number {n}")
    settle_effects(running_app)
    assert "Quick goal number 5" in home_text(running_app, alice)
    assert len(publishes_for(running_app, alice)) < 6, "one refresh covers several changes"


def test_an_export_whose_upload_fails_first_still_arrives_once(running_app: RunningApp, alice: User) -> None:
    join(running_app, alice, PEER)
    say(running_app, alice, "goal add Apply for the research track")
    running_app.sandbox.inject("files.getUploadURLExternal", 503, times=1)
    reply = say(running_app, alice, "export")
    assert "on its way" in reply["text"]
    settle_effects(running_app)
    files = running_app.sandbox.state.uploaded_files(running_app.workspace.team_id)
    assert len(files) == 1 and "Apply for the research track" in files[0].content.decode()
