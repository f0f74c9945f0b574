"""Acks under Slack's real rate limits: 64 members sending a mix of `/mentor` commands at once.

The real app (HTTP, effect workers, the database) runs against the sandbox Slack with its rate limits
on; the load comes from a separate process. Each simulated member loops over the mix (help, ask, goal
add, goal done, goals, profile, met, pause/resume). A help-only run with the same clients, in the same
process, is the baseline. Slack counts a command as lost when the ack takes 3 s or more.

Each member sends one command a second (`--pace`; 64 commands a second in all, far above what a program
sends), spread evenly, so the run measures acks under a heavy steady load rather than queueing at
saturation (`--pace 0` sends back to back). One extra member sends the whole mix once first, so the
process's first-use costs (statement compilation, the first FAQ index) are not counted as acks.

    python -m bench.latency.mixed [--members 64] [--loops 6] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench.databases import drop_database, fresh_database
from bench.latency.run import percentile, send_signed
from bot.composition import BackgroundEffects, build_services, build_web_application
from bot.config import Settings
from bot.domain.members import ProfileDraft
from bot.sandbox import Sandbox, User, default_spec_path
from bot.server import make_http_server, start_in_thread
from storage import migrate
from storage.db import Database
from storage.repositories import MemberRepository, ProfileRepository, WorkspaceRepository

RESULTS = Path(__file__).resolve().parents[1] / "results" / "latency_mixed.json"
ACK_LIMIT_MS = 3000.0
MIX = (
    "help",
    "ask how often should we meet",
    "goal add Present a poster at the spring meeting",
    "goal done 1",
    "goals",
    "profile",
    "met",
    "pause",
    "resume",
)
PROFILE = ProfileDraft(
    roles=("peer", "mentee"),
    stage="PGY-2",
    specialty="internal-medicine",
    track="academic",
    needs=("research",),
    frequency="monthly",
    tz="America/Chicago",
)


def command_name(text: str) -> str:
    """`goal add` and `goal done` apart; every other command by its first word."""
    words = text.split()
    return " ".join(words[:2]) if words[0] == "goal" else words[0]


def client_run(
    args: tuple[str, str, list[dict[str, str]], int, float, float],
) -> list[tuple[str, float, int]]:
    """One member: send their forms `loops` times over, one every `pace` seconds (0: back to back);
    (command, ack ms, HTTP status) for each."""
    url, secret, forms, loops, pace, offset = args
    results = []
    due = time.perf_counter() + offset
    for _ in range(loops):
        for form in forms:
            if pace:
                time.sleep(max(0.0, due - time.perf_counter()))
                due += pace
            status, ms = send_signed(url, secret, form)
            results.append((command_name(form["text"]), ms, status))
    return results


def load(
    job: tuple[str, str, list[list[dict[str, str]]], int, float],
) -> tuple[list[tuple[str, float, int]], float]:
    url, secret, per_member, loops, pace = job
    started = time.perf_counter()
    spread = pace / len(per_member)
    with ThreadPoolExecutor(len(per_member)) as pool:
        runs = list(
            pool.map(
                client_run,
                [(url, secret, forms, loops, pace, i * spread) for i, forms in enumerate(per_member)],
            )
        )
    return [row for run in runs for row in run], time.perf_counter() - started


def summary(rows: list[tuple[str, float, int]]) -> dict[str, float | int]:
    latencies = [ms for _, ms, _ in rows]
    return {
        "requests": len(rows),
        "acked_in_3s": sum(1 for _, ms, status in rows if status == 200 and ms < ACK_LIMIT_MS),
        "missed_acks": sum(1 for _, ms, status in rows if status == 404 or ms >= ACK_LIMIT_MS),
        "errors": sum(1 for _, _, status in rows if status not in (200, 404)),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
    }


def run(database_url: str | None, members: int, loops: int, pace: float) -> dict[str, object]:
    with Sandbox(spec_path=default_spec_path()) as sandbox, tempfile.TemporaryDirectory() as tmp:
        team = sandbox.add_workspace("T0MIXED", name="Mixed Residency")
        users = [sandbox.add_user(team.team_id, f"resident{i}", f"Resident {i}") for i in range(members)]
        warmer = sandbox.add_user(team.team_id, "warmup", "Warm Up")
        if database_url:
            db, scratch = fresh_database(database_url, "mixed")
        else:
            db, scratch = Database(f"sqlite:///{tmp}/bench.db"), None
            migrate.upgrade(db)
        settings = Settings(
            slack_bot_token=team.bot_token,
            slack_signing_secret=sandbox.signing_secret,
            slack_api_url=sandbox.api_url,
            database_url=db.url,
            log_level="ERROR",
        )
        with db.session() as session:
            space = WorkspaceRepository(session).ensure(team.team_id)
            for user in [*users, warmer]:
                member = MemberRepository(session, space.id).ensure(user.id, display_name=user.real_name)
                ProfileRepository(session, space.id).save(member, PROFILE, datetime.now(UTC))
        services = build_services(settings, db=db)
        _, web = build_web_application(settings, services)
        server = make_http_server(web)
        start_in_thread(server)
        effects = BackgroundEffects.start(services)
        url = f"http://127.0.0.1:{server.server_port}/slack/events"

        def forms(texts: tuple[str, ...], people: list[User] = users) -> list[list[dict[str, str]]]:
            return [
                [
                    {
                        "token": "bench",
                        "team_id": team.team_id,
                        "team_domain": team.domain,
                        "channel_id": "D0BENCH",
                        "channel_name": "directmessage",
                        "user_id": user.id,
                        "user_name": user.name,
                        "command": "/mentor",
                        "text": text,
                        "api_app_id": sandbox.app_id,
                        "is_enterprise_install": "false",
                        "response_url": f"{sandbox.api_url}../response/bench",
                        "trigger_id": "bench.trigger",
                    }
                    for text in texts
                ]
                for user in people
            ]

        context = multiprocessing.get_context("spawn")
        results: dict[str, object] = {}
        try:
            for form in forms(MIX, [warmer])[0]:
                send_signed(url, sandbox.signing_secret, form)
            effects.worker.drain(timeout=60)
            with context.Pool(1) as pool:
                help_rows, _ = pool.apply(
                    load, ((url, sandbox.signing_secret, forms(("help",)), len(MIX) * loops, pace),)
                )
                publishes_before = len(sandbox.calls("views.publish"))
                started = time.monotonic()
                mixed_rows, seconds = pool.apply(
                    load, ((url, sandbox.signing_secret, forms(MIX), loops, pace),)
                )
                effects.worker.drain(timeout=120)
                minutes = (time.monotonic() - started) / 60
                publishes = sandbox.calls("views.publish")[publishes_before:]
                limited = sum(1 for call in publishes if call.response.get("error") == "ratelimited")
        finally:
            effects.stop()
            server.shutdown()
            server.server_close()
        results["help"] = summary(help_rows)
        results["mix"] = summary(mixed_rows)
        results["by_command"] = {
            word: summary([row for row in mixed_rows if row[0] == word])
            for word in dict.fromkeys(row[0] for row in mixed_rows)
        }
        results["p99_ratio"] = round(results["mix"]["p99_ms"] / results["help"]["p99_ms"], 3)  # type: ignore[index]
        results["views_publish_per_minute"] = round(len(publishes) / minutes, 1)
        results["views_publish_429"] = limited
        results["mix_seconds"] = round(seconds, 1)
        db.dispose()
        if scratch is not None:
            drop_database(database_url or "", scratch)
        return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=64)
    parser.add_argument("--loops", type=int, default=6, help="times each member sends the whole mix")
    parser.add_argument(
        "--pace",
        type=float,
        default=1.0,
        help="seconds between one member's commands (0: back to back, a saturation test)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("TEST_DATABASE_URL"),
        help="also run on PostgreSQL, in a throwaway database made on this server",
    )
    options = parser.parse_args()
    databases = [("sqlite", None)]
    if options.database_url:
        databases.append(("postgresql", options.database_url))
    report = {name: run(url, options.members, options.loops, options.pace) for name, url in databases}
    print(
        f"{options.members} members at once over HTTP, Slack's rate limits on; mix = {', '.join(command_name(m) for m in MIX)}"
    )
    print(
        f"{'database':<11} {'run':<5} {'requests':>8} {'acked<3s':>8} {'missed':>6} {'errors':>6} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'p99 ratio':>9} {'publish/min':>11} {'429s':>5}"
    )
    for name, result in report.items():
        for run_name in ("help", "mix"):
            row = result[run_name]  # type: ignore[index]
            extra = (
                f"{result['p99_ratio']:>9} {result['views_publish_per_minute']:>11} {result['views_publish_429']:>5}"
                if run_name == "mix"
                else f"{'':>9} {'':>11} {'':>5}"
            )
            print(
                f"{name:<11} {run_name:<5} {row['requests']:>8} {row['acked_in_3s']:>8} {row['missed_acks']:>6} "
                f"{row['errors']:>6} {row['p50_ms']:>8} {row['p99_ms']:>8} {extra}"
            )
    for name, result in report.items():
        by_command = result["by_command"]  # type: ignore[index]
        print(
            f"{name}: p99 ms by command: "
            + ", ".join(f"{word} {row['p99_ms']}" for word, row in by_command.items())
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
