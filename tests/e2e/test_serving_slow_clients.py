"""The production web process (the Procfile's `web` line) keeps answering while slow clients hold
connections with half-sent requests."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from tests.e2e.test_help_over_http import block_text
from tests.e2e.test_processes import environment, free_port, procfile_command, running, wait_healthy

SLOW_CLIENTS = 20


@contextmanager
def half_sent_requests(port: int, count: int) -> Iterator[list[socket.socket]]:
    """`count` connections that each sent the headers and half the body of a POST, then wait."""
    body = b"payload=" + b"x" * 992
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with ExitStack() as stack:
        clients = []
        for _ in range(count):
            client = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=5))
            client.sendall(head + body[: len(body) // 2])
            clients.append(client)
        yield clients


def test_healthz_and_slack_are_answered_while_slow_clients_wait(sandbox, workspace, alice, db) -> None:
    port = free_port()
    env = {**environment(sandbox, workspace, db, port), "WEB_CONCURRENCY": "1"}
    with running(procfile_command("web", port), env) as process:
        base = f"http://127.0.0.1:{port}"
        assert wait_healthy(f"{base}/healthz", process) == 200
        with half_sent_requests(port, SLOW_CLIENTS) as slow:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                assert response.status == 200
            session = sandbox.as_user(
                workspace.team_id, alice.id, sandbox.http_transport(f"{base}/slack/events")
            )
            sent = session.slash_command("/mentor", "help")
            assert sent.status == 200
            assert "/mentor help" in block_text(sent.body["blocks"])
            assert all(client.fileno() != -1 for client in slow), "the slow clients were still connected"
        assert process.poll() is None
