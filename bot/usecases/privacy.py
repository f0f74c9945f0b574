"""A member's data: what is kept (privacy page), export, and erasure."""

from __future__ import annotations

from bot.usecases.deps import Deps


class Privacy:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
