"""gunicorn settings for the `web` process: `gunicorn -c python:bot.gunicorn_config bot.wsgi:application`.

gevent workers: each connection is a greenlet, so clients that send half a request and wait hold only a
greenlet, not one of a few threads, and `/healthz` and Slack's requests are still answered (gthread
workers read the body on a pool thread and stall once the slow clients outnumber the threads). The app's
own threads (listeners, effect workers) become greenlets too; psycopg cooperates with gevent by itself.

This module is imported by the gunicorn master before it forks, so it imports nothing of the app's at the
top: the workers patch the standard library first, then load the app.
"""

from __future__ import annotations

import os
import sys
from typing import Any

bind = f"0.0.0.0:{os.environ.get('PORT', '3000')}"
worker_class = "gevent"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_connections = 200
"""Connections (greenlets) per worker, slow ones included."""
timeout = 30
"""Seconds a worker may go without telling the master it is alive before it is restarted."""
graceful_timeout = 20
keepalive = 5
limit_request_line = 8190
limit_request_fields = 60
accesslog = None

WORKER_BOOT_ERROR = 3
"""gunicorn's exit code for a worker that cannot boot: the master stops instead of restarting it."""


def post_worker_init(worker: Any) -> None:
    """Build the app as the worker starts, so a refused token or an old schema stops the server with one
    line instead of failing every request."""
    from bot.composition import SchemaNotReady
    from bot.config import ConfigError
    from bot.wsgi import application

    try:
        application.start()
    except ConfigError as error:
        print(f"mentor-circles: configuration error: {error}", file=sys.stderr, flush=True)
        sys.exit(WORKER_BOOT_ERROR)
    except SchemaNotReady as error:
        print(f"mentor-circles: {error}", file=sys.stderr, flush=True)
        sys.exit(WORKER_BOOT_ERROR)
