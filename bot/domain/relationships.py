"""When a circle or mentorship can go on after someone leaves it (pure: no Slack, no database)."""

from __future__ import annotations

from collections.abc import Iterable


def can_still_run(kind: str, remaining_roles: Iterable[str]) -> bool:
    """A circle needs two people; a mentorship (or team) a mentee and a mentor."""
    roles = list(remaining_roles)
    if kind == "mentorship":
        return "mentee" in roles and "mentor" in roles
    return len(roles) >= 2
