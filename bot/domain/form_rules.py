"""Which questions a form asks, given the answers that shape it.

The join/profile modal and the program settings modal ask only what applies: a mentee is not asked
mentor questions, a 1:1 program is not asked circle sizes, "other specialty" follows choosing Other.
The same rules decide what a modal shows (presentation), what a submission is checked for and what is
stored (members' profile rules, program settings): a value typed into a field that no longer applies is
ignored.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.domain.vocabulary import OTHER_SPECIALTY

MENTEE_FIELDS: tuple[str, ...] = ("needs",)
"""Asked only of mentees: where would you like guidance."""
MENTOR_FIELDS: tuple[str, ...] = ("offers", "capacity")
"""Asked only of mentors: where can you offer guidance, how many mentees."""
OTHER_SPECIALTY_FIELD = "specialty_other"

PROFILE_SHAPING_FIELDS: tuple[str, ...] = ("roles", "specialty")
"""The profile answers that change which questions follow (their inputs dispatch an action)."""

CIRCLE_FIELDS: tuple[str, ...] = ("circle_size", "min_size", "max_size")
"""Program settings that only a program of peer circles has."""

SETTINGS_SHAPING_FIELDS: tuple[str, ...] = ("kind",)


def profile_field_applies(name: str, roles: Collection[str], specialty: str | None) -> bool:
    """Whether the profile question `name` applies to someone with these roles and this specialty."""
    if name in MENTEE_FIELDS:
        return "mentee" in roles
    if name in MENTOR_FIELDS:
        return "mentor" in roles
    if name == OTHER_SPECIALTY_FIELD:
        return specialty == OTHER_SPECIALTY
    return True


def settings_field_applies(name: str, kind: str | None) -> bool:
    """Whether the program setting `name` applies to a program of `kind`."""
    return kind == "circles" if name in CIRCLE_FIELDS else True
