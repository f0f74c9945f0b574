"""The same app over Socket Mode, through the sandbox's websocket server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.composition import build_services, build_web_application
from tests.e2e.conftest import app_settings
from tests.e2e.test_help_over_http import block_text


@pytest.fixture
def socket_app(sandbox, workspace, db) -> Iterator[SocketModeHandler]:
    settings = app_settings(sandbox, workspace, db, slack_app_token=sandbox.app_token)
    app, _ = build_web_application(settings, build_services(settings, db=db))
    handler = SocketModeHandler(app, settings.require_socket_mode())
    handler.connect()
    try:
        assert sandbox.socket_server.wait_for_connection(timeout=10)
        yield handler
    finally:
        sandbox.socket_server.close_connections()
        handler.close()


def test_help_over_socket_mode(sandbox, workspace, alice, socket_app) -> None:
    session = sandbox.as_user(workspace.team_id, alice.id, sandbox.socket_transport(timeout=10))
    sent = session.slash_command("/mentor", "help")
    assert sent.body["response_type"] == "ephemeral"
    assert "/mentor help" in block_text(sent.body["blocks"])
    opened = sandbox.calls("apps.connections.open")
    assert opened and opened[0].response["ok"] is True


def test_unknown_subcommand_over_socket_mode(sandbox, workspace, alice, socket_app) -> None:
    session = sandbox.as_user(workspace.team_id, alice.id, sandbox.socket_transport(timeout=10))
    sent = session.slash_command("/mentor", "hepl")
    assert "Did you mean" in block_text(sent.body["blocks"])
