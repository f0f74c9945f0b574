"""Programs, their enrollments, stored coordinators and the admin audit log, all scoped to one workspace."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.programs import DEFAULT_PROGRAM_NAME, ProgramSettings
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

    def _query(self):  # type: ignore[no-untyped-def]
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

    def save_settings(self, program: Program, settings: ProgramSettings) -> None:
        program.settings = settings.to_json()
        self.session.flush()

    def enroll(self, program: Program, member: Member, now: datetime) -> bool:
        """Join (or rejoin) a program; False when already an active participant."""
        link = self.session.scalar(
            select(ProgramMember).where(
                ProgramMember.program_id == program.id, ProgramMember.member_id == member.id
            )
        )
        if link is None:
            self.session.add(ProgramMember(program_id=program.id, member_id=member.id, joined_at=now))
            self.session.flush()
            return True
        if link.status == "active":
            return False
        link.status, link.joined_at, link.left_at = "active", now, None
        return True

    def member_ids(self, program: Program) -> set[int]:
        """Members taking part: everyone who joined for the default program, enrollees for the others."""
        if program.is_default:
            return set(
                self.session.scalars(
                    select(Member.id).where(
                        Member.workspace_id == self.workspace_id, Member.joined_at.is_not(None)
                    )
                )
            )
        return set(
            self.session.scalars(
                select(ProgramMember.member_id).where(
                    ProgramMember.program_id == program.id, ProgramMember.status == "active"
                )
            )
        )

    def programs_of(self, member: Member) -> list[Program]:
        return list(
            self.session.scalars(
                select(Program)
                .join(ProgramMember, ProgramMember.program_id == Program.id)
                .where(
                    Program.workspace_id == self.workspace_id,
                    ProgramMember.member_id == member.id,
                    ProgramMember.status == "active",
                )
                .order_by(Program.id)
            )
        )

    def participation(self, program: Program) -> Participation:
        """Active, paused and left participants (paused and left as the members themselves set them)."""
        query = select(Member.status, ProgramMember.status).join(
            ProgramMember, ProgramMember.member_id == Member.id
        )
        if program.is_default:
            rows = self.session.execute(
                select(Member.status, Member.status).where(
                    Member.workspace_id == self.workspace_id, Member.joined_at.is_not(None)
                )
            ).all()
        else:
            rows = self.session.execute(query.where(ProgramMember.program_id == program.id)).all()
        counts = Counter(
            "left" if "left" in (member_status, link_status) else member_status
            for member_status, link_status in rows
        )
        return Participation(counts["active"], counts["paused"], counts["left"])


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
        return result.rowcount > 0


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
