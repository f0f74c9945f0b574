"""How fast the sandbox answers, so test suites built on it stay quick.

    python -m bench.sandbox.run [--out bench/results/sandbox.json] [--n 300]

Prints a table (calls per second, median and p95 latency) and writes the same numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from . import RateLimits, Sandbox, default_spec_path, validate_blocks


def _measure(name: str, n: int, action: Callable[[int], Any]) -> dict[str, Any]:
    samples = []
    for i in range(n):
        started = time.perf_counter()
        action(i)
        samples.append(time.perf_counter() - started)
    total = sum(samples)
    ordered = sorted(samples)
    return {
        "case": name,
        "n": n,
        "per_second": round(n / total, 1),
        "median_ms": round(statistics.median(samples) * 1000, 3),
        "p95_ms": round(ordered[int(0.95 * (n - 1))] * 1000, 3),
    }


def _blocks(count: int) -> list[dict[str, Any]]:
    return [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"Goal {i}: present at grand rounds"},
            "accessory": {
                "type": "button",
                "action_id": f"done_{i}",
                "text": {"type": "plain_text", "text": "Done"},
            },
        }
        for i in range(count)
    ]


def run(n: int) -> list[dict[str, Any]]:
    results = []
    with Sandbox(spec_path=default_spec_path(), rate_limits=RateLimits.disabled()) as sandbox:
        workspace = sandbox.add_workspace(name="Bench Residency")
        users = [sandbox.add_user(workspace.team_id, f"resident{i}") for i in range(20)]
        client = WebClient(token=workspace.bot_token, base_url=sandbox.api_url)
        blocks = _blocks(50)
        results.append(_measure("validate 50-block message", n, lambda i: validate_blocks(blocks)))
        results.append(_measure("auth.test", n, lambda i: client.auth_test()))
        results.append(_measure("users.info", n, lambda i: client.users_info(user=users[i % 20].id)))
        results.append(
            _measure(
                "chat.postMessage (text)",
                n,
                lambda i: client.chat_postMessage(channel=users[i % 20].id, text="hi"),
            )
        )
        results.append(
            _measure(
                "chat.postMessage (50 blocks)",
                n,
                lambda i: client.chat_postMessage(channel=users[i % 20].id, text="goals", blocks=blocks),
            )
        )
        home = {"type": "home", "blocks": blocks}
        results.append(
            _measure(
                "views.publish (50 blocks)",
                n,
                lambda i: client.views_publish(user_id=users[i % 20].id, view=home),
            )
        )

        socket = SocketModeClient(app_token=sandbox.app_token, web_client=WebClient(base_url=sandbox.api_url))

        def ack(client: SocketModeClient, request: SocketModeRequest) -> None:
            client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))

        socket.socket_mode_request_listeners.append(ack)
        socket.connect()
        sandbox.socket_server.wait_for_connection()
        envelope = {"command": "/mentor", "text": "help"}
        results.append(
            _measure(
                "socket envelope + ack",
                n,
                lambda i: sandbox.socket_server.deliver("slash_commands", envelope),
            )
        )
        socket.auto_reconnect_enabled = False
        sandbox.socket_server.close_connections()
        socket.close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("bench/results/sandbox.json"))
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args(argv)
    results = run(args.n)
    header = f"{'case':<30} {'n':>5} {'per s':>9} {'median ms':>10} {'p95 ms':>8}"
    print(header)
    print("-" * len(header))
    for row in results:
        print(
            f"{row['case']:<30} {row['n']:>5} {row['per_second']:>9} {row['median_ms']:>10} {row['p95_ms']:>8}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"benchmark": "sandbox", "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
