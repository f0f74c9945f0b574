"""End-of-round feedback end to end: planned by the clock near the end of a round, delivered once at each
person's local hour, answered with the DM's buttons and its comment modal, and counted in the stats, the
participation CSV and the feedback chart, all through the running app, the sandbox and the real DB.

The default program's rounds run quarterly from July 1, so round 3 of 2026–27 is January 1 to March 31,
2027 and its last week starts on Thursday, March 25.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import func, select

from bot.domain.feedback import MIN_ANSWERS_SHOWN
from bot.sandbox import Message, SandboxClock, User
from bot.sandbox.transports import Outgoing
from storage.models import Member, OutboxNudge, Relationship, RoundFeedback
from storage.programs import ProgramRepository
from storage.repositories import MemberRepository, WorkspaceRepository
from tests.e2e.conftest import RunningApp, settle_effects, wait_for_modal
from tests.e2e.members import MENTOR, PEER
from tests.e2e.test_counts_per_program import FACULTY
from tests.e2e.test_enrollment import add_program
from tests.e2e.test_my_data import wait_response
from tests.e2e.test_nudges import Simulation, button_ids, dms, enrol, group, person, text_of
from tests.e2e.test_roster import people
from tests.e2e.test_stats import stats

BEGIN = datetime(2027, 3, 24, 20, 0, tzinfo=UTC)
"""The evening before round 3's last week opens."""
MATCHED = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
ZONES = {"alice": "America/Chicago", "bob": "Europe/Berlin", "maya": "America/New_York"}
COMMENT = "The lunchtime slots worked really well for our quokka-themed circle"
PRIVATE_COMMENT = "Something I'd rather keep to myself about the axolotl rota"
ROUND = "round 3 of 2026–27"


@pytest.fixture
def clock() -> SandboxClock:
    return SandboxClock(BEGIN)


@dataclasses.dataclass
class Cast:
    alice: User
    bob: User
    maya: User
    erin: User
    """Paused: in the circle, but asked nothing."""
    gus: User
    """Left Mentor Circles (still linked to the circle): asked nothing."""
    dev: User
    fay: User
    """Dev and Fay meet only in an archived program: asked nothing."""
    circle: int
    mentorship: int


def the_cast(running_app: RunningApp, coordinator: User, *, archive: bool = True) -> Cast:
    users = {name: person(running_app, name, f"{name.title()} Tester", tz) for name, tz in ZONES.items()}
    erin = person(running_app, "erin", "Erin Tester", "Europe/London")
    gus = person(running_app, "gus", "Gus Tester", "Europe/London")
    dev = person(running_app, "dev", "Dev Tester", "America/Chicago")
    fay = person(running_app, "fay", "Fay Tester", "America/Chicago")
    for name, tz in ZONES.items():
        enrol(running_app, users[name], MENTOR if name == "maya" else PEER, tz, MATCHED)
    enrol(running_app, erin, PEER, "Europe/London", MATCHED)
    enrol(running_app, gus, PEER, "Europe/London", MATCHED)
    enrol(running_app, dev, PEER, "America/Chicago", MATCHED)
    enrol(running_app, fay, MENTOR, "America/Chicago", MATCHED)
    with running_app.services.db.session() as session:
        paused = session.scalar(select(Member).where(Member.slack_user_id == erin.id))
        left = session.scalar(select(Member).where(Member.slack_user_id == gus.id))
        assert paused is not None and left is not None
        paused.status, left.status = "paused", "left"
    circle = group(
        running_app,
        "circle",
        [(users["alice"], "peer"), (users["bob"], "peer"), (erin, "peer"), (gus, "peer")],
        MATCHED,
    )
    mentorship = group(
        running_app, "mentorship", [(users["alice"], "mentee"), (users["maya"], "mentor")], MATCHED
    )
    faculty = int(add_program(running_app, FACULTY, kind="mentors"))
    archived = group(running_app, "mentorship", [(dev, "mentee"), (fay, "mentor")], MATCHED)
    with running_app.services.db.session() as session:
        session.get_one(Relationship, archived).program_id = faculty
    _only_in(running_app, faculty, dev, fay)
    if archive:
        archive_faculty(running_app, coordinator)
    return Cast(users["alice"], users["bob"], users["maya"], erin, gus, dev, fay, circle, mentorship)


def archive_faculty(running_app: RunningApp, coordinator: User) -> None:
    session = running_app.session(coordinator)
    assert "I've archived" in str(
        session.slash_command("/mentor", f"admin program archive {FACULTY}").reply()
    )


def _only_in(running_app: RunningApp, program_id: int, *users: User) -> None:
    """Enrol these members in the program given, and so in no other (the default takes only those who
    never chose one)."""
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        programs = ProgramRepository(session, space.id)
        program = programs.get(program_id)
        assert program is not None
        for user in users:
            member = MemberRepository(session, space.id).find(user.id)
            programs.enroll(program, member, MATCHED)


def surveys(running_app: RunningApp, user: User) -> list[Message]:
    """The feedback DMs a user received (their answer buttons identify them)."""
    return [m for m in dms(running_app, user) if "feedback_worth_yes" in button_ids(m)]


def delivered(running_app: RunningApp, clock: SandboxClock, coordinator: User) -> Cast:
    """The cast, and the simulated clock run hour by hour through the first day of the last week."""
    people_in = the_cast(running_app, coordinator)
    Simulation(running_app, clock).run_until(datetime(2027, 3, 25, 20, tzinfo=UTC))
    return people_in


def feedback_rows(running_app: RunningApp) -> list[RoundFeedback]:
    with running_app.services.db.session() as session:
        rows = list(session.scalars(select(RoundFeedback).order_by(RoundFeedback.id)))
        for row in rows:
            session.expunge(row)
        return rows


def latest(running_app: RunningApp, user: User) -> Message:
    (message,) = surveys(running_app, user)
    return message


def click(running_app: RunningApp, user: User, action_id: str):  # type: ignore[no-untyped-def]
    sent = running_app.session(user).click(action_id)
    assert sent.status == 200
    sent.wait_for_response()
    return sent


def test_the_survey_arrives_once_near_the_end_of_the_round_at_each_local_hour(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    people_in = delivered(running_app, clock, coordinator)
    for user, tz in (
        (people_in.alice, ZONES["alice"]),
        (people_in.bob, ZONES["bob"]),
        (people_in.maya, ZONES["maya"]),
    ):
        (survey,) = surveys(running_app, user)
        arrived = datetime.fromtimestamp(float(survey.ts), UTC).astimezone(ZoneInfo(tz))
        assert (arrived.date(), arrived.hour) == (date(2027, 3, 25), 9), user.name
        shown = text_of(survey)
        assert "Round 3 of 2026–27" in shown and "Wednesday, March 31, 2027" in shown
        assert button_ids(survey) == [
            "feedback_worth_yes",
            "feedback_worth_somewhat",
            "feedback_worth_no",
            "feedback_met_never",
            "feedback_met_once",
            "feedback_met_two_three",
            "feedback_met_four_plus",
            "feedback_continue_yes",
            "feedback_continue_not_sure",
            "feedback_continue_no",
            "feedback_comment",
        ]
    for user in (people_in.erin, people_in.gus, people_in.dev, people_in.fay):
        assert surveys(running_app, user) == [], f"{user.name} is paused, left or only in an archived program"

    Simulation(running_app, clock).run_until(datetime(2027, 3, 27, 20, tzinfo=UTC))
    clock.advance(timedelta(days=5))
    Simulation(running_app, clock).tick()
    with running_app.services.db.session() as session:
        keys = list(session.scalars(select(OutboxNudge.key).where(OutboxNudge.kind == "round_feedback")))
    assert len(keys) == 3 and len(set(keys)) == 3, "one survey per person and round, Alice's two groups too"
    assert all(
        len(surveys(running_app, user)) == 1 for user in (people_in.alice, people_in.bob, people_in.maya)
    )


def test_a_survey_planned_before_its_program_is_archived_is_not_sent(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    people_in = the_cast(running_app, coordinator, archive=False)
    Simulation(running_app, clock).run_until(datetime(2027, 3, 25, 6, tzinfo=UTC))
    with running_app.services.db.session() as session:
        waiting = session.scalars(
            select(OutboxNudge.user_id).where(
                OutboxNudge.kind == "round_feedback", OutboxNudge.status == "pending"
            )
        )
        assert {people_in.dev.id, people_in.fay.id} <= set(waiting)
    archive_faculty(running_app, coordinator)
    Simulation(running_app, clock).run_until(datetime(2027, 3, 25, 20, tzinfo=UTC))
    assert surveys(running_app, people_in.dev) == surveys(running_app, people_in.fay) == []
    assert len(surveys(running_app, people_in.alice)) == 1
    with running_app.services.db.session() as session:
        statuses = set(
            session.scalars(
                select(OutboxNudge.status).where(
                    OutboxNudge.kind == "round_feedback",
                    OutboxNudge.user_id.in_([people_in.dev.id, people_in.fay.id]),
                )
            )
        )
    assert statuses == {"skipped"}


def test_answers_are_stored_a_changed_answer_replaces_and_a_retried_click_stores_nothing_twice(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    people_in = delivered(running_app, clock, coordinator)
    alice = people_in.alice
    click(running_app, alice, "feedback_worth_yes")
    met = click(running_app, alice, "feedback_met_once")
    replayed = running_app.session(alice).transport.deliver(met.outgoing)
    assert replayed.status == 200
    met.wait_for_response(count=2)
    click(running_app, alice, "feedback_continue_not_sure")
    (row,) = feedback_rows(running_app)
    assert (row.worth, row.met, row.carry_on, row.comment) == ("yes", "once", "not_sure", None)
    shown = latest(running_app, alice)
    assert "Saved: worth your time *Yes* · met *Once* · continue *Not sure*" in text_of(shown)
    assert len(button_ids(shown)) == 11, "the buttons stay, so any answer can still change"

    click(running_app, alice, "feedback_met_two_three")
    click(running_app, alice, "feedback_continue_yes")
    (row,) = feedback_rows(running_app)
    assert (row.worth, row.met, row.carry_on) == ("yes", "two_three", "yes")
    with running_app.services.db.session() as session:
        answered = session.scalar(
            select(OutboxNudge.response).where(
                OutboxNudge.kind == "round_feedback", OutboxNudge.user_id == alice.id
            )
        )
    assert answered == "answered"

    bob = running_app.session(people_in.bob)
    genuine = bob.click("feedback_worth_no")
    genuine.wait_for_response()
    forged = json.loads(json.dumps(genuine.outgoing.content))
    forged["actions"][0].update(action_id="feedback_worth_no", value=str(alice_row_id(running_app, alice)))
    assert bob.transport.deliver(Outgoing(genuine.outgoing.kind, forged)).status == 200
    assert "someone else's" in genuine.wait_for_response(count=2)[-1]["text"]
    rows = {r.member_id: r.worth for r in feedback_rows(running_app)}
    assert sorted(rows.values()) == ["no", "yes"], "Alice's answer stands; Bob's own is his"


def alice_row_id(running_app: RunningApp, user: User) -> int:
    with running_app.services.db.session() as session:
        found = session.scalar(
            select(OutboxNudge.id).where(OutboxNudge.kind == "round_feedback", OutboxNudge.user_id == user.id)
        )
        assert found is not None
        return found


def test_a_comment_is_kept_only_with_consent_and_a_resubmitted_modal_keeps_it_once(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    people_in = delivered(running_app, clock, coordinator)
    session = running_app.session(people_in.alice)
    click(running_app, people_in.alice, "feedback_comment")
    wait_for_modal(session, "feedback_comment")
    refused = session.view_submission(values={"comment": PRIVATE_COMMENT, "consent": []})
    assert refused.body["response_action"] == "errors" and "Tick this" in refused.errors["consent"]
    assert feedback_rows(running_app) == []

    shared = session.view_submission(values={"comment": COMMENT, "consent": ["share"]})
    assert shared.body["response_action"] == "update"
    assert "without your name" in json.dumps(shared.body["view"]["blocks"])
    again = session.transport.deliver(shared.outgoing)
    assert again.status == 200
    (row,) = feedback_rows(running_app)
    assert row.comment == COMMENT and row.comment_shared_at is not None

    with running_app.services.db.engine.connect() as connection:
        everything = json.dumps(
            [
                [list(map(str, r)) for r in connection.exec_driver_sql(f"SELECT * FROM {table}")]
                for table in ("round_feedback", "outbox", "slack_effects", "audit_log")
            ]
        )
    assert "axolotl" not in everything, "a comment without consent is stored nowhere"

    click(running_app, people_in.alice, "feedback_comment")
    wait_for_modal(session, "feedback_comment")
    removed = session.view_submission(values={"comment": "", "consent": []})
    assert "removed" in json.dumps(removed.body["view"]["blocks"])
    (row,) = feedback_rows(running_app)
    assert row.comment is None and row.comment_shared_at is None


def answer(running_app: RunningApp, user: User, worth: str, met: str, carry_on: str) -> None:
    for question, value in (("worth", worth), ("met", met), ("continue", carry_on)):
        click(running_app, user, f"feedback_{question}_{value}")


def test_stats_csv_and_chart_count_the_answers_and_score_them_without_saying_who_said_what(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    people_in = delivered(running_app, clock, coordinator)
    answer(running_app, people_in.alice, "yes", "two_three", "yes")
    before = json.dumps(stats(running_app, coordinator, "Mentor Circles")["blocks"], ensure_ascii=False)
    assert (
        f"1 of 3 people answered (33%). Counts and the score appear once {MIN_ANSWERS_SHOWN} people" in before
    )
    assert "health score *" not in before

    answer(running_app, people_in.bob, "no", "never", "not_sure")
    session = running_app.session(people_in.bob)
    click(running_app, people_in.bob, "feedback_comment")
    wait_for_modal(session, "feedback_comment")
    session.view_submission(values={"comment": COMMENT, "consent": ["share"]})

    shown = json.dumps(stats(running_app, coordinator, "Mentor Circles")["blocks"], ensure_ascii=False)
    # Alice (1 + 2/3 + 1) / 3 and Bob (0 + 0 + 1/2) / 3: their mean is 0.528.
    assert f"*Mentor Circles · {ROUND}*: 2 of 3 people answered (67%) · health score *53*/100" in shown
    assert "Worth their time: Yes 1 · Somewhat 0 · No 1" in shown
    assert "Met: Never 1 · Once 0 · 2–3 times 1 · 4 or more 0" in shown
    assert "Would continue: Yes 1 · Not sure 1 · No 0" in shown
    assert "worth your time counts yes 1, somewhat ½, no 0" in shown
    assert f"*Comments shared anonymously*\\n• {COMMENT}" in shown
    for who in (people_in.alice, people_in.bob, people_in.maya):
        assert who.id not in shown and who.real_name not in shown
    everyone = json.dumps(stats(running_app, coordinator)["blocks"], ensure_ascii=False)
    assert "health score *53*/100" in everyone

    assert "participation CSV" in people(running_app, coordinator, "csv")["text"]
    assert "feedback" in stats(running_app, coordinator, "Mentor Circles feedback")["text"]
    settle_effects(running_app)
    files = {f.filename: f for f in running_app.sandbox.state.uploaded_files(running_app.workspace.team_id)}
    participation = next(f for name, f in files.items() if name.startswith("mentor-circles-participation"))
    rows = list(csv.DictReader(io.StringIO(participation.content.decode())))
    members = {row["slack_user_ids"]: row for row in rows if row["row"] == "member"}
    answered = {
        user.name: members[user.id]["feedback_answered"]
        for user in (people_in.alice, people_in.bob, people_in.maya)
    }
    assert answered == {"alice": "yes", "bob": "yes", "maya": "no"}
    assert {row["health_score"] for row in members.values()} == {""}, "never one person's score"
    assert members[people_in.alice.id]["feedback_round"] == ROUND
    groups = {
        row["row"]: row for row in rows if row["row"] != "member" and row["program"] == "Mentor Circles"
    }
    assert (groups["circle"]["feedback_answered"], groups["circle"]["health_score"]) == ("2", "53")
    assert (groups["mentorship"]["feedback_answered"], groups["mentorship"]["health_score"]) == ("1", "")
    assert COMMENT not in participation.content.decode()

    chart = files["feedback-per-round.png"]
    assert chart.content[:8] == b"\x89PNG\r\n\x1a\n" and chart.alt_txt
    image = Image.open(io.BytesIO(chart.content))
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 10, "a drawn chart, not a blank canvas"
    assert chart.title == "End-of-round feedback per round: Mentor Circles"


def test_the_privacy_page_export_and_erasure_cover_feedback(
    running_app: RunningApp, clock: SandboxClock, coordinator: User
) -> None:
    people_in = delivered(running_app, clock, coordinator)
    alice = people_in.alice
    answer(running_app, alice, "somewhat", "once", "no")
    session = running_app.session(alice)
    click(running_app, alice, "feedback_comment")
    wait_for_modal(session, "feedback_comment")
    session.view_submission(values={"comment": COMMENT, "consent": ["share"]})

    privacy = json.dumps(
        wait_response(session.slash_command("/mentor", "privacy"))["blocks"], ensure_ascii=False
    )
    assert "*End-of-round feedback*" in privacy and "never who said what" in privacy
    assert "only if you tick the box to share" in privacy

    sent = session.slash_command("/mentor", "export")
    assert "on its way" in wait_response(sent)["text"]
    running_app.sandbox.state.wait_for_calls("files.completeUploadExternal", timeout=10)
    export = next(
        f
        for f in running_app.sandbox.state.uploaded_files(running_app.workspace.team_id)
        if f.filename.endswith(".json")
    )
    (mine,) = json.loads(export.content)["end_of_round_feedback"]
    assert (mine["worth_your_time"], mine["how_often_you_met"], mine["would_continue"]) == (
        "somewhat",
        "once",
        "no",
    )
    assert mine["comment_shared_anonymously"] == COMMENT and mine["round_starts"] == "2027-01-01"

    answer(running_app, people_in.bob, "yes", "four_plus", "yes")
    session.slash_command("/mentor", "delete-my-data")
    assert "your data is deleted" in wait_response(session.click("my_data_delete"))["text"]
    remaining = feedback_rows(running_app)
    assert len(remaining) == 1 and remaining[0].worth == "yes", "only Bob's feedback is left"
    with running_app.services.db.session() as db_session:
        assert db_session.scalar(select(func.count()).select_from(RoundFeedback)) == 1
