"""Acks under Slack's real rate limits: 64 members sending a mix of `/mentor` commands at once.

The real app (HTTP, effect workers, the database) runs against the sandbox Slack with its rate limits
on; the load comes from a separate process. Each simulated member loops over the mix (help, ask, goal
add, goal done, goals, profile, met, pause/resume). A help-only run with the same clients, in the same
process, is the baseline. Slack counts a command as lost when the ack takes 3 s or more.

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

from bench.latency.run import percentile, send_signed
from bot.composition import BackgroundEffects, build_services, build_web_application
from bot.config import Settings
from bot.domain.members import ProfileDraft
from bot.sandbox import Sandbox, default_spec_path
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


def client_run(args: tuple[str, str, list[dict[str, str]], int]) -> list[tuple[str, float, int]]:
    """One member: send their forms `loops` times over; (command, ack ms, HTTP status) for each."""
    url, secret, forms, loops = args
    results = []
    for _ in range(loops):
        for form in forms:
            status, ms = send_signed(url, secret, form)
            results.append((form["text"].split()[0], ms, status))
    return results


def load(job: tuple[str, str, list[list[dict[str, str]]], int]) -> tuple[list[tuple[str, float, int]], float]:
    url, secret, per_member, loops = job
    started = time.perf_counter()
    with ThreadPoolExecutor(len(per_member)) as pool:
        runs = list(pool.map(client_run, [(url, secret, forms, loops) for forms in per_member]))
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


def run(database_url: str | None, members: int, loops: int) -> dict[str, object]:
    with Sandbox(spec_path=default_spec_path()) as sandbox, tempfile.TemporaryDirectory() as tmp:
        team = sandbox.add_workspace("T0MIXED", name="Mixed Residency")
        users = [sandbox.add_user(team.team_id, f"resident{i}", f"Resident {i}") for i in range(members)]
        db = Database(database_url or f"sqlite:///{tmp}/bench.db")
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
            for user in users:
                member = MemberRepository(session, space.id).ensure(user.id, display_name=user.real_name)
                ProfileRepository(session, space.id).save(member, PROFILE, datetime.now(UTC))
        services = build_services(settings, db=db)
        _, web = build_web_application(settings, services)
        server = make_http_server(web)
        start_in_thread(server)
        effects = BackgroundEffects.start(services)
        url = f"http://127.0.0.1:{server.server_port}/slack/events"

        def forms(texts: tuple[str, ...]) -> list[list[dict[str, str]]]:
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
                for user in users
            ]

        context = multiprocessing.get_context("spawn")
        results: dict[str, object] = {}
        try:
            with context.Pool(1) as pool:
                help_rows, _ = pool.apply(
                    load, ((url, sandbox.signing_secret, forms(("help",)), len(MIX) * loops),)
                )
                publishes_before = len(sandbox.calls("views.publish"))
                started = time.monotonic()
                mixed_rows, seconds = pool.apply(load, ((url, sandbox.signing_secret, forms(MIX), loops),))
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
        return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=64)
    parser.add_argument("--loops", type=int, default=6, help="times each member sends the whole mix")
    parser.add_argument(
        "--database-url", default=os.environ.get("TEST_DATABASE_URL"), help="default: a temporary SQLite file"
    )
    options = parser.parse_args()
    databases = [("sqlite", None)]
    if options.database_url:
        databases.append(("postgresql", options.database_url))
    report = {name: run(url, options.members, options.loops) for name, url in databases}
    print(
        f"{options.members} members at once over HTTP, Slack's rate limits on; mix = {', '.join(m.split()[0] for m in MIX)}"
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
