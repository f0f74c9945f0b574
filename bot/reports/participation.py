"""The participation CSV for program evaluation: one row per member in each program, and one per circle
or mentorship. Names, roles, dates and counts only: never goals, notes or do-not-match lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date

from bot.domain.feedback import LatestRound
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
    "feedback_round",
    "feedback_answered",
    "health_score",
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


def _member_feedback(latest: LatestRound | None, user_id: str) -> tuple[object, ...]:
    """The program's latest round and whether the member answered it; never their answers or score."""
    if latest is None or user_id not in latest.asked:
        return ("", "", "")
    return (latest.round_name, "yes" if latest.answered(user_id) else "no", "")


def _group_feedback(latest: LatestRound | None, user_ids: Sequence[str]) -> tuple[object, ...]:
    """The latest round, how many of its people answered it, and their health score (once enough did)."""
    if latest is None:
        return ("", "", "")
    asked, answered, score = latest.group(user_ids)
    if not asked:
        return ("", "", "")
    return (latest.round_name, answered, "" if score is None else score)


def participation_csv(
    entries: Sequence[RosterEntry],
    relationships: Sequence[RelationshipRow],
    feedback: Mapping[str, LatestRound] | None = None,
) -> str:
    """Members first (by name), then relationships (oldest first); rates blank when nobody was asked.

    `feedback` (program name -> its latest round with end-of-round feedback) fills the last columns."""
    feedback = feedback or {}
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
                *_member_feedback(feedback.get(entry.program), entry.user_id),
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
                *_group_feedback(feedback.get(row.program), [user_id for user_id, _, _ in row.people]),
            )
        )
    return buffer.getvalue()
