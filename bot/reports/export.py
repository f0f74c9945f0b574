"""The CSV export for program evaluation: one row per cycle, counts and rates only."""

from __future__ import annotations

import csv
import io

from bot.domain.reports import Report

COLUMNS = (
    "cycle",
    "start",
    "end",
    "meetings_logged",
    "did_you_meet_asked",
    "did_you_meet_answered",
    "did_you_meet_yes",
    "response_rate",
    "yes_rate",
    "goals_set",
    "goals_completed",
)


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def report_csv(report: Report) -> str:
    """`end` is the cycle's last day; rates are blank when nobody was asked (or nobody answered)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for counts in report.cycles:
        cycle = counts.cycle
        writer.writerow(
            (
                cycle.label,
                cycle.start.isoformat(),
                cycle.last_day.isoformat(),
                counts.meetings,
                counts.asked,
                counts.answered,
                counts.yes,
                _rate(counts.response_rate),
                _rate(counts.yes_rate),
                counts.goals_set,
                counts.goals_completed,
            )
        )
    return buffer.getvalue()
