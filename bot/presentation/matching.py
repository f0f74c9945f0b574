"""Block Kit for the coordinators' match preview and for the introductions sent when matches go out."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    HeaderBlock,
)

from bot.domain.match_commands import NobodyPlaced
from bot.domain.members import format_date
from bot.domain.text import join_labels, shorten
from bot.domain.vocabulary import domain_label, frequency_label
from bot.matching_service import Group, Proposal
from bot.presentation.common import context, escape, inflect, plural, section
from bot.presentation.manual_matches import fix_button
from bot.usecases.rounds import RoundStatus

MAX_GROUPS_SHOWN = 20
KIND_TITLES = {"circles": "peer circles", "mentors": "mentor matches", "teams": "mentorship teams"}
KIND_TITLE_ONE = {"circles": "peer circle", "mentors": "mentor match", "teams": "mentorship team"}
NOBODY_PLACED = {
    NobodyPlaced.NO_PEERS: "Nobody in this program takes part as a peer yet, so there are no circles to form.",
    NobodyPlaced.TOO_FEW_PEERS: "Only one person takes part as a peer right now: a circle needs two at least.",
    NobodyPlaced.NO_MENTEES: "Nobody in this program takes part as a mentee yet, so there is nobody to match.",
    NobodyPlaced.NO_MENTORS: "No mentors take part in this program yet, so the mentees can't be matched.",
    NobodyPlaced.NO_FIT: "I couldn't place anyone this time.",
}
"""Why a preview places nobody, told from counts: `NO_FIT` reads the same whatever kept people apart."""
NOTHING_TO_PUBLISH = "There is nothing to publish, so there is no Publish button."
CADENCE_LABELS = {14: "biweekly", 30: "monthly", 42: "every-6-weeks", 91: "quarterly"}
MAX_UNPLACED_SHOWN = 15
NOT_PLACED_NOTE = {
    "circles": (
        "I couldn't find a circle that works for them this time. "
        "A new preview usually finds room once a few more people join."
    ),
    "mentors": (
        "I couldn't find a mentor with room for them this time. "
        "A new preview usually finds one once more mentors join or mentors take on more mentees."
    ),
}
"""The one note coordinators see for everyone left out. Some are left out because of their own
confidential do-not-match list, so the reason is never shown and every case reads the same."""


def mention_list(user_ids: list[str]) -> str:
    return join_labels([f"<@{uid}>" for uid in user_ids])


def stats_line(proposal: Proposal) -> str:
    stats = proposal.stats
    if proposal.kind == "circles":
        return (
            f"{plural(int(stats.get('placed', 0)), 'person', 'people')} in "
            f"{plural(int(stats.get('circles', 0)), 'circle')} · "
            f"{plural(int(stats.get('new_pairs', 0)), 'new pair')} · "
            f"{plural(int(stats.get('repeat_pairs', 0)), 'repeat')} · "
            f"{int(stats.get('unplaced', 0))} not placed"
        )
    return (
        f"{plural(int(stats.get('matched', 0)), 'mentee')} matched ({int(stats.get('kept', 0))} kept from before) · "
        f"{int(stats.get('unmatched', 0))} unmatched"
    )


def group_text(number: int, group: Group, kind: str) -> str:
    if kind == "circles":
        head = f"*Circle {number}*: {mention_list([uid for uid, _ in group.members])}"
    else:
        mentee = next(uid for uid, role in group.members if role == "mentee")
        mentors = [uid for uid, role in group.members if role == "mentor"]
        kept = " _(kept)_" if group.kept else ""
        head = f"*<@{mentee}>* ← {mention_list(mentors)}{kept}"
    reasons = "; ".join(group.reasons) if group.reasons else "no particular overlap"
    return f"{head}\n_{escape(shorten(reasons, 400))}_"


def preview_blocks(
    round_id: int, proposal: Proposal, seed: int, program: str = "", nobody: NobodyPlaced | None = None
) -> list[Block]:
    """The preview of a draft round: its groups and why, who is left out, and (only when it places
    someone) the Publish button; what it shows is what publishing it sends."""
    title = KIND_TITLES.get(proposal.kind, proposal.kind)
    where = f"*{escape(program)}* · " if program else ""
    blocks: list[Block] = [HeaderBlock(text=f"Proposed {title}"), context(where + stats_line(proposal))]
    for warning in proposal.warnings[:3]:
        blocks.append(context(f"⚠️ {escape(warning)}"))
    if not proposal.groups:
        blocks.append(section(f"{NOBODY_PLACED[nobody or NobodyPlaced.NO_FIT]} {NOTHING_TO_PUBLISH}"))
    for number, group in enumerate(proposal.groups[:MAX_GROUPS_SHOWN], start=1):
        blocks.append(section(group_text(number, group, proposal.kind)))
    hidden = len(proposal.groups) - MAX_GROUPS_SHOWN
    if hidden > 0:
        blocks.append(context(f"…and {hidden} more. Everything is published together."))
    blocks.extend(not_placed_blocks(proposal))
    blocks.append(DividerBlock())
    buttons = [
        ButtonElement(text="Try another arrangement", action_id="match_reshuffle", value=str(round_id)),
        fix_button(round_id),
    ]
    if proposal.groups:
        buttons.insert(
            0,
            ButtonElement(
                text="Publish and introduce",
                action_id="match_publish",
                value=str(round_id),
                style="primary",
                confirm=ConfirmObject(
                    title="Send the introductions?",
                    text="Everyone in the new matches gets an introduction message now.",
                    confirm="Publish",
                    deny="Not yet",
                ),
            ),
        )
    blocks.append(ActionsBlock(block_id="match_preview", elements=buttons))
    return blocks[:50]


def not_placed_blocks(proposal: Proposal) -> list[Block]:
    """Who is left out of the proposal, all with the same note, whatever the reason."""
    left_out = proposal.unplaced_ids
    if not left_out:
        return []
    lines = "\n".join(f"• <@{uid}>" for uid in left_out[:MAX_UNPLACED_SHOWN])
    hidden = len(left_out) - MAX_UNPLACED_SHOWN
    more = f"\n…and {hidden} more" if hidden > 0 else ""
    note = NOT_PLACED_NOTE["circles" if proposal.kind == "circles" else "mentors"]
    return [section(f"*Not placed this round*\n{lines}{more}"), context(note)]


def published_text(kind: str, created: int, kept: int, queued: int, again: bool) -> str:
    """What a publish did, counted as its preview counted: kept matches are published too."""
    if again:
        return "These matches were already published, so nothing was sent again."
    total = created + kept
    head = f"Published {plural(total, KIND_TITLE_ONE.get(kind, kind), KIND_TITLES.get(kind))}"
    if kept:
        head += f" ({kept} kept from before, already introduced)"
    if not queued:
        return f"{head}. Everyone in them already knows each other, so no introduction was needed."
    introductions = f"{plural(queued, 'introduction')} {inflect(queued, 'is', 'are')}"
    way = inflect(queued, "on its way as a group message", "on their way as group messages")
    return (
        f"{head}: {introductions} {way}. "
        "If Slack is slow or busy, I keep retrying until each one is delivered, once."
    )


FIRST_MEETING = (
    "*A simple first meeting (about 30 minutes)*\n"
    "1. Introductions: where you are in training and what you hope to get from this.\n"
    "2. Each share one goal for the next few months.\n"
    "3. Agree how often you'll meet and put the next date in your calendars."
)


def circle_intro_blocks(user_ids: list[str], reasons: list[str], cadence_days: int | None) -> list[Block]:
    cadence = frequency_label(CADENCE_LABELS.get(cadence_days or 30, "monthly"))
    why = f"*Why you're together*: {escape('; '.join(reasons))}" if reasons else ""
    return [
        section(
            f"👋 Welcome to your Mentor Circle, {mention_list(user_ids)}!\nYou're a peer circle for this round."
        ),
        *([section(why)] if why else []),
        section(FIRST_MEETING),
        context(
            f"Your circle prefers meeting {cadence}, so I'll check in about that often. "
            "Log meetings with `/mentor met` and I'll keep track for everyone."
        ),
    ]


def mentorship_intro_blocks(
    mentee: str,
    mentors: list[str],
    reasons: list[str],
    needs: list[str],
    goals: list[str],
    cadence_days: int | None,
) -> list[Block]:
    cadence = frequency_label(CADENCE_LABELS.get(cadence_days or 30, "monthly"))
    mentor_word = inflect(len(mentors), "mentor")
    blocks: list[Block] = [
        section(f"👋 <@{mentee}>, meet your {mentor_word}: {mention_list(mentors)}!"),
    ]
    if reasons:
        blocks.append(section(f"*Why this match*: {escape('; '.join(reasons))}"))
    summary = []
    if needs:
        summary.append("Would like guidance on: " + join_labels([domain_label(d) for d in needs]))
    if goals:
        summary.append("Current goals: " + "; ".join(escape(shorten(g, 120)) for g in goals[:5]))
    if summary:
        blocks.append(section(f"*For your {mentor_word}*\n" + "\n".join(summary)))
    blocks.append(section(FIRST_MEETING))
    blocks.append(
        context(
            f"<@{mentee}> would like to meet {cadence}. Log meetings with `/mentor met`; I'll check in between."
        )
    )
    return blocks


def round_status_text(statuses: Sequence[RoundStatus]) -> str:
    """`/mentor admin match status`: one line per program's latest round."""
    if not statuses:
        return "No round has been published yet. `/mentor admin match preview` shows the next one."
    lines = []
    for status in statuses:
        when = f" on {format_date(status.published_on)}" if status.published_on else ""
        groups = plural(status.groups, "circle" if status.kind == "circles" else "mentorship")
        line = (
            f"• *{escape(status.program)}*: {groups} published{when}. Introductions: {status.introduced} sent, "
            f"{status.waiting} on the way, {status.failed} failed."
        )
        if status.short:
            line += f" {plural(status.short, 'circle')} below the program's minimum size."
        lines.append(line)
    return "*Latest rounds*\n" + "\n".join(lines)
