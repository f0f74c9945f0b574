"""The shell's pretend residency program: one workspace and a few people, identical on every run.

The ids are fixed because the database outlives the shell: tomorrow's `alice` must be the same member
as today's.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.sandbox import Sandbox, User, Workspace

TEAM_ID = "T0SANDBOX"
WORKSPACE_NAME = "Sandbox Residency"


@dataclass(frozen=True)
class Person:
    handle: str
    user_id: str
    real_name: str
    display_name: str
    role: str
    tz: str
    coordinator: bool = False


PEOPLE = (
    Person(
        "alice", "U0SBALICE", "Alice Okafor", "Alice", "PGY-2 resident, internal medicine", "America/Chicago"
    ),
    Person("ben", "U0SBBEN", "Ben Whitaker", "Ben", "PGY-1 intern, internal medicine", "America/New_York"),
    Person(
        "carmen",
        "U0SBCARMEN",
        "Carmen Ruiz",
        "Carmen",
        "program coordinator",
        "America/Denver",
        coordinator=True,
    ),
    Person("dev", "U0SBDEV", "Dr. Dev Raman", "Dr. Raman", "faculty, cardiology", "America/Los_Angeles"),
    Person("emma", "U0SBEMMA", "Dr. Emma Clarke", "Dr. Clarke", "cardiology fellow", "Europe/London"),
)


def populate(sandbox: Sandbox) -> tuple[Workspace, list[User]]:
    """Add the workspace and its people to a fresh sandbox."""
    workspace = sandbox.add_workspace(TEAM_ID, name=WORKSPACE_NAME)
    users = [
        sandbox.add_user(
            TEAM_ID,
            person.handle,
            person.real_name,
            display_name=person.display_name,
            tz=person.tz,
            is_admin=person.coordinator,
            email=f"{person.handle}@sandbox-residency.example.org",
            user_id=person.user_id,
            title=person.role,
        )
        for person in PEOPLE
    ]
    return workspace, users


def person(handle: str) -> Person | None:
    return next((p for p in PEOPLE if p.handle == handle), None)
