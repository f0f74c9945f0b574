"""Programs, their enrollments, stored coordinators and the admin audit log, all scoped to one workspace."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.members.state import EnrollmentStatus, MemberStatus, standing
from bot.domain.programs import DEFAULT_PROGRAM_NAME, ProgramSettings
from storage.db import affected_rows
from storage.models import AuditEntry, Coordinator, Member, Program, ProgramMember


@dataclass(frozen=True)
class Participation:
    active: int = 0
    paused: int = 0
    left: int = 0


class ProgramRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def _query(self):
        return select(Program).where(Program.workspace_id == self.workspace_id)

    def default(self) -> Program:
        """The workspace's default program, created on first use so older workspaces keep working."""
        program = self.session.scalar(self._query().where(Program.is_default.is_(True)))
        if program is not None:
            return program
        try:
            with self.session.begin_nested():
                program = Program(
                    workspace_id=self.workspace_id,
                    name=DEFAULT_PROGRAM_NAME,
                    is_default=True,
                    settings=ProgramSettings().to_json(),
                )
                self.session.add(program)
        except IntegrityError:
            program = self.session.scalar(self._query().where(Program.is_default.is_(True)))
            assert program is not None
        return program

    def all(self) -> list[Program]:
        self.default()
        return list(self.session.scalars(self._query().order_by(Program.is_default.desc(), Program.id)))

    def get(self, program_id: int) -> Program | None:
        return self.session.scalar(self._query().where(Program.id == program_id))

    def names(self) -> list[str]:
        """The programs' names as stored, read only (the default program is not created here)."""
        return list(
            self.session.scalars(
                select(Program.name).where(Program.workspace_id == self.workspace_id).order_by(Program.id)
            )
        )

    def named(self, name: str) -> Program | None:
        self.default()
        return self.session.scalar(self._query().where(func.lower(Program.name) == name.strip().lower()))

    def add(self, name: str, settings: ProgramSettings) -> Program | None:
        """A new program, or None when the workspace already has one by that name."""
        if self.named(name) is not None:
            return None
        program = Program(
            workspace_id=self.workspace_id, name=name, is_default=False, settings=settings.to_json()
        )
        self.session.add(program)
        self.session.flush()
        return program

    def lock(self, program_id: int) -> bool:
        """Hold the program's row until the transaction ends, so publishing its rounds is serialised.

        An UPDATE takes the row lock on PostgreSQL and the database's write lock on SQLite; the next
        publisher waits here, then reads what the first one committed. False when there is no such program.
        """
        result = self.session.execute(
            update(Program)
            .where(Program.workspace_id == self.workspace_id, Program.id == program_id)
            .values(name=Program.name)
        )
        return affected_rows(result) == 1

    def set_archived(self, program: Program, at: datetime | None) -> bool:
        """Archive the program at `at` (or bring it back with None); False when it already was so."""
        if (program.archived_at is None) == (at is None):
            return False
        program.archived_at = at
        self.session.flush()
        return True

    def archived_ids(self) -> set[int]:
        return set(
            self.session.scalars(
                select(Program.id).where(
                    Program.workspace_id == self.workspace_id, Program.archived_at.is_not(None)
                )
            )
        )

    def save_settings(self, program: Program, settings: ProgramSettings) -> None:
        program.settings = settings.to_json()
        self.session.flush()

    def _link(self, program: Program, member: Member) -> ProgramMember | None:
        return self.session.scalar(
            select(ProgramMember).where(
                ProgramMember.program_id == program.id, ProgramMember.member_id == member.id
            )
        )

    def enroll(self, program: Program, member: Member, now: datetime) -> bool:
        """Join (or rejoin) a program; False when already an active participant."""
        link = self._link(program, member)
        if link is None:
            self.session.add(ProgramMember(program_id=program.id, member_id=member.id, joined_at=now))
            self.session.flush()
            return True
        if link.status == EnrollmentStatus.ACTIVE:
            return False
        link.status, link.joined_at, link.left_at = EnrollmentStatus.ACTIVE, now, None
        self.session.flush()
        return True

    def leave(self, program: Program, member: Member, now: datetime) -> bool:
        """Stop taking part in one program; False when the member was not taking part in it."""
        link = self._link(program, member)
        if link is not None:
            if link.status != EnrollmentStatus.ACTIVE:
                return False
            link.status, link.left_at = EnrollmentStatus.LEFT, now
            self.session.flush()
            return True
        if program.is_default and member.id in self.member_ids(program):
            self.session.add(
                ProgramMember(
                    program_id=program.id,
                    member_id=member.id,
                    joined_at=now,
                    status=EnrollmentStatus.LEFT,
                    left_at=now,
                )
            )
            self.session.flush()
            return True
        return False

    def _default_rows(self, program: Program):
        """Joined members with their default-program link status (None for members who never chose).

        Members who joined before there was a choice of programs have no enrollment at all and belong to
        the default program; members who chose belong to it only through an enrollment.
        """
        enrolled_anywhere = (
            select(ProgramMember.member_id)
            .join(Program, Program.id == ProgramMember.program_id)
            .where(Program.workspace_id == self.workspace_id)
        )
        return (
            select(Member.id, Member.status, ProgramMember.status)
            .outerjoin(
                ProgramMember,
                and_(ProgramMember.member_id == Member.id, ProgramMember.program_id == program.id),
            )
            .where(
                Member.workspace_id == self.workspace_id,
                Member.joined_at.is_not(None),
                or_(ProgramMember.id.is_not(None), Member.id.not_in(enrolled_anywhere)),
            )
        )

    def member_ids(self, program: Program) -> set[int]:
        """Members taking part: enrollees, plus (for the default program) members who never chose one."""
        if program.is_default:
            return {
                member_id
                for member_id, _, link_status in self.session.execute(self._default_rows(program))
                if link_status in (None, EnrollmentStatus.ACTIVE)
            }
        return set(
            self.session.scalars(
                select(ProgramMember.member_id).where(
                    ProgramMember.program_id == program.id, ProgramMember.status == EnrollmentStatus.ACTIVE
                )
            )
        )

    def ever_member_ids(self, program: Program) -> set[int]:
        """Everyone who has taken part, including those who have since left: a report's history is theirs too."""
        if program.is_default:
            return {member_id for member_id, _, _ in self.session.execute(self._default_rows(program))}
        return set(
            self.session.scalars(
                select(ProgramMember.member_id).where(ProgramMember.program_id == program.id)
            )
        )

    def programs_of(self, member: Member) -> list[Program]:
        """The programs a member takes part in, the default one included where it applies."""
        enrolled = list(
            self.session.scalars(
                select(Program)
                .join(ProgramMember, ProgramMember.program_id == Program.id)
                .where(
                    Program.workspace_id == self.workspace_id,
                    ProgramMember.member_id == member.id,
                    ProgramMember.status == EnrollmentStatus.ACTIVE,
                )
                .order_by(Program.id)
            )
        )
        default = self.default()
        if default not in enrolled and member.id in self.member_ids(default):
            enrolled.insert(0, default)
        return enrolled

    def standings(self, program: Program) -> dict[int, MemberStatus]:
        """Everyone who has taken part, by member id, with their state in the program (`standing`)."""
        if program.is_default:
            rows = [
                (member_id, member, link)
                for member_id, member, link in self.session.execute(self._default_rows(program))
            ]
        else:
            rows = [
                (row[0], row[1], row[2])
                for row in self.session.execute(
                    select(Member.id, Member.status, ProgramMember.status)
                    .join(ProgramMember, ProgramMember.member_id == Member.id)
                    .where(ProgramMember.program_id == program.id)
                )
            ]
        return {member_id: standing(member, link) for member_id, member, link in rows}

    def participation(self, program: Program) -> Participation:
        """Active, paused and left participants (paused and left as the members themselves set them)."""
        counts = Counter(self.standings(program).values())
        return Participation(
            counts[MemberStatus.ACTIVE], counts[MemberStatus.PAUSED], counts[MemberStatus.LEFT]
        )


class CoordinatorRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def user_ids(self) -> list[str]:
        return list(
            self.session.scalars(
                select(Coordinator.slack_user_id)
                .where(Coordinator.workspace_id == self.workspace_id)
                .order_by(Coordinator.id)
            )
        )

    def add(self, user_id: str, added_by: str) -> bool:
        if user_id in self.user_ids():
            return False
        self.session.add(
            Coordinator(workspace_id=self.workspace_id, slack_user_id=user_id, added_by=added_by)
        )
        self.session.flush()
        return True

    def remove(self, user_id: str) -> bool:
        result = self.session.execute(
            delete(Coordinator).where(
                Coordinator.workspace_id == self.workspace_id, Coordinator.slack_user_id == user_id
            )
        )
        return affected_rows(result) > 0


class AuditLog:
    """Append-only: who ran which admin action on what, and whether it was allowed."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def record(self, actor: str, action: str, target: str, outcome: str, now: datetime) -> None:
        self.session.add(
            AuditEntry(
                workspace_id=self.workspace_id,
                actor=actor,
                action=action[:80],
                target=target[:200],
                outcome=outcome,
                created_at=now,
            )
        )

    def recent(self, limit: int = 50) -> list[AuditEntry]:
        return list(
            self.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.workspace_id == self.workspace_id)
                .order_by(AuditEntry.id.desc())
                .limit(limit)
            )
        )
