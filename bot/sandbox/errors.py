"""The error a Web API method raises to answer `{"ok": false, "error": ...}`."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra

    def to_body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.error, **self.extra}


def invalid_arguments(messages: list[str]) -> ApiError:
    return ApiError("invalid_arguments", response_metadata={"messages": [f"[ERROR] {m}" for m in messages]})


def invalid_blocks(messages: list[str]) -> ApiError:
    return ApiError(
        "invalid_blocks",
        errors=messages,
        response_metadata={"messages": [f"[ERROR] {m}" for m in messages]},
    )
