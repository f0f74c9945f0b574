"""`/mentor privacy`, `/mentor export` and `/mentor delete-my-data`, through the running app and the sandbox."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.domain.programs import ProgramSettings
from bot.presentation.my_data import delete_prompt_blocks, facts_line, privacy_blocks
from bot.sandbox import User, UserSession
from bot.sandbox.models import FeedItem
from bot.usecases.privacy import DELETE_BUTTON_LIFETIME, is_fresh
from storage.faq import FaqRepository
from storage.goals import GoalRepository
from storage.meetings import MeetingRepository
from storage.models import (
    Base,
    Goal,
    GoalCheckin,
    Meeting,
    MeetingAttendee,
    MeetingNote,
    Member,
    MemberAvoid,
    OutboxNudge,
    Relationship,
)
from storage.my_data import ERASED_PREFIX, PrivacyFacts
from storage.programs import ProgramRepository
from storage.repositories import MemberRepository, ProfileRepository, WorkspaceRepository
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import MENTOR, PEER, join, member_row, relate
from tests.e2e.test_help_over_http import block_text

ALICE_GOAL = "Submit my case report on cardiac sarcoidosis"
ALICE_SHARED_GOAL = "Shadow Dr. Kim in the heart failure clinic"
ALICE_NOTE = "Talked through my K award worries & timeline"
ALICE_SITE = "Lakeside Campus"
BOB_NOTE = "Bob's own note: suggest the writing group"
ALICE_QUESTION = "is it ok to ask my mentor about moonlighting shifts"
BOB_QUESTION = "how do I say no to a third research project"
CAROL_GOAL = "Carol's goal: pass the step 3 exam"


@dataclass
class Program:
    alice: User
    bob: User
    carol: User
    dave: User
    mentorship_id: int
    circle_id: int


def add_user(running_app: RunningApp, name: str, real_name: str, tz: str = "America/Chicago") -> User:
    return running_app.sandbox.add_user(running_app.workspace.team_id, name, real_name, tz=tz)


@pytest.fixture
def program(running_app: RunningApp, alice: User) -> Program:
    """Alice is Bob's mentee and in a circle with Carol and Dave; everyone has data of their own."""
    bob = add_user(running_app, "bob", "Bob Baker", tz="America/New_York")
    carol = add_user(running_app, "carol", "Carol Chen")
    dave = add_user(running_app, "dave", "Dave Diaz")
    join(running_app, alice, dataclasses.replace(PEER, site=ALICE_SITE, avoid_user_ids=(dave.id,)))
    join(running_app, bob, MENTOR)
    join(running_app, carol, dataclasses.replace(PEER, avoid_user_ids=(alice.id,)))
    join(running_app, dave, PEER)
    mentorship = relate(running_app, "mentorship", [(alice, "mentee"), (bob, "mentor")])
    circle = relate(running_app, "circle", [(alice, "peer"), (carol, "peer"), (dave, "peer")], label="PGY-2")
    now = datetime.now(UTC)
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        members = MemberRepository(session, space.id)
        ids = {user.id: members.find(user.id).id for user in (alice, bob, carol, dave)}
        goals = GoalRepository(session, space.id)
        first = goals.add(ids[alice.id], ALICE_GOAL, "research", date(2030, 3, 1))
        goals.check_in(first, "on-track", now)
        shared = goals.add(ids[alice.id], ALICE_SHARED_GOAL, "clinical", None)
        shared.shared = True
        goals.add(ids[carol.id], CAROL_GOAL, None, None)
        meetings = MeetingRepository(session, space.id)
        held = date(2026, 1, 15)
        pair = [ids[alice.id], ids[bob.id]]
        meetings.log(held, mentorship, pair, ids[alice.id], notes=ALICE_NOTE)
        meetings.log(held, mentorship, pair, ids[bob.id], notes=BOB_NOTE)
        meetings.log(date(2026, 2, 2), circle, [ids[carol.id], ids[dave.id]], ids[carol.id])
    return Program(alice, bob, carol, dave, mentorship, circle)


def counts(running_app: RunningApp) -> dict[str, int]:
    models = (Member, Goal, GoalCheckin, Meeting, MeetingAttendee, MeetingNote, MemberAvoid, Relationship)
    with running_app.services.db.session() as session:
        return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in models}


def database_rows(running_app: RunningApp) -> dict[str, list[tuple]]:
    with running_app.services.db.engine.connect() as connection:
        return {
            table.name: [
                tuple(row) for row in connection.execute(table.select().order_by(*table.primary_key))
            ]
            for table in Base.metadata.sorted_tables
        }


def profile(running_app: RunningApp, user: User) -> tuple:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        member = MemberRepository(session, space.id).find(user.id)
        draft = ProfileRepository(session, space.id).profile(member)
        return draft, member.display_name, member.status, member.joined_at


def wait_response(sent, count: int = 1) -> dict:
    responses = sent.wait_for_response(count, timeout=10)
    assert len(responses) >= count, "the app answered through response_url"
    return responses[count - 1]


def delete_prompt(running_app: RunningApp, user: User) -> tuple[UserSession, FeedItem]:
    """Ask to delete; the prompt (with its buttons) is the newest thing the user saw."""
    session = running_app.session(user)
    assert session.slash_command("/mentor", "delete-my-data").status == 200
    return session, running_app.sandbox.state.feed.items(running_app.workspace.team_id, user.id)[-1]


# -- /mentor privacy ---------------------------------------------------------------------------------


def test_privacy_explains_who_sees_what_without_storing_anything(running_app: RunningApp, alice) -> None:
    sent = running_app.session(alice).slash_command("/mentor", "privacy")
    assert sent.status == 200
    shown = wait_response(sent)
    text = block_text(shown["blocks"])
    assert shown["response_type"] == "ephemeral"
    for phrase in (
        "mentors you're matched with",
        "`/mentor goal share N`",
        "Never the words you wrote",
        "Only the matching reads it",
        "`/mentor export`",
        "`/mentor delete-my-data`",
        "Nothing yet",
    ):
        assert phrase in text
    assert member_row(running_app, alice) is None, "asking about privacy creates no data"
    assert running_app.sandbox.calls("users.info") == []


def test_privacy_summarises_what_is_kept_for_a_member(running_app: RunningApp, program: Program) -> None:
    shown = wait_response(running_app.session(program.alice).slash_command("/mentor", "privacy"))
    text = block_text(shown["blocks"])
    assert "2 open goals (1 shared with your circle)" in text
    assert "1 meeting note" in text
    assert "1 person on your don't-match list" in text
    assert "Your mentor can read your goals too" in text
    assert ALICE_GOAL not in text

    help_text = block_text(
        running_app.session(program.alice).slash_command("/mentor", "help").reply()["blocks"]
    )
    assert "*Your data*" in help_text and "/mentor delete-my-data" in help_text


# -- /mentor export -----------------------------------------------------------------------------------


def exported(running_app: RunningApp, user: User) -> dict:
    sent = running_app.session(user).slash_command("/mentor", "export")
    assert sent.status == 200
    assert "on its way" in wait_response(sent)["text"]
    running_app.sandbox.state.wait_for_calls("files.completeUploadExternal", timeout=10)
    files = running_app.sandbox.state.uploaded_files(running_app.workspace.team_id)
    assert len(files) == 1
    return {"file": files[0], "data": json.loads(files[0].content)}


def answered_and_asked(running_app: RunningApp, program: Program) -> None:
    """Alice and Bob each answered a check-in and passed an FAQ question on."""
    sent_at = datetime(2026, 2, 1, 15, tzinfo=UTC)
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        members = MemberRepository(session, space.id)
        faq = FaqRepository(session, space.id)
        programs = ProgramRepository(session, space.id)
        fellows = programs.add("Fellowship prep", ProgramSettings())
        assert fellows is not None
        for user in (program.alice, program.bob):
            programs.enroll(fellows, members.find(user.id), sent_at)
        for user, answer, question in (
            (program.alice, "met", ALICE_QUESTION),
            (program.bob, "not_yet", BOB_QUESTION),
        ):
            session.add(
                OutboxNudge(
                    workspace_id=space.id,
                    kind="did_you_meet",
                    key=f"did_you_meet:test:{user.id}",
                    user_id=user.id,
                    due_at=sent_at,
                    payload={},
                    status="sent",
                    sent_at=sent_at,
                    response=answer,
                    responded_at=sent_at + timedelta(hours=2),
                )
            )
            faq.pass_on(faq.record_miss("declined"), question, members.find(user.id).id)


def test_export_sends_the_member_their_own_data_only(running_app: RunningApp, program: Program) -> None:
    alice, bob = program.alice, program.bob
    answered_and_asked(running_app, program)
    result = exported(running_app, alice)
    upload, data = result["file"], result["data"]

    dm = running_app.session(alice).dm()
    assert upload.channels == [dm.id] and upload.filename.endswith(".json")
    posted = [m for m in running_app.sandbox.state.dms_to(running_app.workspace.team_id, alice.id) if m.files]
    assert posted and "everything Mentor Circles keeps about you" in posted[-1].text

    assert data["you"]["slack_user_id"] == alice.id
    assert data["you"]["display_name"] == "Alice Adams"
    assert data["profile"]["site"] == ALICE_SITE
    assert data["profile"]["please_dont_match_me_with"] == [program.dave.id]
    goals = {goal["text"]: goal for goal in data["goals"]}
    assert set(goals) == {ALICE_GOAL, ALICE_SHARED_GOAL}
    assert goals[ALICE_GOAL]["due_on"] == "2030-03-01"
    assert [c["kind"] for c in goals[ALICE_GOAL]["check_ins"]] == ["created", "on-track"]
    assert goals[ALICE_SHARED_GOAL]["shared_with_circle"] is True

    [meeting] = data["meetings"]
    assert meeting["held_on"] == "2026-01-15"
    assert meeting["others_who_attended"] == [bob.id]
    assert [note["text"] for note in meeting["your_notes"]] == [ALICE_NOTE]
    kinds = {(r["kind"], r["your_role"]) for r in data["circles_and_mentorships"]}
    assert kinds == {("mentorship", "mentee"), ("circle", "peer")}

    assert [(a["asked"], a["your_answer"]) for a in data["check_in_answers"]] == [("did_you_meet", "met")]
    assert [q["question"] for q in data["faq_questions_passed_on"]] == [ALICE_QUESTION]
    assert [(p["program"], p["status"]) for p in data["programs"]] == [("Fellowship prep", "active")]

    raw = upload.content.decode()
    for others in (BOB_NOTE, CAROL_GOAL, "Bob Baker", "Carol Chen", BOB_QUESTION, "not_yet"):
        assert others not in raw, f"{others!r} belongs to someone else"


def test_export_with_no_data_sends_no_file(running_app: RunningApp, alice) -> None:
    sent = running_app.session(alice).slash_command("/mentor", "export")
    assert "nothing to export" in wait_response(sent)["text"]
    assert running_app.sandbox.state.uploaded_files() == []
    assert running_app.sandbox.calls("files.getUploadURLExternal") == []
    assert member_row(running_app, alice) is None


# -- /mentor delete-my-data ---------------------------------------------------------------------------


def test_delete_prompt_has_a_confirmed_danger_button_and_a_keep_button(
    running_app: RunningApp, alice
) -> None:
    body = running_app.session(alice).slash_command("/mentor", "delete-my-data").reply()
    assert body["response_type"] == "ephemeral"
    assert "can't be undone" in block_text(body["blocks"])
    buttons = {e["action_id"]: e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]}
    delete = buttons["my_data_delete"]
    assert delete["style"] == "danger" and delete["confirm"]["style"] == "danger"
    assert buttons["my_data_keep"]["text"]["text"] == "Keep my data"


def test_confirmed_delete_erases_personal_data_and_keeps_counts(
    running_app: RunningApp, program: Program
) -> None:
    alice = program.alice
    others = (program.bob, program.carol, program.dave)
    others_before = [profile(running_app, user) for user in others]
    before_counts = counts(running_app)
    before_rows = database_rows(running_app)
    session, _ = delete_prompt(running_app, alice)
    publishes = len(running_app.sandbox.calls("views.publish"))

    done = wait_response(session.click("my_data_delete"))
    assert "your data is deleted" in done["text"]
    running_app.sandbox.state.wait_for_calls("views.publish", count=publishes + 4, timeout=10)
    settle_effects(running_app)

    after = counts(running_app)
    assert after["meeting_notes"] == before_counts["meeting_notes"] - 1
    assert after["member_avoids"] == before_counts["member_avoids"] - 1
    for kept in ("members", "goals", "goal_checkins", "meetings", "meeting_attendees", "relationships"):
        assert after[kept] == before_counts[kept], f"{kept} counts survive"

    rows = database_rows(running_app)
    dump = repr({name: table for name, table in rows.items() if name != "member_avoids"})
    for secret in (ALICE_GOAL, ALICE_SHARED_GOAL, "K award", ALICE_SITE, "Alice Adams", alice.id):
        assert secret not in dump
    carol_id = member_row(running_app, program.carol).id
    assert [r for r in rows["member_avoids"] if alice.id in repr(r)] == [
        r for r in before_rows["member_avoids"] if r[2] == carol_id
    ], "only Carol's own list still names Alice"

    with running_app.services.db.session() as db_session:
        erased = db_session.scalar(select(Member).where(Member.slack_user_id.startswith(ERASED_PREFIX)))
        assert (erased.display_name, erased.tz, erased.site, erased.status) == ("", None, None, "left")
        assert erased.roles == [] and erased.needs == []
        goals = db_session.scalars(select(Goal).where(Goal.member_id == erased.id)).all()
        assert sorted((g.text, g.status, g.shared) for g in goals) == [("", "open", False)] * 2
        attended = db_session.scalar(
            select(func.count()).select_from(MeetingAttendee).where(MeetingAttendee.member_id == erased.id)
        )
        assert attended == 1
        notes = db_session.scalars(select(MeetingNote.text)).all()
        assert notes == [BOB_NOTE]
        mentorship = db_session.get(Relationship, program.mentorship_id)
        circle = db_session.get(Relationship, program.circle_id)
        assert mentorship.ended_at is not None, "a mentorship without its mentee ends"
        assert circle.ended_at is None and len(circle.members) == 2

    assert [profile(running_app, user) for user in others] == others_before, "others' profiles untouched"
    for table in ("meetings", "meeting_attendees"):
        assert rows[table] == before_rows[table], f"{table} are kept as they were"
    carol_goal = [r for r in before_rows["goals"] if CAROL_GOAL in r]
    assert carol_goal and carol_goal[0] in rows["goals"]

    team = running_app.workspace.team_id
    home = running_app.sandbox.state.home_view(team, alice.id)
    assert "home_join" in json.dumps(home), "Alice's App Home is back to the welcome"
    carol_home = json.dumps(running_app.sandbox.state.home_view(team, program.carol.id))
    assert ERASED_PREFIX not in carol_home and program.dave.id in carol_home


def test_clicking_twice_or_an_expired_button_changes_nothing(
    running_app: RunningApp, program: Program
) -> None:
    session, item = delete_prompt(running_app, program.alice)
    delete = next(
        e
        for b in item.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "my_data_delete"
    )
    old = str(int((datetime.now(UTC) - timedelta(hours=2)).timestamp()))
    expired_blocks = json.loads(
        json.dumps(item.blocks).replace(f'"value": "{delete["value"]}"', f'"value": "{old}"')
    )
    before = database_rows(running_app)
    expired = wait_response(
        session.message_action(dataclasses.replace(item, blocks=expired_blocks), "my_data_delete")
    )
    assert "expired" in expired["text"]
    assert database_rows(running_app) == before

    publishes = len(running_app.sandbox.calls("views.publish"))
    first = wait_response(session.message_action(item, "my_data_delete"))
    assert "your data is deleted" in first["text"]
    running_app.sandbox.state.wait_for_calls("views.publish", count=publishes + 4, timeout=10)
    settle_effects(running_app)
    after_first = database_rows(running_app)
    second = wait_response(session.message_action(item, "my_data_delete"))
    assert "nothing of yours left to delete" in second["text"]
    assert database_rows(running_app) == after_first


def test_keep_my_data_changes_nothing(running_app: RunningApp, program: Program) -> None:
    before = database_rows(running_app)
    session, _ = delete_prompt(running_app, program.alice)
    kept = wait_response(session.click("my_data_keep"))
    assert "nothing changed" in kept["text"]
    assert database_rows(running_app) == before
    assert member_row(running_app, program.alice).display_name == "Alice Adams"


def test_delete_leaves_the_same_person_in_another_workspace_alone(running_app: RunningApp, alice) -> None:
    other = running_app.sandbox.add_workspace("T0MERCY1", name="Mercy Residency")
    join(running_app, alice)
    join(running_app, alice, workspace=other)
    session, _ = delete_prompt(running_app, alice)
    wait_response(session.click("my_data_delete"))
    with running_app.services.db.session() as db_session:
        elsewhere = WorkspaceRepository(db_session).find(other.team_id)
        row = MemberRepository(db_session, elsewhere.id).find(alice.id)
        assert row is not None and row.display_name == "Alice Adams" and row.joined_at is not None
    assert member_row(running_app, alice) is None


# -- the pure pieces: builders and the button's lifetime ----------------------------------------------

counts_st = st.integers(min_value=0, max_value=10_000)


@given(
    facts=st.builds(
        PrivacyFacts,
        joined=st.booleans(),
        goals=counts_st,
        shared_goals=counts_st,
        notes=counts_st,
        mentors=counts_st,
        avoided=counts_st,
    )
)
def test_privacy_blocks_are_valid_and_state_the_numbers(facts: PrivacyFacts) -> None:
    built = [block.to_dict() for block in privacy_blocks(facts, "<@U0COORD>", 365)]
    assert len(built) <= 50
    line = facts_line(facts)
    if facts.joined or facts.goals or facts.notes or facts.avoided or facts.mentors:
        assert (f"{facts.goals} open goal" in line) == bool(facts.goals)
        assert (f"{facts.notes} meeting note" in line) == bool(facts.notes)
        assert ("only you can read your goals" in line) == (facts.mentors == 0)
    else:
        assert "Nothing yet" in line


@given(age=st.integers(min_value=-10_000, max_value=10_000))
def test_delete_button_works_only_while_fresh(age: int) -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    issued = str(int(now.timestamp()) - age)
    assert is_fresh(issued, now) == (-60 <= age <= DELETE_BUTTON_LIFETIME.total_seconds())


@pytest.mark.parametrize("value", [None, "", "soon", "1e9", "12.5"])
def test_a_malformed_delete_button_never_deletes(value: str | None) -> None:
    assert not is_fresh(value, datetime.now(UTC))


def test_delete_prompt_button_carries_when_it_was_offered() -> None:
    actions = delete_prompt_blocks(1_700_000_000)[-1].to_dict()
    values = {e["action_id"]: e.get("value") for e in actions["elements"]}
    assert values == {"my_data_delete": "1700000000", "my_data_keep": None}
