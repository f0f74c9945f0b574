"""Who may run the program in a workspace (until coordinator roles are stored, `COORDINATOR_USER_IDS`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Coordinators:
    user_ids: tuple[str, ...]

    def is_coordinator(self, team_id: str, user_id: str) -> bool:
        return user_id in self.user_ids

    def mentions(self, team_id: str) -> str:
        """Slack mentions of the coordinators, or a plain phrase when none are configured."""
        if not self.user_ids:
            return "your program coordinator"
        return ", ".join(f"<@{user_id}>" for user_id in self.user_ids)
