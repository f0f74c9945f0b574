"""Matching rounds for coordinators: preview, publish with introductions, settings of programs."""

from __future__ import annotations

from bot.usecases.deps import Deps


class Rounds:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
