"""One delivery worker process for the benchmark: the product's `Deliverer`, with a token per workspace.

    python -m bench.fanout.worker --database-url URL --api-url URL --tokens FILE --at ISO [--workers N]

`mentor-circles deliver` serves a one-token install; the benchmark's twenty sandbox workspaces each have
their own bot token, read here from a JSON file {team_id: token}. `--at` fixes the app clock (what is
due); pacing and leases use real time, as in production. SIGTERM stops it cleanly.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from datetime import datetime, timedelta
from pathlib import Path

from bot.nudges.delivery import Deliverer, DeliveryOptions
from bot.nudges.pacing import Pace
from bot.presentation.nudges import render_nudge
from storage.db import Database


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--tokens", required=True, type=Path)
    parser.add_argument("--at", required=True, type=datetime.fromisoformat)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-minute", type=float, default=500.0)
    parser.add_argument("--reclaim-after", type=float, default=5.0)
    args = parser.parse_args()
    tokens: dict[str, str] = json.loads(args.tokens.read_text())
    db = Database(args.database_url)
    at: datetime = args.at
    deliverer = Deliverer(
        db,
        api_url=args.api_url,
        tokens=lambda team_id, _enterprise: tokens.get(team_id),
        render=render_nudge,
        clock=lambda: at,
        options=DeliveryOptions(
            pace=Pace(per_minute=args.per_minute), reclaim_after=timedelta(seconds=args.reclaim_after)
        ),
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    deliverer.run(stop, args.workers)
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
