"""`mentor-circles db upgrade|downgrade|current`."""

from __future__ import annotations

import argparse

from bot.config import load_settings
from storage import migrate
from storage.db import Database


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database migrations")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply migrations (default: to the newest)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(func=run_upgrade)
    downgrade = actions.add_parser("downgrade", help="revert migrations to REVISION ('base' for none)")
    downgrade.add_argument("revision")
    downgrade.set_defaults(func=run_downgrade)
    actions.add_parser("current", help="print the current revision").set_defaults(func=run_current)


def _database() -> Database:
    return Database(load_settings().database_url)


def run_upgrade(args: argparse.Namespace) -> int:
    db = _database()
    migrate.upgrade(db, args.revision)
    print(f"database at revision {migrate.current_revision(db)}")
    return 0


def run_downgrade(args: argparse.Namespace) -> int:
    db = _database()
    migrate.downgrade(db, args.revision)
    print(f"database at revision {migrate.current_revision(db) or 'base'}")
    return 0


def run_current(args: argparse.Namespace) -> int:
    db = _database()
    print(f"current: {migrate.current_revision(db) or 'base'}, newest: {migrate.head_revision(db)}")
    return 0
