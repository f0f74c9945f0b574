"""`mentor-circles`: one command line for every process (see the design notes' process table)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError

from bot.composition import SchemaNotReady
from bot.config import ConfigError


def build_parser() -> argparse.ArgumentParser:
    from bot.cli import db, faq, match, runtime

    parser = argparse.ArgumentParser(
        prog="mentor-circles", description="Mentor Circles: mentorship for residency programs, in Slack."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (runtime, db, faq, match):
        module.add_commands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as error:
        print(f"mentor-circles: configuration error: {error}", file=sys.stderr)
    except SchemaNotReady as error:
        print(f"mentor-circles: {error}", file=sys.stderr)
    except OperationalError as error:
        print(
            f"mentor-circles: cannot reach the database ({_first_line(error)}); check DATABASE_URL",
            file=sys.stderr,
        )
    except KeyboardInterrupt:
        return 130
    return 2


def _first_line(error: Exception) -> str:
    return (
        str(getattr(error, "orig", error)).strip().splitlines()[0]
        if str(error).strip()
        else type(error).__name__
    )
