"""While the shell runs, log lines go to a file so they do not interleave with the conversation."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.logs import PrivacyFilter, RequestContextFilter, TextFormatter

LOG_FILE = Path(tempfile.gettempdir()) / "mentor-circles-shell.log"


@contextmanager
def logs_to_file(level: str = "INFO", path: Path = LOG_FILE) -> Iterator[Path]:
    """Send every log record to `path` (kept private like every log line); the previous handlers come back afterwards."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.addFilter(RequestContextFilter())
    handler.addFilter(PrivacyFilter())
    handler.setFormatter(TextFormatter())
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    root.handlers[:] = [handler]
    root.setLevel(level)
    try:
        yield path
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        handler.close()
