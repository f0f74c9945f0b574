"""The long-running processes: `serve` (HTTP), `socket` (Socket Mode), `shell` (local sandbox), `clock`."""

from __future__ import annotations

import argparse
import logging

from bot.composition import build_services, build_web_application, require_current_schema
from bot.config import Settings, load_settings
from bot.logs import configure_logging
from bot.server import make_http_server

logger = logging.getLogger("mentor_circles")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="run the app over HTTP (POST /slack/events, GET /healthz)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT, or 3000)")
    serve.add_argument("--host", default="0.0.0.0", help="interface to bind (default: all)")
    serve.set_defaults(func=run_serve)
    subparsers.add_parser("socket", help="run the app over Socket Mode").set_defaults(func=run_socket)
    start = subparsers.add_parser(
        "start",
        help="run what the settings call for: Socket Mode, HTTP, or the sandbox shell when no Slack tokens are set",
    )
    start.set_defaults(func=run_start, port=None, host="0.0.0.0", script=None)
    subparsers.add_parser("clock", help="run the scheduler that plans nudges").set_defaults(func=run_clock)
    shell = subparsers.add_parser("shell", help="try the app in a terminal with a local sandbox Slack")
    shell.add_argument("--script", help="read shell input from this file instead of the terminal")
    shell.set_defaults(func=run_shell)


def _settings() -> Settings:
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    return settings


def run_serve(args: argparse.Namespace) -> int:
    settings = _settings()
    services = build_services(settings)
    require_current_schema(services.db)
    _, web = build_web_application(settings, services)
    server = make_http_server(web, args.host, settings.port if args.port is None else args.port)
    logger.info(
        "Mentor Circles listening on http://%s:%d (POST /slack/events)", args.host, server.server_port
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def run_socket(args: argparse.Namespace) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = _settings()
    app_token = settings.require_socket_mode()
    services = build_services(settings)
    require_current_schema(services.db)
    app, _ = build_web_application(settings, services)
    logger.info("Mentor Circles connecting over Socket Mode")
    SocketModeHandler(app, app_token).start()
    return 0


def run_start(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.slack_mode == "sandbox":
        return run_shell(args)
    if settings.slack_app_token:
        return run_socket(args)
    return run_serve(args)


def run_clock(args: argparse.Namespace) -> int:
    print(
        "mentor-circles clock: scheduled nudges are not built yet (they arrive with the nudges feature), "
        "so there is nothing to schedule; exiting."
    )
    return 0


def run_shell(args: argparse.Namespace) -> int:
    from bot.shell import run_shell as start

    return start(_settings(), script=args.script)
