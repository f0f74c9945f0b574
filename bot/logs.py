"""Logging: readable text in development, JSON lines in production, a request id on every line.

No log line, at any level, may carry a request body, anything a member typed (commands, goals, meeting
notes, FAQ questions), a token or a secret. `PrivacyFilter`, on the root handler that every logger's
records reach, enforces it; the formatters redact the finished line again (tracebacks included) and cap
it at `MAX_LINE` characters.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

MAX_LINE = 2000
TRUNCATED = "…[truncated]"
REDACTED = "[redacted]"

TOKEN_PATTERN = re.compile(r"\b(xox[a-z]|xapp)(?:\.xox[a-z])?-[\w-]+")
SECRET_PATTERN = re.compile(r"\b[0-9a-f]{32}\b")
"""Signing secrets and client secrets: 32 lower-case hex digits."""
HOOK_PATTERN = re.compile(r"(https://hooks\.slack\.com/)\S+")
"""Incoming-webhook and response URLs: anyone holding one can post as the app."""

CHATTY_LIBRARIES = ("slack_sdk", "slack_bolt", "urllib3", "websockets", "apscheduler")
QUIET_LIBRARIES = ("alembic.runtime.migration",)
PAYLOAD_LIBRARIES = ("slack_sdk", "slack_bolt", "websockets")
SQL_LOGGERS = ("sqlalchemy.engine",)

PAYLOAD_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"Invalid request signature detected\b.*", re.S),
        "a request with an invalid signature was refused",
    ),
    (re.compile(r"Unhandled request \(.*", re.S), "no listener matched a request, so Bolt answered 404"),
    (
        re.compile(r"(A global middleware \(.*?\)) skipped calling .*", re.S),
        r"\1 neither called next() nor answered the request",
    ),
    (re.compile(r"(Unsuccessful Bolt execution result \(status: \d+).*", re.S), r"\1)"),
    (re.compile(r"(Failed to decode Slack API response).*", re.S), r"\1"),
    (re.compile(r"(Unknown .{1,40}? detected and skipped).*", re.S), r"\1"),
)
"""Slack library messages known to embed a payload, and the line each becomes (group references allowed)."""

BODY_FIELD = re.compile(r"\b(body|body_params|json_body|query_params|payload)\s*[:=].*", re.S)
"""How the Slack libraries label a payload inside any other message: it and everything after it go."""


def new_request_id() -> str:
    return uuid.uuid4().hex[:12]


def redact(text: str) -> str:
    """`text` without Slack tokens, 32-hex-digit secrets or Slack webhook/response URLs."""
    text = TOKEN_PATTERN.sub(r"\1-" + REDACTED, text)
    text = HOOK_PATTERN.sub(r"\1" + REDACTED, text)
    return SECRET_PATTERN.sub(REDACTED, text)


def cap(text: str, limit: int = MAX_LINE) -> str:
    """`text` cut to at most `limit` characters, the cut marked with `TRUNCATED`."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(TRUNCATED), 0)] + TRUNCATED


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class _Withheld:
    def __repr__(self) -> str:
        return "[values withheld]"

    __str__ = __repr__


WITHHELD = _Withheld()


class PrivacyFilter(logging.Filter):
    """Renders each record's message, drops or rewrites what carries a payload, and redacts secrets.

    * DEBUG records from the Slack libraries and `websockets` are dropped: they are request, response and
      Socket Mode frame dumps (message text, response URLs, tokens). Their loggers' levels are no
      guarantee: anyone may lower one, and Bolt copies the root logger's level onto its middleware's
      loggers when an app is built without `logger=`.
    * Their other records that embed a payload are rewritten (`PAYLOAD_MESSAGES`, then `BODY_FIELD`);
      e.g. Bolt's "Invalid request signature detected (..., body: ...)" becomes a short line without it.
    * SQLAlchemy's parameter and row lines (logged only when SQL logging is turned on) keep no values.
    * Tokens and secrets are redacted, and the message is capped at `MAX_LINE` characters.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        from_slack = _from(record.name, PAYLOAD_LIBRARIES)
        if from_slack and record.levelno < logging.INFO:
            return False
        if _from(record.name, SQL_LOGGERS) and record.args:
            record.args = _values_withheld(record.args)
        message = _message(record)
        if from_slack:
            message = _without_payload(message)
        record.msg, record.args = cap(redact(message)), ()
        return True


def _from(name: str, loggers: tuple[str, ...]) -> bool:
    return any(name == logger or name.startswith(logger + ".") for logger in loggers)


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except (TypeError, ValueError):
        # logging would report the failure with the arguments themselves, so only the template is kept.
        return f"unformattable log message: {record.msg}"


def _without_payload(message: str) -> str:
    for pattern, replacement in PAYLOAD_MESSAGES:
        match = pattern.match(message)
        if match:
            return match.expand(replacement)
    return BODY_FIELD.sub(r"\1: [withheld]", message)


def _values_withheld(args: tuple[Any, ...] | Mapping[str, Any]) -> tuple[Any, ...] | Mapping[str, Any]:
    if isinstance(args, Mapping):
        return dict.fromkeys(args, WITHHELD)
    return tuple(arg if isinstance(arg, str) else WITHHELD for arg in args)


class TextFormatter(logging.Formatter):
    """One record as text (several lines with a traceback), redacted and at most `MAX_LINE` characters."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        return cap(redact(super().format(record)))


class JsonFormatter(logging.Formatter):
    """One record as one JSON line of at most `MAX_LINE` characters, still valid JSON when cut."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": redact(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return _json_line(entry)


def _json_line(entry: dict[str, Any], limit: int = MAX_LINE) -> str:
    """`entry` as JSON in at most `limit` characters: the exception is cut first, then the message.

    Cutting a field by the excess shortens the line by at least as much, since escaping only lengthens.
    """
    line = json.dumps(entry, ensure_ascii=False)
    for key in ("exception", "message"):
        excess = len(line) - limit
        if excess <= 0:
            return line
        if key in entry:
            entry[key] = cap(entry[key], max(len(entry[key]) - excess, len(TRUNCATED)))
            line = json.dumps(entry, ensure_ascii=False)
    return line if len(line) <= limit else cap(line, limit)


def configure_logging(level: str = "INFO", fmt: str = "text", stream: Any = None) -> None:
    """One root handler for every logger, with `PrivacyFilter` on it.

    The Slack libraries and other chatty ones stay at INFO or above even at DEBUG, which keeps the noise
    down; the filter, not these levels, is what keeps their payloads out.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestContextFilter())
    handler.addFilter(PrivacyFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    library_level = max(logging.INFO, logging.getLevelName(level))
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(library_level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


class ContextPreservingExecutor(ThreadPoolExecutor):
    """Runs Bolt listeners with the submitting thread's context, so log lines keep their request id."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        context = contextvars.copy_context()
        return super().submit(context.run, fn, *args, **kwargs)
