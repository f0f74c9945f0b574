"""Sign-up and personal settings: join, profile, frequency, pause, resume, leave."""

from __future__ import annotations

from bot.usecases.deps import Deps


class Profiles:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
