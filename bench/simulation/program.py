"""A program simulated on the sandbox clock: the running app, the sandbox Slack and a real database, with
members who answer their check-ins (or don't) by pressing the real buttons, and groups that plan meetings
through "find a time".

Set-up (people, profiles, programs) is stored directly, as the tests' set-up is; everything after that goes
through the app: the clock's jobs publish each program's rounds and plan the nudges, delivery sends them
through the sandbox's Web API (its rate limits on), and members answer over signed HTTP requests.
"""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.composition import build_services
from bot.config import Settings
from bot.domain.calendar import monday_of
from bot.domain.members import ProfileDraft
from bot.domain.nudges.budget import BUDGETED, DEFAULT_BUDGET
from bot.domain.nudges.timing import local_date
from bot.domain.programs import ProgramSettings
from bot.effects.worker import LANE_PER_MINUTE, EffectOptions
from bot.nudges.clock import tick
from bot.nudges.delivery import DeliveryOptions
from bot.nudges.pacing import Pace
from bot.presentation.scheduling import OPEN_ACTION, PROPOSE_VIEW
from bot.sandbox import FeedItem, RateLimits, Sandbox, SandboxClock, User, default_spec_path
from bot.sandbox.payloads import find_element
from bot.sandbox.running import RunningApp, serving
from storage.db import Database
from storage.models import MeetingPlan, OutboxNudge, Relationship
from storage.programs import ProgramRepository
from storage.repositories import MemberRepository, ProfileRepository, WorkspaceRepository

ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London")
ANSWER_RATES = (0.8, 0.5, 0.1)
CHECKINS = ("did_you_meet", "goal_checkin")
CIRCLES, ONE_TO_ONE = "Resident Peer Circles", "Faculty 1:1 Mentoring"
SPEEDUP = 20.0
"""Wall-clock rates run this much faster, the sandbox's limits and the app's own pacing alike: a year of
Slack traffic in minutes, with the app still held to limits it must stay under."""
LIMITS = RateLimits(factor=SPEEDUP)
EFFECTS = EffectOptions(
    per_minute={lane: rate * SPEEDUP for lane, rate in LANE_PER_MINUTE.items()},
    home_spacing=EffectOptions().home_spacing / SPEEDUP,
)
DELIVERY = DeliveryOptions(pace=Pace(per_minute=60_000))
"""Nudge delivery's own pacing out of the way: the sandbox's limits are the ones that bind."""

PEER = ProfileDraft(
    roles=("peer", "mentee"),
    stage="PGY-2",
    specialty="internal-medicine",
    track="academic",
    needs=("research",),
    frequency="monthly",
)
MENTOR = ProfileDraft(
    roles=("mentor",),
    stage="faculty",
    specialty="internal-medicine",
    track="academic",
    offers=("research", "education"),
    frequency="monthly",
    capacity=2,
)


@dataclass(frozen=True)
class Plan:
    members: int = 40
    start: datetime = datetime(2027, 7, 1, 4, 0, tzinfo=UTC)
    """July 1, before the day has begun anywhere the members live."""
    days: int = 366
    tick_hours: int = 3
    seed: int = 13
    find_a_time_share: float = 0.3
    """Share of the groups introduced each round that plan their first meeting with "find a time"."""

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)


@dataclass
class Person:
    user: User
    tz: str
    rate: float
    role: str
    answers: list[datetime] = field(default_factory=list)
    """When they pressed an answer to a check-in."""
    planning: list[datetime] = field(default_factory=list)
    """When they proposed times or voted in "find a time" (no answer to a check-in)."""


@dataclass(order=True)
class _Pending:
    due: datetime
    seq: int
    what: str = field(compare=False)
    user_id: str = field(compare=False)
    detail: Any = field(compare=False, default=None)


@dataclass(frozen=True)
class Pause:
    user_id: str
    rate: float
    day: int
    """Days into the program the pause notice went out."""
    silent_days: float
    """Days since the first check-in left unanswered (after the member's last answer, or ever)."""
    idle_days: float
    """Days since the member last did anything: an answer, or proposing or voting in "find a time"."""


@dataclass
class Results:
    plan: Plan
    budget: int
    weeks: list[date]
    nudge_dms: dict[str, dict[date, int]]
    member_dms: dict[str, dict[date, int]]
    seen: dict[str, dict[date, int]]
    pauses: list[Pause]
    people: dict[str, Person]
    planned_meetings: int
    find_a_time_started: int
    answers: int
    http_429: int

    def per_week(self, counts: dict[str, dict[date, int]]) -> list[tuple[date, float, int]]:
        """(Monday, mean, max) over all members for each local week of the program."""
        rows = []
        for week in self.weeks:
            values = [counts.get(user_id, {}).get(week, 0) for user_id in self.people]
            rows.append((week, sum(values) / len(values), max(values)))
        return rows

    @property
    def within_budget(self) -> bool:
        return all(most <= self.budget for _, _, most in self.per_week(self.nudge_dms))

    @property
    def no_early_pause(self) -> bool:
        return all(pause.silent_days >= 21 for pause in self.pauses)


@contextmanager
def simulated_app(db: Database, clock: SandboxClock) -> Iterator[RunningApp]:
    """The app serving one sandbox workspace on the sandbox clock, rate limits on."""
    with Sandbox(spec_path=default_spec_path(), clock=clock, rate_limits=LIMITS) as sandbox:
        workspace = sandbox.add_workspace("T0YEAR1", name="University Hospital Residency")
        coordinator = sandbox.add_user(workspace.team_id, "coord", "Casey Coordinator", tz=ZONES[0])
        settings = Settings(
            slack_bot_token=workspace.bot_token,
            slack_signing_secret=sandbox.signing_secret,
            slack_api_url=sandbox.api_url,
            database_url=db.url,
            coordinator_user_ids=(coordinator.id,),
            log_level="ERROR",
        )
        with serving(build_services(settings, db=db, clock=clock), sandbox, workspace, EFFECTS) as running:
            yield running


class ProgramSimulation:
    def __init__(self, running: RunningApp, clock: SandboxClock, plan: Plan) -> None:
        self.running = running
        self.clock = clock
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.team = running.workspace.team_id
        self.people: dict[str, Person] = {}
        self.pending: list[_Pending] = []
        self.seq = 0
        self.seen_items: dict[str, int] = defaultdict(int)
        self.seen_relationship = 0
        self.find_a_time_started = 0
        self.answers = 0

    # -- set-up --------------------------------------------------------------------------------------

    def populate(self) -> None:
        """A circles program and a 1:1 program; a quarter of the members mentors, the rest residents in
        circles, two thirds of whom also have a mentor. Answer rates a third each, shuffled."""
        rates = [ANSWER_RATES[i % len(ANSWER_RATES)] for i in range(self.plan.members)]
        self.rng.shuffle(rates)
        start = self.plan.start
        with self.running.services.db.session() as session:
            space = WorkspaceRepository(session).ensure(self.team)
            programs = ProgramRepository(session, space.id)
            circles = programs.default()
            circles.name = CIRCLES
            programs.save_settings(circles, ProgramSettings(kind="circles", auto_publish=True))
            one_to_one = programs.add(ONE_TO_ONE, ProgramSettings(kind="mentors", auto_publish=True))
            assert one_to_one is not None
            residents = 0
            for i in range(self.plan.members):
                tz = ZONES[i % len(ZONES)]
                role = "mentor" if i % 4 == 0 else "resident"
                user = self.running.sandbox.add_user(self.team, f"m{i:02d}", f"Member {i:02d}", tz=tz)
                profile = MENTOR if role == "mentor" else PEER
                frequency = "biweekly" if i % 3 == 0 else "monthly"
                member = MemberRepository(session, space.id).ensure(user.id, display_name=user.real_name)
                ProfileRepository(session, space.id).save(
                    member, dataclasses.replace(profile, tz=tz, frequency=frequency), start
                )
                member.joined_at = member.created_at = start
                if role == "mentor":
                    programs.enroll(one_to_one, member, start)
                else:
                    programs.enroll(circles, member, start)
                    if residents % 3 != 2:
                        programs.enroll(one_to_one, member, start)
                    residents += 1
                self.people[user.id] = Person(user, tz, rates[i], role)

    # -- the clock -----------------------------------------------------------------------------------

    def run(self) -> None:
        step = timedelta(hours=self.plan.tick_hours)
        while self.clock() < self.plan.end:
            self.clock.advance(step)
            tick(self.running.services, deliver=True, options=DELIVERY, effects=EFFECTS)
            self._notice_new_messages()
            self._notice_new_groups()
            self._act()

    def _later(self, what: str, user_id: str, low: float, high: float, detail: Any = None) -> None:
        self.seq += 1
        due = self.clock() + timedelta(hours=self.rng.uniform(low, high))
        self.pending.append(_Pending(due, self.seq, what, user_id, detail))

    def _notice_new_messages(self) -> None:
        """Each new DM with a check-in: the member means to answer it (some hours later) or never will."""
        feed = self.running.sandbox.state.feed
        conversations = self.running.sandbox.state.directory.conversations
        for user_id, person in self.people.items():
            items = feed.items(self.team, user_id)
            for item in items[self.seen_items[user_id] :]:
                if item.kind != "message" or not item.blocks or item.channel is None:
                    continue
                if conversations[item.channel].kind != "im" or not _answer_buttons(list(item.blocks)):
                    continue
                if self.rng.random() < person.rate:
                    self._later("answer", user_id, 2, 30, item)
            self.seen_items[user_id] = len(items)

    def _notice_new_groups(self) -> None:
        with self.running.services.db.session() as session:
            groups = session.execute(
                select(Relationship.id)
                .where(Relationship.id > self.seen_relationship)
                .order_by(Relationship.id)
            ).all()
            for (relationship_id,) in groups:
                self.seen_relationship = relationship_id
                if self.rng.random() >= self.plan.find_a_time_share:
                    continue
                members = session.get_one(Relationship, relationship_id).members
                slack_ids = sorted(link.member.slack_user_id for link in members)
                self._later("propose", self.rng.choice(slack_ids), 4, 48, (relationship_id, 0))

    def _act(self) -> None:
        now = self.clock()
        due = sorted(p for p in self.pending if p.due <= now)
        self.pending = [p for p in self.pending if p.due > now]
        for job in due:
            if job.what == "answer":
                self._answer(job.user_id, job.detail)
            elif job.what == "propose":
                self._propose(job.user_id, *job.detail)
            elif job.what == "vote":
                self._vote(job.user_id, job.detail)

    # -- what members do -----------------------------------------------------------------------------

    def _answer(self, user_id: str, item: FeedItem) -> None:
        """Press one answer in each question the DM still asks: "we met", or "on track" for a goal."""
        conversation = self.running.sandbox.state.directory.conversations[item.channel or ""]
        message = conversation.find(item.ts or "")
        if message is None:
            return
        session = self.running.session(self.people[user_id].user)
        for block_id, action_id in _answer_buttons(message.blocks or []):
            current = conversation.find(item.ts or "")
            if current is None or find_element(current.blocks or [], action_id, block_id) is None:
                continue
            sent = session.message_action(item, action_id, block_id=block_id)
            sent.wait_for_response()
            self.answers += 1
            self.people[user_id].answers.append(self.clock())

    def _propose(self, user_id: str, relationship_id: int, attempt: int) -> None:
        """Open "find a time" from the group's introduction and post the suggested times."""
        item = self._introduction(user_id, relationship_id)
        if item is None:
            if attempt < 8:
                self._later("propose", user_id, 3, 6, (relationship_id, attempt + 1))
            return
        session = self.running.session(self.people[user_id].user)
        if session.message_action(item, OPEN_ACTION).status != 200:
            return
        state = self.running.sandbox.state

        def opened() -> bool:
            stack = state.views.modal_stack(self.team, user_id)
            return bool(stack) and stack[-1].payload.get("callback_id") == PROPOSE_VIEW

        if not state.feed.wait_until(opened, 5):
            return
        session.view_submission(values={})
        self.people[user_id].planning.append(self.clock())
        self.find_a_time_started += 1
        self._later("vote", user_id, 0, 1, relationship_id)
        for other in self._group(relationship_id):
            if other != user_id and self.rng.random() < self.people[other].rate:
                self._later("vote", other, 1, 12, relationship_id)

    def _vote(self, user_id: str, relationship_id: int) -> None:
        """Say yes to the first proposed time in the group DM."""
        with self.running.services.db.session() as session:
            plan = session.scalar(
                select(MeetingPlan)
                .where(MeetingPlan.relationship_id == relationship_id, MeetingPlan.ts.is_not(None))
                .order_by(MeetingPlan.id.desc())
            )
            where = (plan.channel, plan.ts) if plan is not None and plan.chosen_slot is None else None
        if where is None:
            return
        items = self.running.sandbox.state.feed.items(self.team, user_id)
        item = next((i for i in reversed(items) if (i.channel, i.ts) == where), None)
        message = self.running.sandbox.state.directory.conversations[where[0] or ""].find(where[1] or "")
        if item is None or message is None or find_element(message.blocks or [], "schedule_yes_0") is None:
            return
        self.running.session(self.people[user_id].user).message_action(
            item, "schedule_yes_0"
        ).wait_for_response()
        self.people[user_id].planning.append(self.clock())

    def _introduction(self, user_id: str, relationship_id: int) -> FeedItem | None:
        for item in reversed(self.running.sandbox.state.feed.items(self.team, user_id)):
            for block in item.blocks or [] if item.kind == "message" else []:
                for element in block.get("elements") or []:
                    if element.get("action_id") == OPEN_ACTION and element.get("value") == str(
                        relationship_id
                    ):
                        return item
        return None

    def _group(self, relationship_id: int) -> list[str]:
        with self.running.services.db.session() as session:
            return [
                link.member.slack_user_id for link in session.get_one(Relationship, relationship_id).members
            ]

    # -- measuring -----------------------------------------------------------------------------------

    def results(self) -> Results:
        state = self.running.sandbox.state
        with self.running.services.db.session() as session:
            rows = list(session.scalars(select(OutboxNudge).where(OutboxNudge.sent_at.is_not(None))))
            budgeted = {(r.user_id, r.channel, r.ts) for r in rows if r.kind in BUDGETED and r.ts}
            pause_rows = sorted((r for r in rows if r.kind == "paused_notice"), key=lambda r: r.id)
            checkins: dict[str, list[datetime]] = defaultdict(list)
            for r in rows:
                if r.kind in CHECKINS and r.sent_at is not None:
                    checkins[r.user_id].append(_utc(r.sent_at))
            plans = session.scalars(select(MeetingPlan).where(MeetingPlan.chosen_slot.is_not(None))).all()
            planned = len(plans)
            budget = min(
                (
                    ProgramSettings.from_json(p.settings).weekly_nudge_budget
                    for p in ProgramRepository(
                        session, WorkspaceRepository(session).ensure(self.team).id
                    ).all()
                ),
                default=DEFAULT_BUDGET,
            )
        nudge_dms: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
        for user_id, _, ts in budgeted:
            if user_id in self.people:
                nudge_dms[user_id][self._week(user_id, ts or "")] += 1
        member_dms: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
        seen: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
        for conversation in list(state.directory.conversations.values()):
            if conversation.team_id != self.team:
                continue
            for message in list(conversation.messages):
                if message.bot_id is None:
                    continue
                for user_id in conversation.members:
                    if user_id in self.people:
                        week = self._week(user_id, message.ts)
                        seen[user_id][week] += 1
                        if conversation.kind == "im":
                            member_dms[user_id][week] += 1
        pauses = []
        paused: set[str] = set()
        for row in pause_rows:
            if row.user_id in paused or row.user_id not in self.people or row.sent_at is None:
                continue
            paused.add(row.user_id)
            at = _utc(row.sent_at)
            person = self.people[row.user_id]
            last_answer = max((a for a in person.answers if a <= at), default=self.plan.start)
            silent_since = min((c for c in checkins[row.user_id] if last_answer < c <= at), default=at)
            pauses.append(
                Pause(
                    row.user_id,
                    person.rate,
                    (at - self.plan.start).days,
                    (at - silent_since) / timedelta(days=1),
                    (
                        at
                        - max(
                            (a for a in [*person.answers, *person.planning] if a <= at),
                            default=self.plan.start,
                        )
                    )
                    / timedelta(days=1),
                )
            )
        first = monday_of(self.plan.start.date())
        weeks = [first + timedelta(weeks=n) for n in range((self.plan.end.date() - first).days // 7 + 1)]
        return Results(
            plan=self.plan,
            budget=budget,
            weeks=weeks,
            nudge_dms=nudge_dms,
            member_dms=member_dms,
            seen=seen,
            pauses=pauses,
            people=self.people,
            planned_meetings=planned,
            find_a_time_started=self.find_a_time_started,
            answers=self.answers,
            http_429=sum(1 for call in state.calls() if call.status == 429),
        )

    def _week(self, user_id: str, ts: str) -> date:
        return monday_of(local_date(datetime.fromtimestamp(float(ts), UTC), self.people[user_id].tz))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _answer_buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(block id, action id) of the answer a willing member gives to each question in a DM."""
    found = []
    for block in blocks:
        if block.get("type") != "actions":
            continue
        ids = [e.get("action_id", "") for e in block.get("elements") or [] if e.get("type") == "button"]
        choice = next((a for a in ids if a == "nudge_met" or a.startswith("nudge_goal_on_track_")), None)
        if choice is not None:
            found.append((str(block.get("block_id")), choice))
    return found


def simulate(db: Database, plan: Plan) -> Results:
    clock = SandboxClock(plan.start)
    with simulated_app(db, clock) as running:
        simulation = ProgramSimulation(running, clock, plan)
        simulation.populate()
        simulation.run()
        return simulation.results()
