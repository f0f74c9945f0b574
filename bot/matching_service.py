"""Matching for a workspace: read the pool and history from storage, propose a round, publish it.

The engine (`bot.domain.matching`) decides; this module only translates between stored members,
rounds and relationships and the engine's plain inputs and outputs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.calendar import local_day
from bot.domain.change_requests import kept_apart
from bot.domain.matching import (
    CircleSize,
    History,
    HistoryRound,
    Person,
    Unplaced,
    add_late_joiners,
    add_late_mentees,
    match_mentors,
    plan_round,
)
from bot.domain.members import local_today
from bot.domain.members.state import MemberStatus, may_be_nudged
from bot.domain.programs import ProgramSettings, round_window
from bot.domain.vocabulary import FREQUENCY_CADENCE_DAYS, matching_specialty
from storage.change_requests import ChangeRequestRepository
from storage.models import Member, MemberAvoid, Program, Relationship, RelationshipMember
from storage.programs import ProgramRepository
from storage.repositories import ProfileRepository
from storage.rounds import RoundRepository

KINDS = ("circles", "mentors", "teams")
RELATIONSHIP_KIND = {"circles": "circle", "mentors": "mentorship", "teams": "mentorship"}


@dataclass(frozen=True)
class Group:
    """One proposed circle or mentorship: (Slack user id, role) pairs and why they fit together."""

    members: tuple[tuple[str, str], ...]
    reasons: tuple[str, ...] = ()
    covered: tuple[str, ...] = ()
    kept: bool = False


@dataclass(frozen=True)
class Proposal:
    kind: str
    groups: tuple[Group, ...]
    unplaced: tuple[tuple[str, str], ...] = ()
    """(Slack user id, `Unplaced` code) of each member left out. The code may come from a confidential
    do-not-match list: show coordinators only `unplaced_ids`, never the codes."""
    stats: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def unplaced_ids(self) -> tuple[str, ...]:
        """Who is left out, without why: all coordinators are shown, whatever the reason."""
        return tuple(uid for uid, _ in self.unplaced)

    @property
    def left_out_by_own_list(self) -> tuple[str, ...]:
        """Who is left out because of their own do-not-match list: told privately once published."""
        return tuple(uid for uid, code in self.unplaced if code == Unplaced.OWN_LIST.value)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Proposal:
        return cls(
            kind=data["kind"],
            groups=tuple(
                Group(
                    members=tuple((uid, role) for uid, role in g["members"]),
                    reasons=tuple(g["reasons"]),
                    covered=tuple(g["covered"]),
                    kept=g["kept"],
                )
                for g in data["groups"]
            ),
            unplaced=tuple((uid, reason) for uid, reason in data["unplaced"]),
            stats=dict(data["stats"]),
            warnings=tuple(data["warnings"]),
        )


@dataclass
class Pool:
    members: dict[str, Member]
    people: dict[str, Person]
    history: History
    mentorship_pairs: list[tuple[str, str]]
    settings: ProgramSettings = field(default_factory=ProgramSettings)
    program_id: int | None = None
    kept_apart: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Per relationship kind: (member, person) pairs not to be made again, because the member asked for
    a change from a group the person was in (`bot.domain.change_requests.kept_apart`)."""

    def with_role(self, role: str) -> list[Person]:
        return [person for uid, person in self.people.items() if role in (self.members[uid].roles or [])]

    def active_count(self, role: str) -> int:
        """How many people taking part now (not paused) have `role`."""
        return sum(person.active for person in self.with_role(role))


@dataclass(frozen=True)
class Published:
    round_id: int
    relationship_ids: tuple[int, ...]
    newly_published: bool
    kept: int = 0
    """Matches the round keeps from before: still running, already introduced."""
    left_out_by_own_list: tuple[str, ...] = ()
    """Active members this round left out because of their own do-not-match list (only when newly
    published), to be told privately; never shown to coordinators."""


class MatchingService:
    def __init__(
        self, clock: Callable[[], datetime], default_timezone: str, size: CircleSize | None = None
    ) -> None:
        self.clock = clock
        self.default_timezone = default_timezone
        self.size = size or CircleSize(4, 3, 5)

    def is_active(self, member: Member) -> bool:
        return may_be_nudged(member.status, member.paused_until, self.today(member))

    def today(self, member: Member) -> date:
        return local_today(self.clock(), member.tz or self.default_timezone)

    def program(self, session: Session, workspace_id: int, program_id: int | None = None) -> Program:
        programs = ProgramRepository(session, workspace_id)
        program = programs.get(program_id) if program_id is not None else None
        return program or programs.default()

    def load_pool(self, session: Session, workspace_id: int, program_id: int | None = None) -> Pool:
        """The program's people (the default program's: everyone who joined) and its matching history."""
        program = self.program(session, workspace_id, program_id)
        settings = ProgramSettings.from_json(program.settings)
        enrolled = ProgramRepository(session, workspace_id).member_ids(program)
        members = [
            member
            for member in ProfileRepository(session, workspace_id).joined(
                statuses=(MemberStatus.ACTIVE, MemberStatus.PAUSED)
            )
            if member.id in enrolled
        ]
        avoid: dict[int, set[str]] = {}
        for member_id, user_id in session.execute(
            select(MemberAvoid.member_id, MemberAvoid.avoided_user_id).where(
                MemberAvoid.workspace_id == workspace_id
            )
        ):
            avoid.setdefault(member_id, set()).add(user_id)
        people = {
            member.slack_user_id: Person(
                id=member.slack_user_id,
                stage=member.stage,
                specialty=matching_specialty(member.specialty, member.specialty_other),
                site=member.site,
                tz=member.tz,
                track=member.track,
                needs=frozenset(member.needs or ()),
                offers=frozenset(member.offers or ()),
                capacity=member.capacity or 1,
                avoid=frozenset(avoid.get(member.id, ())),
                active=self.is_active(member),
            )
            for member in members
        }
        rounds = RoundRepository(session, workspace_id)
        past = rounds.published_history(
            ["circles"], program_id=program.id, include_unassigned=program.is_default
        )
        recent = past[max(0, len(past) - settings.repeat_window) :] if settings.repeat_window else []
        history = History(
            tuple(
                HistoryRound(
                    circles=tuple(
                        tuple(link.member.slack_user_id for link in r.members) for r in relationships
                    ),
                    label=self.round_label(settings, relationships),
                )
                for relationships in recent
            )
        )
        pairs = [
            (mentee, mentor)
            for relationship in rounds.active_relationships(
                "mentorship", program_id=program.id, include_unassigned=program.is_default
            )
            for mentee in _with_role(relationship, "mentee")
            for mentor in _with_role(relationship, "mentor")
        ]
        requests = ChangeRequestRepository(session, workspace_id).open(
            program.id, include_unassigned=program.is_default
        )
        apart = {
            kind: kept_apart(
                (request.member.slack_user_id, request.avoid_user_ids)
                for request in requests
                if request.kind == kind
            )
            for kind in ("circle", "mentorship")
        }
        return Pool(
            {m.slack_user_id: m for m in members}, people, history, pairs, settings, program.id, apart
        )

    def round_label(self, settings: ProgramSettings, relationships: list[Relationship]) -> str:
        """A published round's name on the program's calendar, from the day its groups were formed."""
        if not relationships:
            return ""
        formed = min(relationship.created_at for relationship in relationships)
        return round_window(settings, local_day(formed, self.default_timezone)).name

    def propose(self, pool: Pool, kind: str, seed: int) -> Proposal:
        """The round's matches. Members who asked for a change are kept apart from whom they asked to
        leave; one whom that would leave without any place is matched as before (their request stays
        open), so a request never costs anyone their circle or mentor."""
        apart = pool.kept_apart.get("circle" if kind == "circles" else "mentorship", [])
        proposal = self._propose(pool, kind, seed, apart)
        stuck = set(proposal.unplaced_ids) & {member for member, _ in apart}
        if not stuck:
            return proposal
        return self._propose(pool, kind, seed, [pair for pair in apart if pair[0] not in stuck])

    def _propose(self, pool: Pool, kind: str, seed: int, apart: list[tuple[str, str]]) -> Proposal:
        if kind == "circles":
            plan = plan_round(
                pool.with_role("peer"),
                size=pool.settings.circle_size_bounds,
                history=pool.history,
                weights=pool.settings.matching.circle_weights(),
                forbidden_pairs=apart,
                seed=seed,
            )
            return Proposal(
                kind,
                tuple(Group(tuple((uid, "peer") for uid in c.members), c.reasons) for c in plan.circles),
                tuple((u.id, u.reason.value) for u in plan.unplaced),
                asdict(plan.stats),
                plan.warnings,
            )
        result = match_mentors(
            pool.with_role("mentee"),
            pool.with_role("mentor"),
            teams=kind == "teams",
            forbidden_pairs=apart,
            existing=pool.mentorship_pairs,
            keep_existing=True,
            seed=seed,
        )
        return Proposal(
            kind,
            tuple(
                Group(
                    ((m.mentee, "mentee"), *((uid, "mentor") for uid in m.mentors)),
                    m.reasons,
                    m.covered,
                    m.kept,
                )
                for m in result.matches
            ),
            tuple((u.id, u.reason.value) for u in result.unmatched),
            {
                "matched": len(result.matches),
                "unmatched": len(result.unmatched),
                "kept": sum(m.kept for m in result.matches),
            },
            result.warnings,
        )

    def preview(
        self,
        session: Session,
        workspace_id: int,
        kind: str,
        seed: int,
        created_by: str,
        program_id: int | None = None,
    ) -> tuple[int, Proposal]:
        pool = self.load_pool(session, workspace_id, program_id)
        proposal = self.propose(pool, kind, seed)
        rounds = RoundRepository(session, workspace_id)
        round_ = rounds.add_draft(kind, proposal.to_json(), seed, created_by)
        round_.program_id = pool.program_id
        round_.based_on_id = rounds.latest_published_id(pool.program_id, kind)
        return round_.id, proposal

    def still_fits(
        self, session: Session, workspace_id: int, proposal: Proposal, program_id: int | None
    ) -> bool:
        """Whether a draft can go out exactly as it was shown: everyone in it still takes part (and is
        not paused), and every match it keeps is still running."""
        pool = self.load_pool(session, workspace_id, program_id)
        for group in proposal.groups:
            if any(uid not in pool.people or not pool.people[uid].active for uid, _ in group.members):
                return False
        live = set(pool.mentorship_pairs)
        return all(
            (group.members[0][0], uid) in live
            for group in proposal.groups
            if group.kept
            for uid, role in group.members
            if role == "mentor"
        )

    def publish(self, session: Session, workspace_id: int, round_id: int) -> Published:
        """Turn a previewed draft into relationships. Publishing the same round again creates nothing."""
        rounds = RoundRepository(session, workspace_id)
        round_ = rounds.get(round_id)
        if round_ is None:
            raise LookupError(round_id)
        if not rounds.mark_published(round_id, self.clock()):
            existing = session.scalars(select(Relationship.id).where(Relationship.round_id == round_id)).all()
            return Published(round_id, tuple(existing), False)
        proposal = Proposal.from_json(round_.proposal)
        pool = self.load_pool(session, workspace_id, round_.program_id)
        kind = RELATIONSHIP_KIND[proposal.kind]
        kept_pairs = {
            (g.members[0][0], uid)
            for g in proposal.groups
            if g.kept
            for uid, role in g.members
            if role == "mentor"
        }
        now = self.clock()
        program = self.program(session, workspace_id, round_.program_id)
        for relationship in rounds.active_relationships(
            kind, program_id=program.id, include_unassigned=program.is_default
        ):
            pairs = {
                (a, b) for a in _with_role(relationship, "mentee") for b in _with_role(relationship, "mentor")
            }
            if kind == "circle" or not pairs <= kept_pairs:
                relationship.ended_at = now
        created = []
        for group in proposal.groups:
            if group.kept or any(uid not in pool.members for uid, _ in group.members):
                continue
            members = [(pool.members[uid].id, role) for uid, role in group.members]
            cadence = pool.settings.cadence_days or self.cadence(
                [pool.members[uid] for uid, _ in group.members], kind
            )
            relationship = rounds.add_relationship(
                round_id, kind, members, group.reasons, cadence, created_at=now
            )
            relationship.program_id = pool.program_id
            created.append(relationship.id)
        still_here = tuple(
            uid
            for uid in proposal.left_out_by_own_list
            if (person := pool.people.get(uid)) is not None and person.active
        )
        kept = sum(group.kept for group in proposal.groups)
        return Published(round_id, tuple(created), True, kept, still_here)

    def cadence(self, members: list[Member], kind: str) -> int:
        if kind == "mentorship":
            mentee = members[0]
            return FREQUENCY_CADENCE_DAYS.get(mentee.frequency or "monthly", 30)
        counts = Counter(FREQUENCY_CADENCE_DAYS.get(m.frequency or "monthly", 30) for m in members)
        return min(counts, key=lambda days: (-counts[days], days))

    def place_late_joiner(self, session: Session, workspace_id: int, member: Member) -> list[int]:
        """Add someone who joined after a round to existing circles or mentors, moving nobody else."""
        pool = self.load_pool(session, workspace_id)
        person = pool.people.get(member.slack_user_id)
        if person is None or not person.active:
            return []
        rounds = RoundRepository(session, workspace_id)
        changed: list[int] = []
        roles = member.roles or []
        if "peer" in roles and rounds.latest("circles", "published"):
            changed += self._join_circle(session, rounds, pool, person)
        if "mentee" in roles and (
            rounds.latest("mentors", "published") or rounds.latest("teams", "published")
        ):
            changed += self._join_mentors(rounds, pool, person)
        return changed

    def _join_circle(
        self, session: Session, rounds: RoundRepository, pool: Pool, person: Person
    ) -> list[int]:
        circles = rounds.active_relationships("circle")
        if any(person.id in _with_role(c, "peer") for c in circles):
            return []
        result = add_late_joiners(
            [_with_role(c, "peer") for c in circles],
            [person],
            pool.people.values(),
            size=self.size,
            history=pool.history,
        )
        changed = []
        for _, index in result.added:
            if index < len(circles):
                relationship = circles[index]
                relationship.members.append(
                    RelationshipMember(member_id=pool.members[person.id].id, role="peer")
                )
                relationship.intro_ts, relationship.intro_channel, relationship.intro_claimed_at = (
                    None,
                    None,
                    None,
                )
                changed.append(relationship.id)
            else:
                circle = result.circles[index]
                latest = rounds.latest("circles", "published")
                members = [(pool.members[uid].id, "peer") for uid in circle.members]
                cadence = self.cadence([pool.members[uid] for uid in circle.members], "circle")
                changed.append(
                    rounds.add_relationship(
                        latest.id if latest else None,
                        "circle",
                        members,
                        circle.reasons,
                        cadence,
                        created_at=self.clock(),
                    ).id
                )
        session.flush()
        return changed

    def _join_mentors(self, rounds: RoundRepository, pool: Pool, person: Person) -> list[int]:
        if any(mentee == person.id for mentee, _ in pool.mentorship_pairs):
            return []
        teams = (
            rounds.latest("teams", "published") is not None and rounds.latest("mentors", "published") is None
        )
        result = add_late_mentees([person], pool.with_role("mentor"), pool.mentorship_pairs, teams=teams)
        latest = rounds.latest("teams" if teams else "mentors", "published")
        changed = []
        for match in result.matches:
            members = [(pool.members[match.mentee].id, "mentee")] + [
                (pool.members[m].id, "mentor") for m in match.mentors
            ]
            cadence = self.cadence([pool.members[match.mentee]], "mentorship")
            changed.append(
                rounds.add_relationship(
                    latest.id if latest else None,
                    "mentorship",
                    members,
                    match.reasons,
                    cadence,
                    created_at=self.clock(),
                ).id
            )
        return changed


def _with_role(relationship: Relationship, role: str) -> list[str]:
    return [link.member.slack_user_id for link in relationship.members if link.role == role]
