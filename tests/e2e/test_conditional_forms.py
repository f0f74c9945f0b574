"""Forms that fit the person: the join/profile and program settings modals ask only what applies, and
rebuild themselves (`dispatch_action` → `block_actions` → `views.update`) as the answers change."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace
from typing import Any

import pytest

from bot.domain.programs import ProgramSettings
from bot.sandbox import UserSession
from bot.sandbox.models import View
from storage.programs import ProgramRepository
from storage.repositories import WorkspaceRepository
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.members import PEER, join, member_row
from tests.e2e.test_matching import preview

MENTEE = {
    "roles": ["mentee"],
    "stage": "PGY-2",
    "specialty": "internal-medicine",
    "track": "academic",
    "needs": ["research"],
    "frequency": "monthly",
    "tz": "America/Chicago",
}
MENTOR_QUESTIONS = {"offers", "capacity"}
CIRCLE_SIZES = {"circle_size", "min_size", "max_size"}


def open_join(running_app: RunningApp, user) -> UserSession:
    session = running_app.session(user)
    assert session.slash_command("/mentor", "join").status == 200
    wait_for_modal(session, "profile")
    return session


def block_ids(view: View) -> list[str]:
    return [str(block.get("block_id")) for block in view.payload["blocks"]]


def block(view: View, block_id: str) -> dict[str, Any]:
    return next(b for b in view.payload["blocks"] if b.get("block_id") == block_id)


def answer(session: UserSession, action_id: str, choice: Any, typed: dict[str, Any] | None = None) -> View:
    """Answer a dispatch_action input (with `typed` filled in elsewhere first); the rebuilt modal."""
    modal = session.current_modal()
    before = modal.hash
    assert session.view_action(modal, action_id, choice, values=typed).status == 200
    assert session.state.feed.wait_until(lambda: modal.hash != before, 5), "the modal was not rebuilt"
    return modal


def test_the_shaping_answers_dispatch_and_the_others_do_not(running_app: RunningApp, alice) -> None:
    session = open_join(running_app, alice)
    modal = session.current_modal()
    assert block(modal, "roles")["dispatch_action"] is True
    assert block(modal, "specialty")["dispatch_action"] is True
    assert "dispatch_action" not in block(modal, "stage")
    with pytest.raises(LookupError, match="dispatch_action"):
        session.view_action(modal, "stage", "PGY-1")


def test_a_mentee_is_not_asked_mentor_questions(running_app: RunningApp, alice) -> None:
    session = open_join(running_app, alice)
    first = block_ids(session.current_modal())
    assert not {"needs", *MENTOR_QUESTIONS, "specialty_other"} & set(first)
    modal = answer(session, "roles", ["mentee"])
    assert "needs" in block_ids(modal) and not MENTOR_QUESTIONS & set(block_ids(modal))
    update = running_app.sandbox.state.wait_for_calls("views.update", 1)[-1]
    assert update.ok and update.args["view_id"] == modal.id
    sent = session.view_submission(values=MENTEE)
    assert sent.body["response_action"] == "update"
    stored = member_row(running_app, alice)
    assert (stored.roles, stored.needs, stored.offers, stored.capacity) == (
        ["mentee"],
        ["research"],
        [],
        None,
    )


def test_choosing_mentor_adds_its_questions_without_losing_typed_values(
    running_app: RunningApp, alice
) -> None:
    session = open_join(running_app, alice)
    answer(session, "roles", ["mentee"])
    typed = {"stage": "PGY-3", "track": "hybrid", "needs": ["leadership"], "site": "North campus"}
    modal = answer(session, "roles", ["mentee", "mentor"], typed)
    assert {"needs", *MENTOR_QUESTIONS} <= set(block_ids(modal))
    assert block(modal, "site")["element"]["initial_value"] == "North campus"
    assert block(modal, "stage")["element"]["initial_option"]["value"] == "PGY-3"
    assert [o["value"] for o in block(modal, "needs")["element"]["initial_options"]] == ["leadership"]
    assert modal.state_values["site"]["site"]["value"] == "North campus"

    sent = session.view_submission(
        values={
            "specialty": "pediatrics",
            "frequency": "monthly",
            "offers": ["education"],
            "capacity": "2",
        }
    )
    assert sent.body["response_action"] == "update", sent.body
    stored = member_row(running_app, alice)
    assert (stored.stage, stored.track, stored.site, stored.needs) == (
        "PGY-3",
        "hybrid",
        "North campus",
        ["leadership"],
    )
    assert (stored.offers, stored.capacity) == (["education"], 2)


def test_other_specialty_is_asked_only_after_choosing_other(running_app: RunningApp, alice) -> None:
    session = open_join(running_app, alice)
    answer(session, "roles", ["mentee"])
    assert "specialty_other" not in block_ids(answer(session, "specialty", "cardiology"))
    modal = answer(session, "specialty", "other")
    assert block_ids(modal).index("specialty_other") == block_ids(modal).index("specialty") + 1
    modal = answer(session, "specialty", "internal-medicine", {"specialty_other": "Aerospace medicine"})
    assert "specialty_other" not in block_ids(modal)
    sent = session.view_submission(values={**MENTEE, "specialty": "internal-medicine"})
    assert sent.body["response_action"] == "update"
    assert member_row(running_app, alice).specialty_other is None

    session = open_join(running_app, alice)
    answer(session, "specialty", "other")
    sent = session.view_submission(values={**MENTEE, "specialty": "other", "specialty_other": "Aerospace"})
    assert sent.body["response_action"] == "update"
    stored = member_row(running_app, alice)
    assert (stored.specialty, stored.specialty_other) == ("other", "Aerospace")


def test_common_subspecialties_are_offered(running_app: RunningApp, alice) -> None:
    session = open_join(running_app, alice)
    groups = block(session.current_modal(), "specialty")["element"]["option_groups"]
    labels = {group["label"]["text"]: [o["text"]["text"] for o in group["options"]] for group in groups}
    assert {"Cardiology", "Neonatology", "Hospital medicine"} <= set(labels["Subspecialties"])
    assert labels["Something else"] == ["Other"]
    answer(session, "roles", ["mentee"])
    assert session.view_submission(values={**MENTEE, "specialty": "cardiology"}).body["response_action"] == (
        "update"
    )
    assert member_row(running_app, alice).specialty == "cardiology"


def test_every_error_comes_back_at_once(running_app: RunningApp, alice) -> None:
    session = open_join(running_app, alice)
    answer(session, "roles", ["mentor"])
    answer(session, "specialty", "other")
    sent = session.view_submission(values={"tz": "America/Chicago"})
    assert sent.body["response_action"] == "errors"
    assert set(sent.body["errors"]) == {
        "stage",
        "specialty_other",
        "track",
        "offers",
        "frequency",
        "capacity",
    }
    assert member_row(running_app, alice).joined_at is None


def test_an_error_for_a_question_not_yet_shown_lands_on_the_answer_that_brings_it(
    running_app: RunningApp, alice
) -> None:
    """Submitted before the rebuild arrived: Slack only shows errors on blocks the modal has."""
    session = open_join(running_app, alice)
    answer(session, "roles", ["mentee"])
    sent = session.view_submission(values={**MENTEE, "specialty": "other"})
    assert sent.body["response_action"] == "errors"
    assert sent.body["errors"] == {"specialty": "Please type your specialty."}


def test_a_stale_hash_keeps_the_newer_modal(running_app: RunningApp, alice) -> None:
    session = open_join(running_app, alice)
    stale = dataclasses.replace(session.current_modal())
    stale.payload = dict(stale.payload)
    modal = answer(session, "roles", ["mentee"])
    newer = (modal.hash, block_ids(modal))
    assert stale.hash != modal.hash

    assert session.view_action(stale, "specialty", "other").status == 200
    calls = running_app.sandbox.state.wait_for_calls("views.update", 2)
    [conflict] = [call for call in calls if not call.ok]
    assert conflict.args["hash"] == stale.hash and conflict.error == "hash_conflict"
    assert (session.current_modal().hash, block_ids(session.current_modal())) == newer
    assert len(running_app.sandbox.state.calls("views.update")) == 2, "no retry over the newer modal"


@pytest.mark.parametrize(
    ("title", "stage"),
    [("PGY 2", "PGY-2"), ("pgy1 resident", "PGY-1"), ("Cardiology Fellow", "fellow"), ("Hospitalist", None)],
)
def test_the_stage_is_prefilled_from_the_slack_title(
    running_app: RunningApp, title: str, stage: str | None
) -> None:
    user = running_app.sandbox.add_user(running_app.workspace.team_id, "tess", "Tess T", title=title)
    session = open_join(running_app, user)
    element = block(session.current_modal(), "stage")["element"]
    assert (element.get("initial_option") or {}).get("value") == stage
    assert len(running_app.sandbox.state.calls("users.info")) == 1, "the member lookup's users.info is reused"
    rebuilt = block(answer(session, "roles", ["mentee"]), "stage")["element"]
    assert (rebuilt.get("initial_option") or {}).get("value") == stage
    assert len(running_app.sandbox.state.calls("users.info")) == 1, "a rebuild asks Slack for nothing more"


def test_a_stored_stage_wins_over_the_title(running_app: RunningApp, alice) -> None:
    running_app.sandbox.state.directory.users[alice.id].title = "Cardiology fellow"
    session = open_join(running_app, alice)
    assert block(session.current_modal(), "stage")["element"]["initial_option"]["value"] == "fellow"
    answer(session, "roles", ["mentee"])
    session.view_submission(values={**MENTEE, "stage": "PGY-3"})
    session = open_join(running_app, alice)
    assert block(session.current_modal(), "stage")["element"]["initial_option"]["value"] == "PGY-3"


def open_settings(running_app: RunningApp, coordinator) -> UserSession:
    session = running_app.session(coordinator)
    session.slash_command("/mentor", "admin program edit Mentor Circles")
    wait_for_modal(session, "program_settings")
    return session


def stored_settings(running_app: RunningApp) -> ProgramSettings:
    with running_app.services.db.session() as db:
        space = WorkspaceRepository(db).ensure(running_app.workspace.team_id)
        return ProgramSettings.from_json(ProgramRepository(db, space.id).default().settings)


def test_a_one_to_one_program_is_not_asked_circle_sizes(running_app: RunningApp, coordinator) -> None:
    session = open_settings(running_app, coordinator)
    assert set(block_ids(session.current_modal())) >= CIRCLE_SIZES
    assert block(session.current_modal(), "kind")["dispatch_action"] is True
    modal = answer(session, "kind", "mentors", {"send_hour": "10", "circle_size": "9"})
    assert not CIRCLE_SIZES & set(block_ids(modal))
    assert block(modal, "send_hour")["element"]["initial_value"] == "10"
    assert modal.state_values["send_hour"]["send_hour"]["value"] == "10"
    sent = session.view_submission(values={})
    assert sent.status == 200 and not sent.body, sent.body
    saved = stored_settings(running_app)
    assert (saved.kind, saved.send_hour, saved.circle_size) == ("mentors", 10, ProgramSettings().circle_size)

    session = open_settings(running_app, coordinator)
    assert not CIRCLE_SIZES & set(block_ids(session.current_modal()))
    modal = answer(session, "kind", "circles")
    assert set(block_ids(modal)) >= CIRCLE_SIZES


def test_settings_errors_all_come_back_at_once(running_app: RunningApp, coordinator) -> None:
    session = open_settings(running_app, coordinator)
    sent = session.view_submission(values={"round_months": "five", "cadence_days": "3", "year_start": "July"})
    assert sent.body["response_action"] == "errors"
    assert set(sent.body["errors"]) == {"round_months", "cadence_days", "year_start"}
    assert stored_settings(running_app) == ProgramSettings()


def test_subspecialties_match_as_their_parent_specialty(running_app: RunningApp, coordinator) -> None:
    for n, specialty in enumerate(("cardiology", "nephrology", "hospital-medicine", "internal-medicine")):
        user = running_app.sandbox.add_user(running_app.workspace.team_id, f"doc{n}", f"Doc {n}")
        join(running_app, user, replace(PEER, specialty=specialty))
    shown = json.dumps(preview(running_app, coordinator)["blocks"])
    assert "in internal medicine" in shown and "a mix of specialties" not in shown
