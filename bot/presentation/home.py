"""Block Kit for the App Home tab: a welcome before sign-up, then the member's own mentorship page."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.members import format_date
from bot.domain.text import join_labels, shorten
from bot.domain.vocabulary import domain_label
from bot.presentation.change_requests import CHANGE_OPEN, CHOOSE_OPEN
from bot.presentation.common import context, escape, inflect, section
from bot.presentation.programs import coordinator_home_blocks
from bot.presentation.roster import home_people_blocks
from bot.usecases.home import HomeScreen
from storage.home import GoalLine, MemberHome, RelationshipLine

MAX_GOALS_SHOWN = 15
MAX_RELATIONSHIPS_SHOWN = 10


def home_view(
    home: MemberHome | None, coordinators: str, coordinator_section: list[Block] | None = None
) -> View:
    """The member's page, then (for coordinators only) their programs, within Slack's 100-block limit."""
    blocks = member_blocks(home) if home is not None and home.joined else welcome_blocks()
    footer = context(f"Questions about the program? Your coordinators: {coordinators}")
    room = 99 - len(blocks)
    blocks.extend((coordinator_section or [])[: max(room, 0)])
    return View(type="home", blocks=[*blocks[:99], footer])


def welcome_blocks() -> list[Block]:
    return [
        HeaderBlock(text="Mentor Circles"),
        section(
            "Welcome! Mentor Circles matches you with mentors and small peer circles, keeps track of your "
            "goals and meetings, and reminds you gently when it's time to meet."
        ),
        ActionsBlock(
            block_id="home_start",
            elements=[ButtonElement(text="Join the program", action_id="home_join", style="primary")],
        ),
        section(
            "*Getting started*\n"
            "• `/mentor join` signs you up as a mentee, mentor or peer\n"
            "• `/mentor ask QUESTION` answers questions about mentorship\n"
            "• `/mentor help` shows everything you can do"
        ),
    ]


def goal_text(goal: GoalLine) -> str:
    details = []
    if goal.due_on:
        details.append(f"by {format_date(goal.due_on)}")
    if goal.domain:
        details.append(domain_label(goal.domain))
    suffix = f" _({', '.join(details)})_" if details else ""
    return f"*#{goal.number}* {escape(shorten(goal.text, 300))}{suffix}"


def member_blocks(home: MemberHome) -> list[Block]:
    profile = "\n".join(home.summary) or "Your profile is almost empty."
    blocks: list[Block] = [
        HeaderBlock(text="Your mentorship"),
        SectionBlock(
            block_id="home_profile",
            text=section(profile).text,
            accessory=ButtonElement(text="Edit profile", action_id="profile_edit"),
        ),
    ]
    if home.status == "paused":
        until = f" until {format_date(home.paused_until)}" if home.paused_until else " until you resume"
        blocks.append(context(f"⏸ Reminders are paused{until}. Type `/mentor resume` any time."))
    blocks.append(DividerBlock())
    blocks.extend(goal_blocks(home.goals))
    blocks.append(DividerBlock())
    blocks.extend(relationship_blocks(home))
    pause = (
        ButtonElement(text="Resume reminders", action_id="settings_resume")
        if home.status == "paused"
        else ButtonElement(text="Pause reminders", action_id="settings_pause")
    )
    blocks.append(
        ActionsBlock(
            block_id="home_actions",
            elements=[
                ButtonElement(text="Add goal", action_id="goal_add_open", style="primary"),
                ButtonElement(text="Log meeting", action_id="meeting_log_open"),
                *(
                    [ButtonElement(text="Choose a mentor", action_id=CHOOSE_OPEN)]
                    if may_choose_mentor(home)
                    else []
                ),
                pause,
            ],
        )
    )
    return blocks


def may_choose_mentor(home: MemberHome) -> bool:
    """A mentee without a mentor may choose one (the use case checks the rest when they click)."""
    has_mentor = any(line.kind == "mentorship" and line.my_role == "mentee" for line in home.relationships)
    return "mentee" in home.profile.roles and not has_mentor


def goal_blocks(goals: tuple[GoalLine, ...]) -> list[Block]:
    if not goals:
        return [section("*Your goals*\nNo open goals yet. Add one with `/mentor goal add TEXT [by DATE]`.")]
    blocks: list[Block] = [section(f"*Your goals* ({len(goals)} open)")]
    for goal in goals[:MAX_GOALS_SHOWN]:
        blocks.append(
            SectionBlock(
                block_id=f"home_goal_{goal.number}",
                text=section(goal_text(goal)).text,
                accessory=ButtonElement(text="Done", action_id="goal_done", value=str(goal.number)),
            )
        )
    if len(goals) > MAX_GOALS_SHOWN:
        blocks.append(context(f"…and {len(goals) - MAX_GOALS_SHOWN} more. `/mentor goals` lists them all."))
    return blocks


def relationship_text(line: RelationshipLine) -> str:
    if line.kind == "circle":
        title = f"Your circle{f' · {escape(line.label)}' if line.label else ''}"
        people = join_labels([f"<@{user_id}>" for user_id, _ in line.others])
    elif line.my_role == "mentor":
        mentees = [f"<@{user_id}>" for user_id, role in line.others if role == "mentee"]
        title = f"Your {inflect(len(mentees), 'mentee')}"
        people = join_labels(mentees)
    else:
        mentors = [f"<@{user_id}>" for user_id, role in line.others if role == "mentor"]
        title = f"Your {inflect(len(mentors), 'mentor')}"
        people = join_labels(mentors)
    group = "this circle" if line.kind == "circle" else "this mentorship"
    last = f"last met {format_date(line.last_met)}" if line.last_met else f"no meeting logged for {group} yet"
    upcoming = f" · next check-in around {format_date(line.next_due)}" if line.next_due else ""
    return f"*{title}*: {people}\n{last}{upcoming}"


def relationship_blocks(home: MemberHome) -> list[Block]:
    if not home.relationships:
        return [
            section(
                "*Your circle and mentors*\nYou'll see them here once your coordinators publish the next round of matches."
            )
        ]
    blocks: list[Block] = []
    for line in home.relationships[:MAX_RELATIONSHIPS_SHOWN]:
        blocks.append(
            SectionBlock(
                block_id=f"home_relationship_{line.id}",
                text=section(relationship_text(line)).text,
                accessory=ButtonElement(text="Ask for a change", action_id=CHANGE_OPEN, value=str(line.id)),
            )
            if line.my_role in ("mentee", "peer")
            else section(relationship_text(line))
        )
        for person in line.shared_goals[:5]:
            goals = "; ".join(f"#{g.number} {escape(shorten(g.text, 80))}" for g in person.goals[:3])
            blocks.append(context(f"<@{person.user_id}>'s goals: {goals}"))
    if home.last_meeting:
        blocks.append(context(f"Your last meeting logged outside these: {format_date(home.last_meeting)}"))
    return blocks


def home_screen_view(screen: HomeScreen) -> View:
    section = coordinator_home_blocks(screen.programs) if screen.programs is not None else None
    if section is not None and screen.people is not None:
        section.extend(home_people_blocks(screen.people))
    return home_view(screen.member, screen.coordinators, section)
