"""Slack's Socket Mode server side, on loopback, for slack_sdk's and Bolt's Socket Mode clients.

`apps.connections.open` hands out `ws://127.0.0.1:PORT/link/?ticket=...`; a client connecting there gets
`{"type": "hello"}`, then envelopes; each envelope waits for the client's `{"envelope_id", "payload"?}` ack.
Keepalive ping/pong frames are answered by the `websockets` library itself.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request as HandshakeRequest
from websockets.http11 import Response as HandshakeResponse
from websockets.sync.server import Server, ServerConnection, serve

log = logging.getLogger(__name__)

ENVELOPE_TYPES = frozenset({"slash_commands", "interactive", "events_api"})


class NoSocketConnection(RuntimeError):
    """No Socket Mode client is connected, so Slack would have nowhere to send the request."""


class AckTimeout(TimeoutError):
    """The client did not acknowledge an envelope in time (Slack shows the user an error then)."""


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    ack: dict[str, Any] | None = None


class SocketModeServer:
    def __init__(
        self, *, ack_timeout: float = 3.0, ping_interval: float | None = 10.0, close_timeout: float = 0.5
    ) -> None:
        self.ack_timeout = ack_timeout
        self._close_timeout = close_timeout
        self._ping_interval = ping_interval
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._tickets: dict[str, str] = {}
        self._connections: list[tuple[ServerConnection, str]] = []
        self._pending: dict[str, _Pending] = {}
        self._changed = threading.Condition()
        self.received: list[dict[str, Any]] = []

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = serve(
            self._session,
            "127.0.0.1",
            0,
            process_request=self._check_ticket,
            ping_interval=self._ping_interval,
            close_timeout=self._close_timeout,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="slack-sandbox-ws", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self.close_connections()
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox Socket Mode server is not running")
        return int(self._server.socket.getsockname()[1])

    def mint_url(self, app_id: str) -> str:
        ticket = secrets.token_hex(16)
        with self._changed:
            self._tickets[ticket] = app_id
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={app_id}"

    def _check_ticket(
        self, connection: ServerConnection, request: HandshakeRequest
    ) -> HandshakeResponse | None:
        ticket = parse_qs(urlsplit(request.path).query).get("ticket", [""])[0]
        with self._changed:
            if self._tickets.pop(ticket, None) is None:
                return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid or used ticket\n")
        return None

    @property
    def connection_count(self) -> int:
        with self._changed:
            return len(self._connections)

    def wait_for_connection(self, timeout: float = 5.0, count: int = 1) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: len(self._connections) >= count, timeout)

    def _session(self, connection: ServerConnection) -> None:
        request = connection.request
        assert request is not None, "websockets runs the handler only after the opening handshake"
        app_id = parse_qs(urlsplit(request.path).query).get("app_id", [""])[0]
        hello = {
            "type": "hello",
            "num_connections": self.connection_count + 1,
            "debug_info": {
                "host": "applink-sandbox",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": app_id},
        }
        connection.send(json.dumps(hello))
        with self._changed:
            self._connections.append((connection, app_id))
            self._changed.notify_all()
        try:
            for raw in connection:
                self._on_message(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self._connections = [(c, a) for c, a in self._connections if c is not connection]
                self._changed.notify_all()

    def _on_message(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            log.warning("sandbox socket mode: ignoring a non-JSON message")
            return
        if not isinstance(message, dict):
            return
        with self._changed:
            self.received.append(message)
            pending = self._pending.get(str(message.get("envelope_id", "")))
        if pending is not None:
            pending.ack = message
            pending.done.set()

    def deliver(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        timeout: float | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> dict[str, Any]:
        """Send one envelope to the newest connection and return the client's ack message."""
        if envelope_type not in ENVELOPE_TYPES:
            raise ValueError(f"unknown envelope type {envelope_type!r}")
        with self._changed:
            if not self._connections:
                raise NoSocketConnection("no Socket Mode client is connected")
            connection = self._connections[-1][0]
            envelope_id = str(uuid.uuid4())
            pending = _Pending()
            self._pending[envelope_id] = pending
        envelope = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": envelope_type != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
        }
        try:
            connection.send(json.dumps(envelope))
            if not pending.done.wait(self.ack_timeout if timeout is None else timeout):
                raise AckTimeout(f"no ack for envelope {envelope_id}")
            assert pending.ack is not None
            return pending.ack
        finally:
            with self._changed:
                self._pending.pop(envelope_id, None)

    def close_connections(self) -> None:
        """Drop every connection with a close frame, as when Slack's side goes away."""
        with self._changed:
            connections = [c for c, _ in self._connections]
        for connection in connections:
            connection.close()

    def disconnect_all(self, reason: str = "refresh_requested") -> None:
        """Ask every client to reconnect, as Slack does before it recycles a connection."""
        message = json.dumps(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-sandbox"}}
        )
        with self._changed:
            connections = [c for c, _ in self._connections]
        for connection in connections:
            with contextlib.suppress(ConnectionClosed):
                connection.send(message)
