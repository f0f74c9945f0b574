"""Tokens, the spec check, and the ways Slack accepts arguments."""

from __future__ import annotations

import json
import logging
import urllib.request
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import Sandbox, User, Workspace


def _raw(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_missing_token_is_not_authed(sandbox: Sandbox) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=sandbox.api_url).auth_test()
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "not_authed"


def test_unknown_token_is_invalid_auth(sandbox: Sandbox, workspace: Workspace) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(token="xoxb-1-2-forged", base_url=sandbox.api_url).auth_test()
    assert raised.value.response["error"] == "invalid_auth"


def test_app_token_cannot_post_messages(sandbox: Sandbox, alice: User) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(token=sandbox.app_token, base_url=sandbox.api_url).chat_postMessage(
            channel=alice.id, text="x"
        )
    assert raised.value.response["error"] == "not_allowed_token_type"


def test_user_token_acts_as_that_user(sandbox: Sandbox, workspace: Workspace, alice: User, bob: User) -> None:
    token = sandbox.issue_user_token(workspace.team_id, alice.id)
    client = WebClient(token=token, base_url=sandbox.api_url)
    assert client.auth_test()["user_id"] == alice.id
    reply = client.chat_postMessage(channel=bob.id, text="Coffee before rounds?")
    assert reply["message"]["user"] == alice.id
    with pytest.raises(SlackApiError) as raised:
        client.views_publish(user_id=alice.id, view={"type": "home", "blocks": []})
    assert raised.value.response["error"] == "not_allowed_token_type"


def test_unknown_method_is_a_404(sandbox: Sandbox, bot: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        bot.api_call("chat.postMesage", json={"channel": "C1", "text": "typo"})
    assert raised.value.response.status_code == 404
    assert raised.value.response["error"] == "unknown_method"
    assert sandbox.calls("chat.postMesage")[0].status == 404


def test_real_but_unimplemented_method_says_so(bot: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        bot.reactions_add(channel="C1", name="tada", timestamp="1.0")
    assert raised.value.response["error"] == "not_implemented"


def test_missing_required_argument_is_invalid_arguments(bot: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        bot.api_call("chat.postMessage", json={"text": "to nowhere"})
    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: channel"
    ]


def test_newer_methods_have_their_required_arguments(bot: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        bot.api_call("files.getUploadURLExternal", params={"filename": "a.txt"})
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: length"
    ]


def test_token_and_arguments_in_a_form_body(sandbox: Sandbox, workspace: Workspace, alice: User) -> None:
    body = urlencode({"token": workspace.bot_token, "channel": alice.id, "text": "form-encoded"}).encode()
    status, reply = _raw(
        sandbox.api_url + "chat.postMessage", body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert (status, reply["ok"], reply["message"]["text"]) == (200, True, "form-encoded")


def test_arguments_in_the_query_string(sandbox: Sandbox, workspace: Workspace, alice: User) -> None:
    query = urlencode({"token": workspace.bot_token, "user": alice.id})
    status, reply = _raw(f"{sandbox.api_url}users.info?{query}")
    assert status == 200 and reply["user"]["name"] == "alice"


def test_blocks_sent_as_a_json_string_are_recorded_decoded(
    sandbox: Sandbox, workspace: Workspace, alice: User
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Hi*"}}]
    body = urlencode({"channel": alice.id, "text": "hi", "blocks": json.dumps(blocks)}).encode()
    headers = {
        "Authorization": f"Bearer {workspace.bot_token}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    status, reply = _raw(sandbox.api_url + "chat.postMessage", body, headers)
    assert reply["ok"] is True
    [call] = sandbox.calls("chat.postMessage")
    assert call.args["blocks"] == blocks and "token" not in call.args
    assert call.team_id == workspace.team_id and call.token_kind == "bot"


def test_without_a_spec_only_implemented_methods_exist(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING), Sandbox(spec_path=None) as bare:
        workspace = bare.add_workspace(name="Bare")
        client = WebClient(token=workspace.bot_token, base_url=bare.api_url)
        assert client.auth_test()["ok"] is True
        with pytest.raises(SlackApiError) as raised:
            client.reactions_add(channel="C1", name="tada", timestamp="1.0")
        assert raised.value.response.status_code == 404
    assert sum("no Web API spec" in r.getMessage() for r in caplog.records) == 1


def test_calls_are_recorded_and_can_be_reset(sandbox: Sandbox, bot: WebClient, workspace: Workspace) -> None:
    bot.auth_test()
    [call] = sandbox.calls(team_id=workspace.team_id)
    assert (call.method, call.status, call.ok, call.at) == ("auth.test", 200, True, sandbox.clock())
    sandbox.reset_calls()
    assert sandbox.calls() == []
