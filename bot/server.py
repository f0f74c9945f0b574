"""A threaded WSGI server for `mentor-circles serve` and the tests (production uses gunicorn)."""

from __future__ import annotations

import logging
import re
import threading
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

logger = logging.getLogger(__name__)

_QUERY = re.compile(r"\?[^\s\"]*")
"""A request line's query string: on the OAuth redirect it holds the one-time `code` and the `state`."""


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("http %s", _QUERY.sub("?[query withheld]", format % args))


def make_http_server(wsgi_app: Any, host: str = "127.0.0.1", port: int = 0) -> ThreadingWSGIServer:
    """Bind now (port 0 picks a free port); serve with `serve_forever()` or `start_in_thread()`."""
    return make_server(host, port, wsgi_app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)


def start_in_thread(server: ThreadingWSGIServer, poll_interval: float = 0.05) -> threading.Thread:
    """Serve on a daemon thread; a short poll interval lets `shutdown()` return at once (tests stop many)."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": poll_interval}, name="http", daemon=True
    )
    thread.start()
    return thread
