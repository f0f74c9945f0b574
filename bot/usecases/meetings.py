"""Meetings: log a meeting from a command, a button or the modal; list recent ones."""

from __future__ import annotations

from bot.usecases.deps import Deps


class Meetings:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
