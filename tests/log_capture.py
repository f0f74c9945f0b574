"""What the configured root handler writes, kept one string per record, for the logging tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from bot.logs import CHATTY_LIBRARIES, PAYLOAD_LIBRARIES, QUIET_LIBRARIES, configure_logging


class RecordWrites:
    """A stream keeping each write apart: `logging.StreamHandler` writes each record in one call."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "".join(self.writes)

    @property
    def records(self) -> list[str]:
        return [write.removesuffix("\n") for write in self.writes]


@contextmanager
def configured_logging(fmt: str = "text", *, slack_at_debug: bool = True) -> Iterator[RecordWrites]:
    """`configure_logging("DEBUG", fmt)` into a `RecordWrites`; everything it changed comes back after.

    With `slack_at_debug` the Slack libraries' loggers are lowered to DEBUG too, as a debugging session
    might (or Bolt, which copies the root level onto its loggers when built without `logger=`), so only
    the filter stands between their payload dumps and the log.
    """
    root = logging.getLogger()
    libraries = (*CHATTY_LIBRARIES, *QUIET_LIBRARIES, *PAYLOAD_LIBRARIES)
    descendants = [
        name
        for name in list(logging.root.manager.loggerDict)
        if any(name.startswith(f"{library}.") for library in PAYLOAD_LIBRARIES)
    ]
    names = (*libraries, *descendants)
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_levels = {name: logging.getLogger(name).level for name in names}
    stream = RecordWrites()
    configure_logging("DEBUG", fmt, stream=stream)
    if slack_at_debug:
        # Bolt gives each of its components a logger at the level the root had when an App was built;
        # earlier tests built Apps, so those are lowered too.
        for name in (*PAYLOAD_LIBRARIES, *descendants):
            logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)
