"""Answers to nudge buttons: did you meet, goal check-ins, resume."""

from __future__ import annotations

from bot.usecases.deps import Deps


class NudgeAnswers:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
