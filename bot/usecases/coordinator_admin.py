"""Coordinators' own administration: the audit log, the coordinator list, workspace FAQ entries."""

from __future__ import annotations

from bot.usecases.deps import Deps


class CoordinatorAdmin:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
