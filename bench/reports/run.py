"""How long `/mentor admin stats` takes to gather a report, draw its chart and write its CSV.

A year of synthetic history per size (members, circles, meetings, goals, "did you meet?" nudges, FAQ
misses) in a fresh SQLite database; each step is timed as the median of several runs.

    python -m bench.reports
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bot.reports.chart import meetings_chart_png
from bot.reports.export import report_csv
from bot.reports.gather import gather_report
from storage import migrate
from storage.db import Database
from storage.models import FaqMiss, Goal, Meeting, Member, OutboxNudge, Relationship, Workspace

RESULTS = Path(__file__).resolve().parents[1] / "results" / "reports.json"
SIZES = (100, 1_000, 5_000)
REPEATS = 5
START = datetime(2026, 7, 1, 14, tzinfo=UTC)
TODAY = date(2027, 6, 30)


def seed(db: Database, members: int, rng: random.Random) -> dict[str, int]:
    def moment() -> datetime:
        return START + timedelta(days=rng.randrange(364), hours=rng.randrange(8))

    with db.session() as session:
        session.execute(insert(Workspace), [{"id": 1, "team_id": "TBENCH"}])
        session.execute(
            insert(Member),
            [
                {
                    "id": i + 1,
                    "workspace_id": 1,
                    "slack_user_id": f"U{i:07d}",
                    "status": rng.choice(["active"] * 8 + ["paused", "left"]),
                    "joined_at": START,
                }
                for i in range(members)
            ],
        )
        circles = members // 4
        session.execute(
            insert(Relationship), [{"id": i + 1, "workspace_id": 1, "kind": "circle"} for i in range(circles)]
        )
        meetings = [
            {
                "workspace_id": 1,
                "relationship_id": rng.randrange(circles) + 1,
                "held_on": moment().date(),
                "dedupe_key": f"m{i}",
            }
            for i in range(members * 3)
        ]
        session.execute(insert(Meeting), meetings)
        goals = [
            {
                "workspace_id": 1,
                "member_id": i % members + 1,
                "number": i // members + 1,
                "text": "goal",
                "status": "done" if rng.random() < 0.3 else "open",
                "created_at": moment(),
                "completed_at": moment(),
            }
            for i in range(members * 2)
        ]
        session.execute(insert(Goal), goals)
        nudges = [
            {
                "workspace_id": 1,
                "kind": "did_you_meet",
                "key": f"dym{i}",
                "user_id": f"U{i % members:07d}",
                "due_at": (sent := moment()),
                "sent_at": sent,
                "payload": {},
                "status": "sent" if i % 50 else "dead",
                "response": rng.choice([None, "met", "met", "not_yet", "scheduled"]),
            }
            for i in range(members * 12)
        ]
        session.execute(insert(OutboxNudge), nudges)
        session.execute(
            insert(FaqMiss),
            [
                {"workspace_id": 1, "question": f"question {i % 40}", "reason": "declined"}
                for i in range(members)
            ],
        )
    return {"members": members, "meetings": len(meetings), "goals": len(goals), "nudges": len(nudges)}


def median_ms(step: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        step()
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 1)


def measure(members: int, folder: Path) -> dict[str, float | int]:
    db = Database(f"sqlite:///{folder / f'reports-{members}.db'}")
    migrate.upgrade(db)
    sizes = seed(db, members, random.Random(members))

    def gather():  # type: ignore[no-untyped-def]
        with db.session() as session:
            return gather_report(session, 1, TODAY, "bench")

    report = gather()
    png = meetings_chart_png(report.cycles, report.title)
    row: dict[str, float | int] = {
        **sizes,
        "gather_ms": median_ms(gather),
        "chart_ms": median_ms(lambda: meetings_chart_png(report.cycles, report.title)),
        "csv_ms": median_ms(lambda: report_csv(report)),
        "png_bytes": len(png),
    }
    db.dispose()
    return row


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = [measure(members, Path(folder)) for members in SIZES]
    header = f"{'members':>8} {'meetings':>9} {'nudges':>8} {'gather ms':>10} {'chart ms':>9} {'csv ms':>7} {'png KB':>7}"
    print(header)
    for row in rows:
        print(
            f"{row['members']:>8} {row['meetings']:>9} {row['nudges']:>8} {row['gather_ms']:>10} "
            f"{row['chart_ms']:>9} {row['csv_ms']:>7} {int(row['png_bytes']) // 1024:>7}"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"repeats": REPEATS, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
