"""A 40-member program (circles and 1:1 mentoring) through one academic year on the sandbox clock.

    python -m bench.simulation.year [--members 40] [--database-url URL] [--json PATH]
                                    [--days 366] [--tick-hours 3] [--seed 13]

The running app, the sandbox Slack (rate limits on) and a real database (SQLite unless `--database-url`).
The clock ticks every `--tick-hours` sandbox hours from July 1: the clock's jobs publish each program's
rounds, plan the nudges and deliver them. A third of the members answer 80% of their check-ins, a third
50%, a third 10%, by pressing the buttons in their DMs some hours after they arrive; 30% of the groups
each round plan their first meeting with "find a time" (proposal, then votes in the group DM).

Measured from the sandbox: nudge DMs (the ones the weekly budget counts), all DMs from the app, and all
app messages a member sees (group DMs included), per member and local week; who was paused for not
answering, when, and after how many days of silence; meetings settled through "find a time". Checks the
goals (at most the budget of nudge DMs every week; nobody paused before 21 days of silence), prints a
table with PASS/FAIL and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from statistics import mean
from typing import Any

from bench.databases import drop_database, fresh_database
from bench.simulation.program import ANSWER_RATES, SPEEDUP, Plan, Results, simulate
from bot.config import parse_settings
from storage import migrate
from storage.db import Database


def summary(results: Results) -> dict[str, Any]:
    def weekly(counts: dict[str, dict[Any, int]]) -> dict[str, Any]:
        rows = results.per_week(counts)
        return {
            "mean": round(mean(row[1] for row in rows), 2),
            "max": max(row[2] for row in rows),
            "weeks": [{"week": w.isoformat(), "mean": round(m, 2), "max": x} for w, m, x in rows],
        }

    by_rate = {}
    for rate in ANSWER_RATES:
        group = [p for p in results.people.values() if p.rate == rate]
        paused = [pause for pause in results.pauses if pause.rate == rate]
        by_rate[str(rate)] = {"members": len(group), "paused": len(paused)}
    return {
        "budget": results.budget,
        "weeks": len(results.weeks),
        "nudge_dms": weekly(results.nudge_dms),
        "member_dms": weekly(results.member_dms),
        "all_app_messages_seen": weekly(results.seen),
        "paused": {
            "share": round(len(results.pauses) / len(results.people), 3),
            "by_answer_rate": by_rate,
            "each": [
                {
                    "rate": p.rate,
                    "day": p.day,
                    "silent_days": round(p.silent_days, 1),
                    "idle_days": round(p.idle_days, 1),
                }
                for p in results.pauses
            ],
        },
        "find_a_time": {"proposed": results.find_a_time_started, "settled": results.planned_meetings},
        "answers_pressed": results.answers,
        "http_429": results.http_429,
        "goals": {
            "max_nudge_dms_within_budget_every_week": results.within_budget,
            "no_pause_before_21_days_of_silence": results.no_early_pause,
        },
    }


def table(data: dict[str, Any], seconds: float) -> str:
    lines = [f"{'per member and local week':<34} | {'mean':>5} | {'max':>4}", f"{'-' * 34}-+-------+-----"]
    for key, label in (
        ("nudge_dms", "nudge DMs (budgeted)"),
        ("member_dms", "all DMs from the app"),
        ("all_app_messages_seen", "all app messages seen (+ groups)"),
    ):
        lines.append(f"{label:<34} | {data[key]['mean']:>5} | {data[key]['max']:>4}")
    paused = data["paused"]
    silent = [p["silent_days"] for p in paused["each"]]
    days = [p["day"] for p in paused["each"]]
    rates = ", ".join(
        f"{float(rate):.0%} answerers {v['paused']}/{v['members']}"
        for rate, v in paused["by_answer_rate"].items()
    )
    lines += [
        f"auto-paused: {len(silent)} of {sum(v['members'] for v in paused['by_answer_rate'].values())} "
        f"({paused['share']:.0%}); {rates}",
    ]
    if silent:
        lines.append(
            f"  paused on program days {min(days)}-{max(days)} (median {sorted(days)[len(days) // 2]}); "
            f"days of silence at the pause: min {min(silent)}, max {max(silent)}"
        )
        idle = [p["idle_days"] for p in paused["each"]]
        lines.append(f"  days since anything (answer, proposal or vote): min {min(idle)}, max {max(idle)}")
    fat = data["find_a_time"]
    lines.append(f"find a time: {fat['proposed']} proposals, {fat['settled']} meetings settled by vote")
    lines.append(
        f"answers pressed: {data['answers_pressed']}; HTTP 429s from the sandbox: {data['http_429']}"
    )
    goals = data["goals"]
    lines.append(
        f"goal: nudge DMs <= budget ({data['budget']}) every week: "
        f"{'PASS' if goals['max_nudge_dms_within_budget_every_week'] else 'FAIL'}"
    )
    lines.append(
        f"goal: no pause before day 21 of silence: "
        f"{'PASS' if goals['no_pause_before_21_days_of_silence'] else 'FAIL'}"
    )
    lines.append(f"{data['weeks']} local weeks, wall time {seconds:.0f} s")
    return "\n".join(lines)


def run(database_url: str | None, plan: Plan) -> Results:
    with tempfile.TemporaryDirectory() as tmp:
        if database_url:
            base_url = parse_settings({"DATABASE_URL": database_url}).database_url
            db, scratch = fresh_database(base_url, "year")
        else:
            db, scratch, base_url = Database(f"sqlite:///{tmp}/year.db"), None, ""
            migrate.upgrade(db)
        try:
            return simulate(db, plan)
        finally:
            db.dispose()
            if scratch:
                drop_database(base_url, scratch)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL; SQLite when omitted")
    parser.add_argument("--json", type=Path, default=Path("bench/results/simulation_year.json"))
    parser.add_argument("--days", type=int, default=366)
    parser.add_argument("--tick-hours", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    plan = Plan(members=args.members, days=args.days, tick_hours=args.tick_hours, seed=args.seed)
    started = time.perf_counter()
    results = run(args.database_url, plan)
    seconds = time.perf_counter() - started
    data = summary(results)
    print(table(data, seconds))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    config = {
        "members": plan.members,
        "start": plan.start.isoformat(),
        "days": plan.days,
        "tick_hours": plan.tick_hours,
        "seed": plan.seed,
        "answer_rates": list(ANSWER_RATES),
        "find_a_time_share": plan.find_a_time_share,
        "rate_limits": f"on, wall-clock rates x{SPEEDUP:g} (sandbox limits and app pacing alike)",
        "database": "postgresql" if args.database_url else "sqlite",
        "wall_seconds": round(seconds, 1),
    }
    args.json.write_text(json.dumps({"config": config, **data}, indent=2) + "\n")
    return 0 if all(data["goals"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
