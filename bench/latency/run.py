"""Latency of `/mentor help` over real HTTP against a bare Bolt app that only acks.

Both apps run behind the same threaded WSGI server, against the same sandbox Slack, in the same run; the
load comes from a separate process (so the client does not share the servers' GIL) with 32 concurrent
clients sending signed slash commands. Rounds alternate bare/real to cancel drift.

    python -m bench.latency.run [--requests 4000] [--concurrency 32] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from slack_bolt import App

from bot.composition import build_services, build_web_application
from bot.config import Settings
from bot.sandbox import Sandbox, default_spec_path, sign
from bot.server import make_http_server, start_in_thread
from bot.web import WebApplication
from storage import migrate
from storage.db import Database

RESULTS = Path(__file__).resolve().parents[1] / "results" / "latency.json"


def bare_app(settings: Settings, client) -> WebApplication:  # type: ignore[no-untyped-def]
    app = App(signing_secret=settings.slack_signing_secret, client=client, token_verification_enabled=False)

    @app.command("/mentor")
    def only_ack(ack) -> None:  # type: ignore[no-untyped-def]
        ack()

    return WebApplication(app, health_check=lambda: None)


def fire(args: tuple[str, str, list[dict[str, str]], int]) -> tuple[list[float], int]:
    """One client thread: send `count` signed requests, return their latencies (ms) and the error count."""
    url, secret, forms, count = args
    latencies, errors = [], 0
    for i in range(count):
        status, ms = send_signed(url, secret, forms[i % len(forms)])
        latencies.append(ms)
        errors += 0 if status == 200 else 1
    return latencies, errors


def send_signed(url: str, secret: str, form: dict[str, str]) -> tuple[int, float]:
    """POST a slash command signed as Slack signs it: (HTTP status, 0 when unreachable; milliseconds)."""
    body = urlencode(form)
    ts = int(time.time())
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(secret, ts, body),
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        status = 0
    return status, (time.perf_counter() - started) * 1000


def load(job: tuple[str, str, list[dict[str, str]], int, int]) -> tuple[list[float], int, float]:
    url, secret, forms, total, concurrency = job
    per_client = total // concurrency
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(fire, [(url, secret, forms, per_client)] * concurrency))
    elapsed = time.perf_counter() - started
    return [ms for lat, _ in results for ms in lat], sum(err for _, err in results), elapsed


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000, help="requests per app per round")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()

    with Sandbox(spec_path=default_spec_path()) as sandbox, tempfile.TemporaryDirectory() as tmp:
        sandbox.rate_limits.enabled = False
        team = sandbox.add_workspace("T0BENCH", name="Bench Residency")
        users = [sandbox.add_user(team.team_id, f"resident{i}") for i in range(32)]
        db = Database(f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(db)
        settings = Settings(
            slack_bot_token=team.bot_token,
            slack_signing_secret=sandbox.signing_secret,
            slack_api_url=sandbox.api_url,
            database_url=db.url,
            log_level="WARNING",
        )
        services = build_services(settings, db=db)
        _, real = build_web_application(settings, services)
        servers = {
            "bare": make_http_server(bare_app(settings, services.slack_client)),
            "real": make_http_server(real),
        }
        for server in servers.values():
            start_in_thread(server)
        forms = [
            {
                "token": "bench",
                "team_id": team.team_id,
                "team_domain": team.domain,
                "channel_id": "D0BENCH",
                "channel_name": "directmessage",
                "user_id": user.id,
                "user_name": user.name,
                "command": "/mentor",
                "text": "help",
                "api_app_id": sandbox.app_id,
                "is_enterprise_install": "false",
                "response_url": f"{sandbox.api_url}../response/bench",
                "trigger_id": "bench.trigger",
            }
            for user in users
        ]
        samples: dict[str, list[float]] = {"bare": [], "real": []}
        errors = {"bare": 0, "real": 0}
        elapsed = {"bare": 0.0, "real": 0.0}
        context = multiprocessing.get_context("spawn")
        with context.Pool(1) as pool:
            for server in servers.values():
                url = f"http://127.0.0.1:{server.server_port}/slack/events"
                pool.apply(load, ((url, sandbox.signing_secret, forms, 320, options.concurrency),))
            for _ in range(options.rounds):
                for name, server in servers.items():
                    url = f"http://127.0.0.1:{server.server_port}/slack/events"
                    job = (url, sandbox.signing_secret, forms, options.requests, options.concurrency)
                    latencies, failed, seconds = pool.apply(load, (job,))
                    samples[name] += latencies
                    errors[name] += failed
                    elapsed[name] += seconds
        for server in servers.values():
            server.shutdown()
            server.server_close()

    report = {
        name: {
            "requests": len(samples[name]),
            "errors": errors[name],
            "p50_ms": round(percentile(samples[name], 50), 2),
            "p95_ms": round(percentile(samples[name], 95), 2),
            "p99_ms": round(percentile(samples[name], 99), 2),
            "throughput_rps": round(len(samples[name]) / elapsed[name], 1),
        }
        for name in ("bare", "real")
    }
    report["ratio"] = {
        key: round(report["real"][key] / report["bare"][key], 3) for key in ("p50_ms", "p95_ms", "p99_ms")
    }
    report["concurrency"] = options.concurrency
    print(
        f"/mentor help over HTTP, {options.concurrency} concurrent clients, {options.rounds} alternating rounds"
    )
    print(f"{'app':<6} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for name in ("bare", "real"):
        row = report[name]
        print(
            f"{name:<6} {row['requests']:>8} {row['errors']:>6} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['p99_ms']:>8} {row['throughput_rps']:>8}"
        )
    ratio = report["ratio"]
    print(f"{'ratio':<6} {'':>8} {'':>6} {ratio['p50_ms']:>8} {ratio['p95_ms']:>8} {ratio['p99_ms']:>8}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
