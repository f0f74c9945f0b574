"""The long-running processes: `serve` (HTTP), `socket` (Socket Mode), `shell` (local sandbox), `clock`,
`deliver`, and the one-off `tick`."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta

from bot.composition import (
    BackgroundEffects,
    build_services,
    build_web_application,
    effect_worker,
    require_current_schema,
)
from bot.config import Settings, load_settings
from bot.logs import configure_logging
from bot.nudges.delivery import DeliveryOptions
from bot.nudges.pacing import SLACK_DEFAULT_PER_MINUTE, Pace
from bot.services import Services
from bot.startup import check_slack, listen

logger = logging.getLogger("mentor_circles")


TICK_NEEDS_CREDENTIALS = (
    "mentor-circles tick --deliver needs Slack credentials (SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and "
    "SLACK_CLIENT_SECRET): nothing was planned or sent, and every nudge stays pending."
)


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run the app over HTTP (POST /slack/events, GET /healthz)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT, or 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="interface to bind (default: all)")
    serve.add_argument("--with-clock", action="store_true", help="also run the clock and a delivery worker")
    serve.set_defaults(func=run_serve)
    socket_mode = subparsers.add_parser("socket", help="run the app over Socket Mode")
    socket_mode.add_argument(
        "--with-clock", action="store_true", help="also run the clock and a delivery worker"
    )
    socket_mode.set_defaults(func=run_socket)
    start = subparsers.add_parser(
        "start",
        help="run what the settings call for: Socket Mode, HTTP, or the sandbox shell when no Slack tokens are set",
    )
    start.set_defaults(func=run_start, port=None, host="0.0.0.0", script=None, with_clock=False)
    clock = subparsers.add_parser("clock", help="run the scheduler that plans nudges (one per deployment)")
    clock.add_argument("--interval-minutes", type=float, default=5.0, help="how often to plan (default 5)")
    clock.set_defaults(func=run_clock)
    deliver = subparsers.add_parser(
        "deliver",
        help="run workers that send due nudges and queued Slack work (App Homes, introductions, files)",
    )
    _delivery_options(deliver)
    deliver.set_defaults(func=run_deliver)
    tick = subparsers.add_parser("tick", help="plan (and with --deliver, send) what is due at one instant")
    tick.add_argument("--at", required=True, type=_instant, help="the instant, e.g. 2027-03-01T14:00:00Z")
    tick.add_argument("--deliver", action="store_true", help="also deliver everything due, then exit")
    _delivery_options(tick)
    tick.set_defaults(func=run_tick)
    shell = subparsers.add_parser("shell", help="try the app in a terminal with a local sandbox Slack")
    shell.add_argument("--script", help="read shell input from this file instead of the terminal")
    shell.set_defaults(func=run_shell)


def _settings() -> Settings:
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    return settings


def run_serve(args: argparse.Namespace) -> int:
    settings = _settings()
    server = listen(args.host, settings.port if args.port is None else args.port)
    services = build_services(settings)
    require_current_schema(services.db)
    check_slack(settings)
    _, web = build_web_application(settings, services)
    server.set_app(web)
    logger.info(
        "Mentor Circles listening on http://%s:%d (POST /slack/events)", args.host, server.server_port
    )
    clock = _start_clock(services) if getattr(args, "with_clock", False) else None
    effects = BackgroundEffects.start(services)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        effects.stop()
        if clock is not None:
            clock.stop()
    return 0


def run_socket(args: argparse.Namespace) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = _settings()
    app_token = settings.require_socket_mode()
    services = build_services(settings)
    require_current_schema(services.db)
    check_slack(settings, socket_mode=True)
    app, _ = build_web_application(settings, services)
    logger.info("Mentor Circles connecting over Socket Mode")
    clock = _start_clock(services) if getattr(args, "with_clock", False) else None
    effects = BackgroundEffects.start(services)
    try:
        SocketModeHandler(app, app_token).start()
    finally:
        effects.stop()
        if clock is not None:
            clock.stop()
    return 0


def run_start(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.slack_mode == "sandbox":
        return run_shell(args)
    if settings.slack_app_token:
        return run_socket(args)
    return run_serve(args)


def run_clock(args: argparse.Namespace) -> int:
    from bot.nudges.clock import run_clock as run_scheduler

    settings = _settings()
    services = build_services(settings)
    require_current_schema(services.db)
    try:
        run_scheduler(services.db, args.interval_minutes)
    except (KeyboardInterrupt, SystemExit):
        logger.info("clock stopped")
    return 0


def run_deliver(args: argparse.Namespace) -> int:
    from bot.nudges.clock import deliverer_for

    settings = _settings()
    if settings.slack_mode == "sandbox":
        print(
            "mentor-circles deliver needs Slack credentials: SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET for OAuth installs.",
            file=sys.stderr,
        )
        return 2
    services = build_services(settings)
    require_current_schema(services.db)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    logger.info("delivery: %d worker(s), %s message(s) a minute per workspace", args.workers, args.per_minute)
    effects = effect_worker(services).start(stop, args.workers)
    try:
        deliverer_for(services, _options(args)).run(stop, args.workers)
    except KeyboardInterrupt:
        stop.set()
    for thread in effects:
        thread.join(timeout=5)
    return 0


def run_tick(args: argparse.Namespace) -> int:
    """Exit status: 0 when all went well, 1 when some workspace's work failed (logged, retried next
    tick), 2 when `--deliver` has no usable Slack token (nothing is sent, and nothing is given up)."""
    from bot.nudges.clock import tick

    settings = _settings()
    at: datetime = args.at
    services = build_services(settings, clock=lambda: at)
    require_current_schema(services.db)
    if args.deliver:
        if settings.slack_mode == "sandbox":
            print(TICK_NEEDS_CREDENTIALS, file=sys.stderr)
            return 2
        check_slack(settings)
    result = tick(services, deliver=args.deliver, workers=args.workers, options=_options(args))
    line = f"tick {at.isoformat()}: {result.inserted} new nudge(s) planned"
    if result.delivery is not None:
        stats = result.delivery
        line += (
            f"; delivered {stats.sent}, skipped {stats.skipped}, dead {stats.dead}, "
            f"rate-limited {stats.rate_limited}, retried {stats.retried}"
        )
    print(line)
    for job, workspace_id in result.failures:
        print(
            f"tick: {job} failed for workspace {workspace_id} (see the log); the next tick tries again",
            file=sys.stderr,
        )
    return 1 if result.failures else 0


def _start_clock(services: Services):
    from bot.nudges.clock import InProcessClock

    if services.settings.slack_mode == "sandbox":
        logger.warning("--with-clock: no Slack credentials, so nudges are planned but not delivered")
    return InProcessClock.start(services)


def _delivery_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=1, help="delivery threads in this process (default 1)")
    parser.add_argument(
        "--per-minute",
        type=float,
        default=SLACK_DEFAULT_PER_MINUTE,
        help=f"messages a minute per workspace, shared by all workers (default {SLACK_DEFAULT_PER_MINUTE:g})",
    )
    parser.add_argument(
        "--reclaim-after",
        type=float,
        default=60.0,
        help="seconds after which a nudge left mid-send by a stopped worker is taken over (default 60)",
    )


def _options(args: argparse.Namespace) -> DeliveryOptions:
    return DeliveryOptions(
        pace=Pace(per_minute=args.per_minute), reclaim_after=timedelta(seconds=args.reclaim_after)
    )


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO time like 2027-03-01T14:00:00Z") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def run_shell(args: argparse.Namespace) -> int:
    from bot.shell import run_shell as start

    return start(_settings(), script=args.script)
