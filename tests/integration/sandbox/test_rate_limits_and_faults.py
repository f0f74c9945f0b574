"""429 with Retry-After from token buckets, injected failures, and slack_sdk's retry handlers."""

from __future__ import annotations

import socket
import time
import urllib.error

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.sandbox import RateLimiter, RateLimits, Sandbox, User, Workspace


def test_post_message_is_limited_per_channel_with_retry_after(
    sandbox: Sandbox, bot: WebClient, alice: User
) -> None:
    sandbox.rate_limits.post_burst_per_channel = 1
    bot.chat_postMessage(channel=alice.id, text="one")
    with pytest.raises(SlackApiError) as raised:
        bot.chat_postMessage(channel=alice.id, text="two")
    response = raised.value.response
    assert (response.status_code, response["error"]) == (429, "ratelimited")
    assert response.headers["Retry-After"] == "1"


def test_other_channels_have_their_own_bucket(
    sandbox: Sandbox, bot: WebClient, alice: User, bob: User
) -> None:
    sandbox.rate_limits.post_burst_per_channel = 1
    bot.chat_postMessage(channel=alice.id, text="one")
    assert bot.chat_postMessage(channel=bob.id, text="one")["ok"] is True


def test_rate_limit_retry_handler_recovers(sandbox: Sandbox, workspace: Workspace, alice: User) -> None:
    sandbox.rate_limits.post_burst_per_channel = 1
    client = WebClient(
        token=workspace.bot_token,
        base_url=sandbox.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    client.chat_postMessage(channel=alice.id, text="one")
    assert client.chat_postMessage(channel=alice.id, text="two")["ok"] is True
    statuses = [c.status for c in sandbox.calls("chat.postMessage")]
    assert statuses == [200, 429, 200]


def test_tier_limits_per_method(sandbox: Sandbox, bot: WebClient) -> None:
    sandbox.rate_limits.tier_per_minute[2] = 3
    for _ in range(3):
        bot.users_list()
    with pytest.raises(SlackApiError) as raised:
        bot.users_list()
    assert raised.value.response.status_code == 429
    assert int(raised.value.response.headers["Retry-After"]) >= 1
    assert bot.users_info(user=bot.auth_test()["user_id"])["ok"] is True


def test_workspace_ceiling_spans_channels(sandbox: Sandbox, bot: WebClient, alice: User, bob: User) -> None:
    sandbox.rate_limits.workspace_posts_per_minute = 2
    bot.chat_postMessage(channel=alice.id, text="one")
    bot.chat_postMessage(channel=bob.id, text="two")
    with pytest.raises(SlackApiError) as raised:
        bot.chat_postMessage(channel=bob.id, text="three")
    assert raised.value.response.status_code == 429


def test_limits_can_be_switched_off(sandbox: Sandbox, bot: WebClient, alice: User) -> None:
    sandbox.rate_limits.enabled = False
    for n in range(10):
        bot.chat_postMessage(channel=alice.id, text=str(n))
    assert len(sandbox.state.dms_to(alice.team_id, alice.id)) == 10


def test_factor_scales_rates_and_bursts() -> None:
    now = [0.0]
    limiter = RateLimiter(RateLimits(factor=2.0), monotonic=lambda: now[0])
    assert [limiter.check("T1", "apps.connections.open") for _ in range(3)] == [None, None, 30]
    now[0] += 30
    assert limiter.check("T1", "apps.connections.open") is None


def test_injected_server_errors_are_retried(sandbox: Sandbox, workspace: Workspace) -> None:
    sandbox.inject("auth.test", 503, times=2)
    client = WebClient(
        token=workspace.bot_token,
        base_url=sandbox.api_url,
        retry_handlers=[
            ServerErrorRetryHandler(
                max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
            )
        ],
    )
    assert client.auth_test()["ok"] is True
    calls = sandbox.calls("auth.test")
    assert [(c.status, c.injected) for c in calls] == [(503, "http_503"), (503, "http_503"), (200, None)]


def test_injected_500_without_retries_fails(sandbox: Sandbox, bot: WebClient) -> None:
    sandbox.inject("auth.test", 500)
    with pytest.raises(SlackApiError) as raised:
        bot.auth_test()
    assert raised.value.response.status_code == 500
    assert bot.auth_test()["ok"] is True


def test_injected_ratelimit_carries_retry_after(sandbox: Sandbox, bot: WebClient) -> None:
    sandbox.inject("users.list", "ratelimited", retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        bot.users_list()
    assert raised.value.response.headers["Retry-After"] == "7"
    assert sandbox.calls("users.list")[0].injected == "ratelimited"


def test_injected_timeout_outlasts_the_client(sandbox: Sandbox, workspace: Workspace) -> None:
    sandbox.web.timeout_delay = 0.6
    sandbox.inject("auth.test", "timeout")
    client = WebClient(token=workspace.bot_token, base_url=sandbox.api_url, timeout=0.2, retry_handlers=[])
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        client.auth_test()
    assert time.monotonic() - started < 0.6
    [call] = sandbox.state.wait_for_calls("auth.test", timeout=3)
    assert (call.injected, call.ok) == ("timeout", True)


def test_only_5xx_statuses_can_be_injected(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError):
        sandbox.inject("auth.test", 404)
