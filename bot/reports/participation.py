"""The participation CSV for program evaluation: one row per member in each program, and one per circle
or mentorship. Names, roles, dates and counts only: never goals, notes or do-not-match lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from bot.domain.roster import CheckIns, RelationshipRow, RosterEntry

COLUMNS = (
    "row",
    "program",
    "slack_user_ids",
    "names",
    "roles",
    "stage",
    "status",
    "placed_in",
    "meetings_logged",
    "last_meeting",
    "did_you_meet_asked",
    "did_you_meet_answered",
    "did_you_meet_yes",
    "response_rate",
)


def _rate(check_ins: CheckIns) -> str:
    value = check_ins.response_rate
    return "" if value is None else f"{value:.3f}"


def _counts(meetings: int, last_met: date | None, check_ins: CheckIns) -> tuple[object, ...]:
    return (
        meetings,
        last_met.isoformat() if last_met else "",
        check_ins.asked,
        check_ins.answered,
        check_ins.yes,
        _rate(check_ins),
    )


def participation_csv(entries: Sequence[RosterEntry], relationships: Sequence[RelationshipRow]) -> str:
    """Members first (by name), then relationships (oldest first); rates blank when nobody was asked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        placed = "; ".join(
            f"{p.kind} {p.label}".strip() if p.kind == "circle" else f"mentorship as {p.role}"
            for p in entry.placements
        )
        writer.writerow(
            (
                "member",
                entry.program,
                entry.user_id,
                entry.name,
                " ".join(entry.roles),
                entry.stage or "",
                entry.status.value,
                placed,
                *_counts(entry.meetings, entry.last_met, entry.check_ins),
            )
        )
    for row in relationships:
        writer.writerow(
            (
                row.kind,
                row.program,
                " ".join(user_id for user_id, _, _ in row.people),
                "; ".join(name for _, name, _ in row.people),
                " ".join(role for _, _, role in row.people),
                "",
                "live" if row.live else "ended",
                f"since {row.started_on.isoformat()}",
                *_counts(row.meetings, row.last_met, row.check_ins),
            )
        )
    return buffer.getvalue()
