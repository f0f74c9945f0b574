"""Slack-looking identifiers and secrets minted by the sandbox."""

from __future__ import annotations

import itertools
import secrets
import threading

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class IdFactory:
    """Deterministic, Slack-shaped ids (`U0000000001`, `C000000000A`): prefix plus 10 base-36 digits."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def next(self, prefix: str) -> str:
        with self._lock:
            n = next(self._counter)
        digits = []
        for _ in range(10):
            n, r = divmod(n, 36)
            digits.append(_ALPHABET[r])
        return prefix + "".join(reversed(digits))


def bot_token(team_number: int) -> str:
    return f"xoxb-{team_number}-{secrets.randbelow(10**12):012d}-{secrets.token_urlsafe(18)}"


def user_token(team_number: int) -> str:
    return f"xoxp-{team_number}-{secrets.randbelow(10**12):012d}-{secrets.token_hex(16)}"


def app_token() -> str:
    return f"xapp-1-A{secrets.token_hex(5).upper()}-{secrets.randbelow(10**12)}-{secrets.token_hex(32)}"


def trigger_id() -> str:
    return f"{secrets.randbelow(10**10)}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}"


def opaque(nbytes: int = 16) -> str:
    return secrets.token_urlsafe(nbytes)


def view_hash(epoch_seconds: float) -> str:
    return f"{int(epoch_seconds)}.{secrets.token_hex(4)}"
