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

from bot.startup import BOT_TOKEN_FIX
from bot.web import SLACK_DOWN
from storage.db import Database
from tests.e2e.test_help_over_http import block_text

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def procfile_command(process: str, port: int) -> list[str]:
    """A Procfile line as the platform runs it, with $PORT filled in and the venv's executables."""
    lines = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if ":" in line)
    words = lines[process].replace("${PORT:-3000}", str(port)).replace("$PORT", str(port)).split()
    return [str(BIN / words[0]), *words[1:]]


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


# -- a first install that explains itself -------------------------------------------------------------


def run_once(command: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


def test_a_token_slack_refuses_stops_serve_with_one_line(sandbox, workspace, db) -> None:
    env = {**environment(sandbox, workspace, db, free_port()), "SLACK_BOT_TOKEN": "xoxb-0000-not-issued"}
    result = run_once([str(BIN / "mentor-circles"), "serve", "--host", "127.0.0.1"], env)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "mentor-circles: configuration error: SLACK_BOT_TOKEN was refused by Slack (invalid_auth): "
        + BOT_TOKEN_FIX
    )
    assert [call.method for call in sandbox.calls()] == ["auth.test"]


def test_a_token_slack_refuses_stops_gunicorn_too(sandbox, workspace, db) -> None:
    port = free_port()
    env = {
        **environment(sandbox, workspace, db, port),
        "SLACK_BOT_TOKEN": "xoxb-0000-not-issued",
        "WEB_CONCURRENCY": "1",
    }
    result = run_once(procfile_command("web", port), env)
    assert result.returncode != 0
    refused = [line for line in result.stderr.splitlines() if "SLACK_BOT_TOKEN" in line]
    assert refused == [
        "mentor-circles: configuration error: SLACK_BOT_TOKEN was refused by Slack (invalid_auth): "
        + BOT_TOKEN_FIX
    ]


def test_a_port_in_use_is_one_line(sandbox, workspace, db) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_once(
            [str(BIN / "mentor-circles"), "serve", "--host", "127.0.0.1"],
            environment(sandbox, workspace, db, port),
        )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"mentor-circles: configuration error: PORT {port} is in use by another program (on 127.0.0.1): "
        "stop what is listening there, or choose another port with PORT or --port"
    )


def test_with_slack_unreachable_commands_still_ack_politely(sandbox, workspace, alice, db) -> None:
    port = free_port()
    env = {
        **environment(sandbox, workspace, db, port),
        "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/",
    }
    command = [str(BIN / "mentor-circles"), "serve", "--host", "127.0.0.1"]
    with running(command, env) as process:
        base = f"http://127.0.0.1:{port}"
        assert wait_healthy(f"{base}/healthz", process) == 200
        session = sandbox.as_user(workspace.team_id, alice.id, sandbox.http_transport(f"{base}/slack/events"))
        for text in ("help", "goals"):
            sent = session.slash_command("/mentor", text, settle=0)
            assert sent.status == 200
            assert sent.body == {"response_type": "ephemeral", "text": SLACK_DOWN}
    assert sandbox.calls() == [], "nothing reached the real sandbox: the app was pointed elsewhere"


def test_tick_deliver_without_slack_credentials_keeps_every_nudge_pending(db: Database) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select

    from bot.cli.runtime import TICK_NEEDS_CREDENTIALS
    from bot.domain.nudges.model import PlannedNudge
    from storage.models import OutboxNudge
    from storage.outbox import Outbox
    from storage.repositories import WorkspaceRepository

    now = datetime.now(UTC)
    with db.session() as session:
        space = WorkspaceRepository(session).ensure("T0NOTOKEN")
        Outbox(session).add(
            space.id, [PlannedNudge("paused_notice", "paused:U1", "U1", now, {"unanswered": 3})], now
        )
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "DATABASE_URL": db.url}
    result = subprocess.run(
        [str(BIN / "mentor-circles"), "tick", "--at", now.isoformat(), "--deliver"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == TICK_NEEDS_CREDENTIALS
    with db.session() as session:
        assert session.scalars(select(OutboxNudge.status)).all() == ["pending"]
