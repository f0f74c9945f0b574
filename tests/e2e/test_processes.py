"""The real entry points as separate processes: `mentor-circles serve` and gunicorn `bot.wsgi:application`."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from storage.db import Database
from tests.e2e.test_help_over_http import block_text

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited early: {process.stderr.read() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within {timeout}s")


@contextmanager
def running(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def environment(sandbox, workspace, db: Database, port: int) -> dict[str, str]:
    return {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "SLACK_BOT_TOKEN": workspace.bot_token,
        "SLACK_SIGNING_SECRET": sandbox.signing_secret,
        "SLACK_API_URL": sandbox.api_url,
        "DATABASE_URL": db.url,
        "PORT": str(port),
        "LOG_FORMAT": "json",
    }


@pytest.mark.parametrize(
    "entry_point",
    [
        ["mentor-circles", "serve", "--host", "127.0.0.1"],
        ["gunicorn", "bot.wsgi:application", "--worker-class", "gthread", "--threads", "4", "--bind"],
    ],
    ids=["serve", "gunicorn"],
)
def test_entry_point_serves_slack_and_health(sandbox, workspace, alice, db, entry_point) -> None:
    port = free_port()
    command = [str(BIN / entry_point[0]), *entry_point[1:]]
    if command[-1] == "--bind":
        command.append(f"127.0.0.1:{port}")
    with running(command, environment(sandbox, workspace, db, port)) as process:
        base = f"http://127.0.0.1:{port}"
        assert wait_healthy(f"{base}/healthz", process) == 200
        session = sandbox.as_user(workspace.team_id, alice.id, sandbox.http_transport(f"{base}/slack/events"))
        sent = session.slash_command("/mentor", "help")
        assert sent.status == 200
        assert "/mentor help" in block_text(sent.body["blocks"])


def test_serve_refuses_an_unmigrated_database(sandbox, workspace, database_factory) -> None:
    empty = Database(database_factory.create("empty"))
    result = subprocess.run(
        [str(BIN / "mentor-circles"), "serve"],
        env=environment(sandbox, workspace, empty, free_port()),
        capture_output=True,
        text=True,
        timeout=60,
    )
    empty.dispose()
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "mentor-circles: the database schema is not up to date: run `mentor-circles db upgrade` first"
    )
