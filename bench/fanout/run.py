"""Fan-out: 10,000 due nudges across 20 sandbox workspaces, delivered by worker processes on PostgreSQL.

    python -m bench.fanout.run [--database-url postgresql://postgres@127.0.0.1:5432/test]
                               [--workspaces 20] [--users 500] [--per-minute 500]
                               [--processes 4] [--threads 6] [--out bench/results/fanout.json]

The sandbox enforces Slack-like limits on chat.postMessage: about one a second per channel (burst 3)
and a workspace-wide ceiling per minute (`--per-minute`); the workers pace themselves to that ceiling.
Planning is the real planner and policy over real member, goal and check-in rows (one goal check-in per
mentee, members spread over eleven time zones). Two delivery runs: a clean one, and one where a worker
process is SIGKILLed halfway and a new one started. Reports delivered per second as a fraction of the
sandbox's ceiling, duplicates, lost, 429s and dead letters; prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select, text

from bench.databases import drop_database, fresh_database
from bot.config import parse_settings
from bot.nudges.planner import Planner
from bot.sandbox import RateLimits, Sandbox, default_spec_path
from storage.db import Database
from storage.models import Goal, GoalCheckin, Member, OutboxNudge, OutboxPacing, Workspace

ZONES = (
    "America/Los_Angeles",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)
CHECKIN_DAY = date(2027, 3, 2)
"""A Tuesday: each mentee's monthly goal check-in falls on it, in their own zone."""
PLAN_AT = datetime(2027, 3, 2, 6, 0, tzinfo=UTC)
DELIVER_AT = PLAN_AT + timedelta(days=2)
"""The app clock of the delivery runs: every planned check-in is due by then."""


# -- set-up ------------------------------------------------------------------------------------------


def populate(db: Database, sandbox: Sandbox, workspaces: int, users: int) -> dict[str, str]:
    """Workspaces of mentees with one open goal each; {team id: bot token}."""
    tokens: dict[str, str] = {}
    for w in range(workspaces):
        space = sandbox.add_workspace(f"T0BENCH{w:02d}", name=f"Residency {w}")
        tokens[space.team_id] = space.bot_token
        user_ids = [sandbox.add_user(space.team_id, f"r{w}_{i}").id for i in range(users)]
        with db.session() as session:
            workspace = Workspace(team_id=space.team_id, name=space.name)
            session.add(workspace)
            session.flush()
            rows = []
            for i, user_id in enumerate(user_ids):
                zone = ZONES[i % len(ZONES)]
                joined = datetime.combine(CHECKIN_DAY - timedelta(days=30), clock_time(12), ZoneInfo(zone))
                rows.append(
                    {
                        "workspace_id": workspace.id,
                        "slack_user_id": user_id,
                        "display_name": f"Resident {i}",
                        "tz": zone,
                        "roles": ["mentee"],
                        "frequency": "monthly",
                        "joined_at": joined.astimezone(UTC),
                    }
                )
            session.execute(insert(Member), rows)
            members = session.execute(
                select(Member.id, Member.joined_at).where(Member.workspace_id == workspace.id)
            ).all()
            goal_ids = session.scalars(
                insert(Goal).returning(Goal.id, sort_by_parameter_order=True),
                [
                    {
                        "workspace_id": workspace.id,
                        "member_id": member_id,
                        "number": 1,
                        "text": "Submit the QI abstract",
                    }
                    for member_id, _ in members
                ],
            ).all()
            session.execute(
                insert(GoalCheckin),
                [
                    {"goal_id": goal_id, "kind": "created", "created_at": joined}
                    for goal_id, (_, joined) in zip(goal_ids, members, strict=True)
                ],
            )
    return tokens


# -- one delivery run ---------------------------------------------------------------------------------


def start_worker(
    args: argparse.Namespace, db: Database, sandbox: Sandbox, tokens_file: Path
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "bench.fanout.worker",
        "--database-url",
        db.url,
        "--api-url",
        sandbox.api_url,
        "--tokens",
        str(tokens_file),
        "--at",
        DELIVER_AT.isoformat(),
        "--workers",
        str(args.threads),
        "--per-minute",
        str(args.per_minute),
        "--reclaim-after",
        str(args.reclaim_after),
    ]
    return subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(Path.cwd())})


def outbox_statuses(db: Database) -> Counter[str]:
    with db.session() as session:
        return Counter(
            dict(session.execute(text("SELECT status, count(*) FROM outbox GROUP BY status")).all())
        )


def deliver(
    args: argparse.Namespace,
    db: Database,
    sandbox: Sandbox,
    tokens_file: Path,
    expected: set[str],
    kill: bool,
) -> dict[str, Any]:
    sandbox.reset_calls()
    sandbox.web.rate_limiter.reset()
    workers = [start_worker(args, db, sandbox, tokens_file) for _ in range(args.processes)]
    killed_at: int | None = None
    started = time.monotonic()
    try:
        while True:
            time.sleep(0.25)
            if kill and killed_at is None and len(sandbox.calls("chat.postMessage")) >= len(expected) // 2:
                workers[0].send_signal(signal.SIGKILL)
                workers[0].wait()
                killed_at = len(sandbox.calls("chat.postMessage"))
                workers[0] = start_worker(args, db, sandbox, tokens_file)
            statuses = outbox_statuses(db)
            if statuses.get("pending", 0) + statuses.get("sending", 0) == 0:
                break
            if time.monotonic() - started > args.timeout:
                break
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    calls = sandbox.calls("chat.postMessage")
    ok = [call for call in calls if call.status == 200 and call.response.get("ok")]
    keys = Counter(call.args["metadata"]["event_payload"]["key"] for call in ok)
    first, last = min(call.at for call in ok), max(call.at for call in ok)
    seconds = (last - first).total_seconds()
    ceiling = args.workspaces * args.per_minute / 60.0
    per_second = (len(ok) - 1) / seconds if seconds > 0 else float("nan")
    statuses = outbox_statuses(db)
    return {
        "run": "worker killed halfway" if kill else "clean",
        "delivered": len(keys),
        "seconds": round(seconds, 2),
        "per_second": round(per_second, 1),
        "ceiling_per_second": round(ceiling, 1),
        "fraction_of_ceiling": round(per_second / ceiling, 3),
        "duplicates": sum(count - 1 for count in keys.values()),
        "lost": len(expected - set(keys)),
        "http_429": sum(1 for call in calls if call.status == 429),
        "dead": statuses.get("dead", 0),
        "killed_after_posts": killed_at,
    }


def reset_outbox(db: Database) -> None:
    with db.session() as session:
        session.execute(delete(OutboxNudge))
        session.execute(delete(OutboxPacing))


def plan(db: Database) -> tuple[float, set[str]]:
    started = time.perf_counter()
    Planner(db).plan_all(PLAN_AT)
    seconds = time.perf_counter() - started
    with db.session() as session:
        keys = set(session.scalars(select(OutboxNudge.key)))
    return seconds, keys


# -- report -------------------------------------------------------------------------------------------


def table(rows: list[dict[str, Any]], plan_seconds: float, nudges: int) -> str:
    columns = [
        "run",
        "delivered",
        "seconds",
        "per_second",
        "ceiling_per_second",
        "fraction_of_ceiling",
        "duplicates",
        "lost",
        "http_429",
        "dead",
    ]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    lines = [" | ".join(c.ljust(widths[c]) for c in columns)]
    lines.append("-+-".join("-" * widths[c] for c in columns))
    lines += [" | ".join(str(r[c]).ljust(widths[c]) for c in columns) for r in rows]
    lines.append(f"planning {nudges} nudges (snapshot + policy + outbox insert): {plan_seconds:.2f} s")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_url = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
    parser.add_argument("--database-url", default=default_url)
    parser.add_argument("--workspaces", type=int, default=20)
    parser.add_argument("--users", type=int, default=500, help="mentees per workspace (one nudge each)")
    parser.add_argument("--per-minute", type=float, default=500.0, help="workspace-wide posts a minute")
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=6, help="delivery threads per process")
    parser.add_argument("--reclaim-after", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=150.0, help="seconds allowed per delivery run")
    parser.add_argument("--out", type=Path, default=Path("bench/results/fanout.json"))
    args = parser.parse_args()

    base_url = parse_settings({"DATABASE_URL": args.database_url}).database_url
    limits = RateLimits(
        post_per_second_per_channel=1.0, post_burst_per_channel=3, workspace_posts_per_minute=args.per_minute
    )
    db, name = fresh_database(base_url, "fanout")
    try:
        with (
            Sandbox(spec_path=default_spec_path(), rate_limits=limits) as sandbox,
            tempfile.TemporaryDirectory() as tmp,
        ):
            tokens_file = Path(tmp) / "tokens.json"
            tokens_file.write_text(json.dumps(populate(db, sandbox, args.workspaces, args.users)))
            plan_seconds, expected = plan(db)
            rows = [deliver(args, db, sandbox, tokens_file, expected, kill=False)]
            reset_outbox(db)
            replan_seconds, replanned = plan(db)
            assert replanned == expected
            rows.append(deliver(args, db, sandbox, tokens_file, expected, kill=True))
    finally:
        db.dispose()
        drop_database(base_url, name)
    print(table(rows, plan_seconds, len(expected)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "config": {
            "workspaces": args.workspaces,
            "nudges": len(expected),
            "workspace_posts_per_minute": args.per_minute,
            "post_per_second_per_channel": 1.0,
            "post_burst_per_channel": 3,
            "processes": args.processes,
            "threads_per_process": args.threads,
            "reclaim_after_s": args.reclaim_after,
            "database": "postgresql",
        },
        "plan_seconds": round(plan_seconds, 2),
        "replan_seconds": round(replan_seconds, 2),
        "runs": rows,
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
