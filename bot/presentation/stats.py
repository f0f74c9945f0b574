"""Block Kit for `/mentor admin stats`: the coordinators' summary, with buttons for the charts and CSV."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock, HeaderBlock

from bot.domain.reports import Report, percent
from bot.domain.text import shorten
from bot.presentation.common import context, escape, inflect, plural, section
from bot.presentation.feedback import feedback_blocks

RECENT_CYCLES = 6
QUESTION_CHARS = 150


def summary_text(report: Report) -> str:
    """The plain-text fallback (and notification text) for the summary."""
    people = report.participants
    return (
        f"{report.title}: {plural(people.total, 'participant')}, "
        f"{plural(report.totals.meetings, 'meeting')} logged."
    )


def counted_once(report: Report) -> str:
    """How the all-programs numbers add up; empty for one program's report."""
    if report.programs < 2:
        return ""
    several = (
        f"the {plural(report.in_several, 'person', 'people')} in more than one program "
        f"{inflect(report.in_several, 'is', 'are')} counted once"
        if report.in_several
        else "anyone in more than one program is counted once"
    )
    return f"These are all {report.programs} programs' numbers added up; {several}."


def _participation(report: Report) -> str:
    people, totals = report.participants, report.totals
    return "\n".join(
        (
            f"*Participants:* {people.total} ({people.active} active · {people.paused} paused · "
            f"{people.left} left)",
            f"*Matched now:* {plural(report.circles, 'circle')} · {plural(report.mentorships, 'mentorship')}",
            f"*Meetings logged:* {totals.meetings}",
            f"*“Did you meet?”:* {percent(totals.response_rate)} answered "
            f"({totals.answered} of {totals.asked}) · {percent(totals.yes_rate)} of answers were yes "
            f"({totals.yes})",
            f"*Goals:* {totals.goals_set} set · {totals.goals_completed} completed",
            f"*Stalled relationships:* {report.stalled}",
            f"*Nudges that could not be delivered:* {report.dead_letters}",
        )
    )


def _recent_cycles(report: Report) -> str:
    lines = [
        f"{counts.cycle.label}: {plural(counts.meetings, 'meeting')} · "
        f"{percent(counts.response_rate)} answered · {percent(counts.yes_rate)} yes"
        for counts in report.cycles[-RECENT_CYCLES:]
    ]
    return "*Recent cycles*\n" + "\n".join(lines)


def _faq_gaps(report: Report) -> str:
    faq = report.faq
    head = (
        f"*Questions the FAQ couldn't help with:* {faq.declined} it had no answer for · "
        f"{faq.not_helpful} marked not helpful"
    )
    asked = [
        f"• {escape(shorten(question, QUESTION_CHARS))}" + (f" (×{count})" if count > 1 else "")
        for question, count in faq.top_questions
    ]
    lead = ["Passed on by those who asked, without their names:"] if asked else []
    return "\n".join([head, *lead, *asked])


def summary_blocks(report: Report, program: str = "", note: str = "") -> list[Block]:
    notes: list[Block] = [context(escape(text)) for text in (counted_once(report), note) if text]
    return [
        HeaderBlock(text=shorten(f"Program report: {report.title}", 150)),
        *notes,
        section(_participation(report)),
        section(_recent_cycles(report)),
        DividerBlock(),
        *feedback_blocks(report.feedback),
        DividerBlock(),
        section(_faq_gaps(report)),
        ActionsBlock(
            block_id="stats_exports",
            elements=[
                ButtonElement(text="Chart of meetings", action_id="stats_chart", value=program or "-"),
                ButtonElement(text="Chart of feedback", action_id="stats_feedback", value=program or "-"),
                ButtonElement(text="CSV export", action_id="stats_csv", value=program or "-"),
            ],
        ),
        context(
            f"As of {report.as_of:%b} {report.as_of.day}, {report.as_of.year}; cycles are calendar months. "
            "Counts only: goals, meeting notes and match preferences stay private."
        ),
    ]
