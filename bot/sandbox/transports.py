"""Delivering Slack's requests to an app: over signed HTTP, or as Socket Mode envelopes."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import urlencode

from .socket_mode import SocketModeServer

RequestKind = Literal["slash_commands", "interactive", "events_api"]


def sign(signing_secret: str, timestamp: int | str, body: str | bytes) -> str:
    """Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    raw = body.encode() if isinstance(body, str) else body
    base = f"v0:{timestamp}:".encode() + raw
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Outgoing:
    """One request from Slack: slash command form fields, an interaction payload, or an event body."""

    kind: RequestKind
    content: dict[str, Any]

    def http_body(self) -> tuple[str, str]:
        if self.kind == "slash_commands":
            return urlencode(self.content), "application/x-www-form-urlencoded"
        if self.kind == "interactive":
            return urlencode({"payload": json.dumps(self.content)}), "application/x-www-form-urlencoded"
        return json.dumps(self.content), "application/json"


@dataclass
class Delivered:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


class Transport(Protocol):
    def deliver(self, outgoing: Outgoing) -> Delivered: ...


def _parse(raw: bytes, content_type: str) -> Any:
    text = raw.decode("utf-8", "replace")
    if content_type.startswith("application/json") and text:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


class HttpTransport:
    """POSTs to the app's request URL with Slack's signature headers.

    `timestamp` and `signing_secret` overrides (per transport or per call) let tests send stale or
    wrongly signed requests.
    """

    def __init__(self, url: str, signing_secret: str, *, timeout: float = 10.0) -> None:
        self.url = url
        self.signing_secret = signing_secret
        self.timeout = timeout

    def deliver(
        self,
        outgoing: Outgoing,
        *,
        timestamp: int | None = None,
        signing_secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Delivered:
        body, content_type = outgoing.http_body()
        return self.post(
            body, content_type, timestamp=timestamp, signing_secret=signing_secret, headers=headers
        )

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signing_secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Delivered:
        ts = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(signing_secret or self.signing_secret, ts, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        request = urllib.request.Request(self.url, data=body.encode(), headers=all_headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw, status, message = response.read(), response.status, response.headers
        except urllib.error.HTTPError as error:
            raw, status, message = error.read(), error.code, error.headers
        return Delivered(status, dict(message), _parse(raw, message.get("Content-Type", "")))


class SocketModeTransport:
    """Sends the same requests as Socket Mode envelopes; the result's body is the ack's payload."""

    def __init__(self, server: SocketModeServer, *, timeout: float | None = None) -> None:
        self.server = server
        self.timeout = timeout

    def deliver(self, outgoing: Outgoing, *, retry_attempt: int = 0, retry_reason: str = "") -> Delivered:
        ack = self.server.deliver(
            outgoing.kind,
            outgoing.content,
            timeout=self.timeout,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )
        return Delivered(200, {}, ack.get("payload"))
