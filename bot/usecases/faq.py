"""FAQ answers for members: search, related topics, feedback."""

from __future__ import annotations

from bot.usecases.deps import Deps


class FaqAnswers:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
