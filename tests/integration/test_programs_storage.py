"""`storage/programs.py` on SQLite and PostgreSQL: programs, enrollment, participation, coordinators, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.domain.members import ProfileDraft
from bot.domain.programs import DEFAULT_PROGRAM_NAME, ProgramSettings
from storage.db import Database
from storage.models import Member, Program, ProgramMember
from storage.programs import AuditLog, CoordinatorRepository, Participation, ProgramRepository
from storage.repositories import MemberRepository, ProfileRepository, WorkspaceRepository

NOW = datetime(2026, 9, 1, 14, 0, tzinfo=UTC)
PROFILE = ProfileDraft(
    roles=("peer",), stage="PGY-1", specialty="pediatrics", track="clinical", frequency="monthly"
)


def joined(session, workspace_id: int, user_id: str, status: str = "active") -> Member:  # type: ignore[no-untyped-def]
    member = MemberRepository(session, workspace_id).ensure(user_id, display_name=user_id)
    ProfileRepository(session, workspace_id).save(member, PROFILE, NOW)
    member.status = status
    session.flush()
    return member


def test_the_default_program_is_created_once_and_listed_first(db: Database) -> None:
    with db.session() as session:
        workspace = WorkspaceRepository(session).ensure("T1")
        programs = ProgramRepository(session, workspace.id)
        research = programs.add("Research teams", ProgramSettings(kind="teams"))
        assert research is not None
        first = programs.default()
        assert programs.default().id == first.id
        assert [p.name for p in programs.all()] == [DEFAULT_PROGRAM_NAME, "Research teams"]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Program).where(Program.is_default)) == 1


def test_names_are_unique_per_workspace_ignoring_case(db: Database) -> None:
    with db.session() as session:
        first = WorkspaceRepository(session).ensure("T1").id
        second = WorkspaceRepository(session).ensure("T2").id
        mine = ProgramRepository(session, first)
        assert mine.add("Faculty mentoring", ProgramSettings(kind="mentors")) is not None
        assert mine.add("faculty MENTORING", ProgramSettings()) is None
        assert ProgramRepository(session, second).add("Faculty mentoring", ProgramSettings()) is not None
        found = mine.named("  FACULTY mentoring ")
        assert found is not None and found.workspace_id == first
        assert ProgramRepository(session, second).named("Research") is None
        assert ProgramRepository(session, second).get(found.id) is None, "another workspace's id is not found"


def test_settings_are_saved_as_json_and_read_back(db: Database) -> None:
    settings = ProgramSettings(
        circle_size=6, max_size=8, year_start=(8, 15), invite_users=("U0A",), enrollment="invite"
    )
    with db.session() as session:
        workspace = WorkspaceRepository(session).ensure("T1")
        program = ProgramRepository(session, workspace.id).default()
        ProgramRepository(session, workspace.id).save_settings(program, settings)
        program_id = program.id
    with db.session() as session:
        stored = session.get_one(Program, program_id)
        assert ProgramSettings.from_json(stored.settings) == settings


def test_enrollment_joins_once_leaves_and_rejoins(db: Database) -> None:
    with db.session() as session:
        workspace = WorkspaceRepository(session).ensure("T1")
        programs = ProgramRepository(session, workspace.id)
        faculty = programs.add("Faculty mentoring", ProgramSettings(kind="mentors"))
        assert faculty is not None
        ana = joined(session, workspace.id, "U0ANA")
        assert programs.enroll(faculty, ana, NOW) is True
        assert programs.enroll(faculty, ana, NOW + timedelta(days=1)) is False
        assert programs.member_ids(faculty) == {ana.id}
        assert programs.leave(faculty, ana, NOW + timedelta(days=2)) is True
        assert programs.leave(faculty, ana, NOW + timedelta(days=3)) is False
        assert programs.member_ids(faculty) == set()
        assert programs.ever_member_ids(faculty) == {ana.id}
        assert programs.enroll(faculty, ana, NOW + timedelta(days=4)) is True
        faculty_id, ana_id = faculty.id, ana.id
    with db.session() as session:
        links = session.scalars(select(ProgramMember).where(ProgramMember.program_id == faculty_id)).all()
        assert [(link.member_id, link.status, link.left_at) for link in links] == [(ana_id, "active", None)]
        assert links[0].joined_at == NOW + timedelta(days=4)


def test_members_who_never_chose_belong_to_the_default_program(db: Database) -> None:
    with db.session() as session:
        workspace = WorkspaceRepository(session).ensure("T1")
        programs = ProgramRepository(session, workspace.id)
        default = programs.default()
        research = programs.add("Research teams", ProgramSettings(kind="teams"))
        assert research is not None
        legacy = joined(session, workspace.id, "U0OLD")
        chose_research = joined(session, workspace.id, "U0RES")
        chose_both = joined(session, workspace.id, "U0BOTH")
        MemberRepository(session, workspace.id).ensure("U0NEVER")
        programs.enroll(research, chose_research, NOW)
        programs.enroll(research, chose_both, NOW)
        programs.enroll(default, chose_both, NOW)

        assert programs.member_ids(default) == {legacy.id, chose_both.id}
        assert programs.member_ids(research) == {chose_research.id, chose_both.id}
        assert [p.name for p in programs.programs_of(legacy)] == [DEFAULT_PROGRAM_NAME]
        assert [p.name for p in programs.programs_of(chose_research)] == ["Research teams"]
        assert [p.name for p in programs.programs_of(chose_both)] == [DEFAULT_PROGRAM_NAME, "Research teams"]

        assert programs.leave(default, legacy, NOW) is True
        assert programs.member_ids(default) == {chose_both.id}
        assert programs.ever_member_ids(default) == {legacy.id, chose_both.id}
        assert programs.leave(research, legacy, NOW) is False, "never in it"


def test_participation_counts_active_paused_and_left(db: Database) -> None:
    with db.session() as session:
        workspace = WorkspaceRepository(session).ensure("T1")
        programs = ProgramRepository(session, workspace.id)
        default = programs.default()
        circles = programs.add("PGY-1 circles", ProgramSettings())
        assert circles is not None
        people = {
            name: joined(session, workspace.id, f"U0{name.upper()}", status)
            for name, status in [("ana", "active"), ("ben", "paused"), ("cy", "left"), ("dee", "active")]
        }
        for member in people.values():
            programs.enroll(circles, member, NOW)
        programs.leave(circles, people["dee"], NOW)
        assert programs.leave(default, people["dee"], NOW) is False, "chose circles, so never in the default"
        joined(session, workspace.id, "U0EVE", "paused")
        assert programs.leave(default, joined(session, workspace.id, "U0FAY"), NOW) is True
        other = WorkspaceRepository(session).ensure("T2")
        joined(session, other.id, "U0ANA")

        assert programs.participation(circles) == Participation(active=1, paused=1, left=2)
        assert programs.participation(default) == Participation(active=0, paused=1, left=1)
        assert ProgramRepository(session, other.id).participation(
            ProgramRepository(session, other.id).default()
        ) == Participation(active=1)


def test_coordinators_and_the_audit_log_are_per_workspace(db: Database) -> None:
    with db.session() as session:
        first = WorkspaceRepository(session).ensure("T1").id
        second = WorkspaceRepository(session).ensure("T2").id
        coordinators = CoordinatorRepository(session, first)
        assert coordinators.add("U0CARMEN", added_by="U0BOOT") is True
        assert coordinators.add("U0CARMEN", added_by="U0BOOT") is False
        assert coordinators.add("U0DAN", added_by="U0CARMEN") is True
        assert coordinators.user_ids() == ["U0CARMEN", "U0DAN"]
        assert CoordinatorRepository(session, second).user_ids() == []
        assert CoordinatorRepository(session, second).remove("U0DAN") is False
        assert coordinators.remove("U0DAN") is True
        assert coordinators.user_ids() == ["U0CARMEN"]

        log = AuditLog(session, first)
        log.record("U0CARMEN", "program add", "Research teams", "allowed", NOW)
        log.record("U0EVE", "x" * 100, "y" * 300, "refused", NOW + timedelta(minutes=1))
        AuditLog(session, second).record("U0ZED", "stats", "", "allowed", NOW)
        session.flush()
        entries = log.recent()
        assert [(e.actor, e.outcome) for e in entries] == [("U0EVE", "refused"), ("U0CARMEN", "allowed")]
        assert (len(entries[0].action), len(entries[0].target)) == (80, 200)
        assert entries[1].created_at == NOW
        assert [e.actor for e in log.recent(limit=1)] == ["U0EVE"]
