"""Joining programs through `/mentor join`: which programs a person is offered, and what a submission does."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.domain.programs import ProgramSettings
from bot.sandbox import User, UserSession
from storage.models import Member, ProgramMember
from storage.programs import ProgramRepository
from storage.repositories import MemberRepository, WorkspaceRepository
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.members import fill_profile, join, reshape_profile
from tests.e2e.test_profile import VALID


def add_program(running_app: RunningApp, name: str, **settings: object) -> str:
    """A program stored directly (the admin commands are tested elsewhere); returns its option value."""
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        program = ProgramRepository(session, space.id).add(name, ProgramSettings(**settings))  # type: ignore[arg-type]
        assert program is not None
        return str(program.id)


def set_default(running_app: RunningApp, **settings: object) -> None:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        programs = ProgramRepository(session, space.id)
        programs.save_settings(programs.default(), ProgramSettings(**settings))  # type: ignore[arg-type]


def open_join(running_app: RunningApp, user: User, callback_id: str = "profile") -> UserSession:
    session = running_app.session(user)
    assert session.slash_command("/mentor", "join").status == 200
    wait_for_modal(session, callback_id)
    return session


def offered(session: UserSession) -> dict[str, str]:
    """The programs block's options (label -> value), empty when the modal does not ask."""
    block = next(
        (b for b in session.current_modal().payload["blocks"] if b.get("block_id") == "programs"), None
    )
    if block is None:
        return {}
    return {option["text"]["text"]: option["value"] for option in block["element"]["options"]}


def enrolled(running_app: RunningApp, user: User) -> list[str]:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        member = MemberRepository(session, space.id).find(user.id)
        return [program.name for program in ProgramRepository(session, space.id).programs_of(member)]


def enrollment_rows(running_app: RunningApp) -> list[tuple[int, str]]:
    with running_app.services.db.session() as session:
        return [
            (row.program_id, row.status)
            for row in session.scalars(select(ProgramMember).order_by(ProgramMember.program_id))
        ]


def test_with_one_program_the_choice_is_implicit(running_app: RunningApp, alice) -> None:
    session = open_join(running_app, alice)
    assert offered(session) == {}
    sent = fill_profile(session, VALID)
    assert sent.body["response_action"] == "update"
    assert enrolled(running_app, alice) == ["Mentor Circles"]
    assert [status for _, status in enrollment_rows(running_app)] == ["active"]


def test_several_programs_are_offered_and_resubmitting_updates_without_duplicates(
    running_app: RunningApp, alice
) -> None:
    faculty = add_program(running_app, "Faculty mentoring", kind="mentors")
    session = open_join(running_app, alice)
    options = offered(session)
    assert options == {
        "Mentor Circles (peer circles)": options["Mentor Circles (peer circles)"],
        "Faculty mentoring (1:1 mentoring)": faculty,
    }

    sent = fill_profile(session, {**VALID, "programs": [faculty]})
    assert "Programs: Faculty mentoring" in str(sent.body["view"])
    assert enrolled(running_app, alice) == ["Faculty mentoring"]

    session = open_join(running_app, alice)
    ticked = next(b for b in session.current_modal().payload["blocks"] if b.get("block_id") == "programs")
    assert [o["value"] for o in ticked["element"]["initial_options"]] == [faculty]
    fill_profile(session, {**VALID, "programs": list(offered(session).values())})
    assert enrolled(running_app, alice) == ["Mentor Circles", "Faculty mentoring"]

    session = open_join(running_app, alice)
    fill_profile(session, {**VALID, "programs": list(offered(session).values())})
    rows = enrollment_rows(running_app)
    assert len(rows) == 2 and {status for _, status in rows} == {"active"}

    session = open_join(running_app, alice)
    fill_profile(session, {**VALID, "programs": [options["Mentor Circles (peer circles)"]]})
    assert enrolled(running_app, alice) == ["Mentor Circles"]
    assert dict(enrollment_rows(running_app))[int(faculty)] == "left"


def test_an_empty_choice_is_refused_inline(running_app: RunningApp, alice) -> None:
    add_program(running_app, "Research teams", kind="teams")
    session = open_join(running_app, alice)
    sent = fill_profile(session, {**VALID, "programs": []})
    assert sent.body["response_action"] == "errors"
    assert sent.body["errors"] == {"programs": "Choose at least one program."}
    assert enrollment_rows(running_app) == []


def test_invite_only_by_user_list_is_offered_to_the_invited_only(
    running_app: RunningApp, alice, sandbox, workspace
) -> None:
    bob = sandbox.add_user(workspace.team_id, "bob", "Bob Baker")
    add_program(running_app, "Chief residents", enrollment="invite", invite_users=(alice.id,))
    assert set(offered(open_join(running_app, alice))) == {
        "Mentor Circles (peer circles)",
        "Chief residents (peer circles)",
    }
    assert offered(open_join(running_app, bob)) == {}


def test_invite_only_by_channel_reads_the_channel_members(
    running_app: RunningApp, alice, sandbox, workspace
) -> None:
    bob = sandbox.add_user(workspace.team_id, "bob", "Bob Baker")
    channel = sandbox.add_channel(workspace.team_id, "pgy1-cohort", members=[bob.id])
    research = add_program(running_app, "PGY-1 circles", enrollment="invite", invite_channel=channel.id)

    session = open_join(running_app, bob)
    assert offered(session)["PGY-1 circles (peer circles)"] == research
    fill_profile(session, {**VALID, "programs": [research]})
    assert enrolled(running_app, bob) == ["PGY-1 circles"]
    assert offered(open_join(running_app, alice)) == {}
    reads = [c for c in sandbox.state.calls("conversations.members") if c.args.get("channel") == channel.id]
    assert reads, "the invite channel's members were read from Slack"


def test_a_forged_submission_for_a_hidden_program_changes_nothing(
    running_app: RunningApp, alice, sandbox, workspace
) -> None:
    bob = sandbox.add_user(workspace.team_id, "bob", "Bob Baker")
    hidden = add_program(running_app, "Chief residents", enrollment="invite", invite_users=(bob.id,))
    session = open_join(running_app, alice)
    reshape_profile(session, VALID)
    forged = session.current_modal()
    forged.payload["blocks"].insert(
        1,
        {
            "type": "input",
            "block_id": "programs",
            "label": {"type": "plain_text", "text": "Programs"},
            "element": {
                "type": "checkboxes",
                "action_id": "programs",
                "options": [{"text": {"type": "plain_text", "text": "Chief residents"}, "value": hidden}],
            },
        },
    )
    sent = session.view_submission(forged, {**VALID, "programs": [hidden]})
    assert sent.body["response_action"] == "errors"
    assert set(sent.body["errors"]) == {"programs"}
    assert enrollment_rows(running_app) == []
    with running_app.services.db.session() as db:
        assert db.scalar(select(func.count()).select_from(Member).where(Member.joined_at.is_not(None))) == 0


def test_nobody_invited_sees_a_friendly_notice_instead_of_the_form(
    running_app: RunningApp, alice, sandbox, workspace
) -> None:
    bob = sandbox.add_user(workspace.team_id, "bob", "Bob Baker")
    set_default(running_app, enrollment="invite", invite_users=(bob.id,))
    session = running_app.session(alice)
    session.slash_command("/mentor", "join")
    assert session.state.feed.wait_until(
        lambda: bool(session.state.views.modal_stack(workspace.team_id, alice.id)), 5
    )
    notice = session.current_modal().payload
    assert notice.get("callback_id") != "profile"
    assert "no program open to you" in str(notice["blocks"])
    assert offered(open_join(running_app, bob)) == {}


def test_members_who_joined_before_programs_stay_in_the_default_one(running_app: RunningApp, alice) -> None:
    join(running_app, alice)
    add_program(running_app, "Faculty mentoring", kind="mentors")
    assert enrolled(running_app, alice) == ["Mentor Circles"]
    session = open_join(running_app, alice)
    ticked = next(b for b in session.current_modal().payload["blocks"] if b.get("block_id") == "programs")
    assert [o["text"]["text"] for o in ticked["element"]["initial_options"]] == [
        "Mentor Circles (peer circles)"
    ]
    fill_profile(session, {**VALID, "programs": [offered(session)["Faculty mentoring (1:1 mentoring)"]]})
    assert enrolled(running_app, alice) == ["Faculty mentoring"]
