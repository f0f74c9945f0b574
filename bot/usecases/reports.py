"""The coordinators' report: participation and meetings, its chart and CSV."""

from __future__ import annotations

from bot.usecases.deps import Deps


class Reports:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
