"""What every parser in this package returns instead of a value when the input cannot be used."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Input we cannot use, with the message to show the member as-is (complete, friendly, mrkdwn)."""

    message: str
