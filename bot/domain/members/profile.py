"""The sign-up profile: what the `/mentor join` modal collects, its inline errors, and a readable summary.

Error keys are `ProfileDraft` field names (`PROFILE_FIELDS`), so a modal can use them as block ids and
return the result as-is in `response_action: errors`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from zoneinfo import available_timezones

from bot.domain.form_rules import profile_field_applies
from bot.domain.scheduling import WEEKDAY_NAMES, WEEKDAYS
from bot.domain.text import clean_text, join_labels, plural
from bot.domain.vocabulary import (
    DOMAINS,
    FREQUENCIES,
    OTHER_SPECIALTY,
    ROLES,
    SPECIALTY_IDS,
    STAGES,
    TRACKS,
    domain_label,
    frequency_label,
    role_label,
    sentence_case,
    specialty_menu_label,
    stage_label,
    track_label,
)

from .slack_text import escape

FREE_TEXT_MAX = 80
CAPACITY_RANGE = range(1, 11)
AVOID_MAX = 20

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


@dataclass(frozen=True)
class ProfileDraft:
    """What a member filled in; `needs` are domains to get guidance on, `offers` domains to give it on."""

    roles: tuple[str, ...] = ()
    stage: str | None = None
    specialty: str | None = None
    specialty_other: str | None = None
    track: str | None = None
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    frequency: str | None = None
    capacity: int | None = None
    tz: str | None = None
    site: str | None = None
    avoid_user_ids: tuple[str, ...] = ()
    call_days: tuple[str, ...] = ()
    """Weekdays ("mon" ... "sun") usually on nights or call: finding a time avoids them (optional)."""


PROFILE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ProfileDraft))


def applicable_profile(draft: ProfileDraft) -> ProfileDraft:
    """The draft without the answers to questions that do not apply (`bot.domain.form_rules`): what a
    mentor-only member once typed under "where would you like guidance" is neither checked nor kept."""
    cleared = {
        name: getattr(ProfileDraft(), name)
        for name in PROFILE_FIELDS
        if not profile_field_applies(name, draft.roles, draft.specialty)
    }
    return replace(draft, **cleared)


def validate_profile(draft: ProfileDraft, self_user_id: str) -> dict[str, str]:
    """Field name -> inline error message, every failing field at once; empty when the profile can be
    saved. Fields that do not apply to these roles and this specialty are not checked."""
    errors: dict[str, str] = {}
    draft = applicable_profile(draft)
    roles = set(draft.roles)
    if not roles:
        errors["roles"] = "Pick at least one role: mentee, mentor or peer."
    elif not roles <= set(ROLES):
        errors["roles"] = "Please pick your roles from the list."
    _require_known(errors, "stage", draft.stage, STAGES, "your career stage")
    _require_known(errors, "specialty", draft.specialty, SPECIALTY_IDS, "your specialty")
    if draft.specialty == OTHER_SPECIALTY:
        other = clean_text(draft.specialty_other)
        if not other:
            errors["specialty_other"] = "Please type your specialty."
        elif len(other) > FREE_TEXT_MAX:
            errors["specialty_other"] = f"Please keep your specialty to {FREE_TEXT_MAX} characters."
    _require_known(errors, "track", draft.track, TRACKS, "the career track that interests you")
    _check_domains(errors, "needs", draft.needs, "mentee" in roles, "where you'd like guidance")
    _check_domains(errors, "offers", draft.offers, "mentor" in roles, "where you can offer guidance")
    _require_known(errors, "frequency", draft.frequency, FREQUENCIES, "how often you'd like to meet")
    if "mentor" in roles:
        if draft.capacity is None:
            errors["capacity"] = "Please say how many mentees you can take (1 to 10)."
        elif draft.capacity not in CAPACITY_RANGE:
            errors["capacity"] = "Please choose between 1 and 10 mentees."
    if not draft.tz:
        errors["tz"] = "Please pick your time zone."
    elif draft.tz not in _time_zones():
        errors["tz"] = "Please pick a time zone from the list, such as America/Chicago."
    if len(clean_text(draft.site)) > FREE_TEXT_MAX:
        errors["site"] = f"Please keep your site or campus to {FREE_TEXT_MAX} characters."
    _check_avoid_list(errors, draft.avoid_user_ids, self_user_id)
    if not set(draft.call_days) <= set(WEEKDAYS):
        errors["call_days"] = "Please pick the days from the list."
    return errors


def normalize_profile(draft: ProfileDraft) -> ProfileDraft:
    """The draft as it should be stored: text trimmed, lists de-duplicated, fields that do not apply cleared."""
    draft = applicable_profile(draft)
    return replace(
        draft,
        roles=_unique(draft.roles),
        specialty_other=clean_text(draft.specialty_other) or None,
        needs=_unique(draft.needs),
        offers=_unique(draft.offers),
        site=clean_text(draft.site) or None,
        avoid_user_ids=_unique(draft.avoid_user_ids),
        call_days=tuple(day for day in WEEKDAYS if day in draft.call_days),
    )


def profile_summary_lines(profile: ProfileDraft) -> list[str]:
    """A short human summary, one fact per line, ready for mrkdwn. The avoid list is never shown."""
    lines: list[str] = []
    headline = [sentence_case(stage_label(profile.stage))] if profile.stage else []
    if profile.specialty == OTHER_SPECIALTY and profile.specialty_other:
        headline.append(sentence_case(escape(clean_text(profile.specialty_other))))
    elif profile.specialty and profile.specialty != OTHER_SPECIALTY:
        headline.append(specialty_menu_label(profile.specialty))
    if profile.track == "undecided":
        headline.append("track undecided")
    elif profile.track:
        headline.append(f"{track_label(profile.track)} track")
    if headline:
        lines.append(" · ".join(headline))
    if profile.roles:
        lines.append("Roles: " + join_labels([role_label(r) for r in _unique(profile.roles)]))
    if "mentee" in profile.roles and profile.needs:
        lines.append("Wants guidance on: " + join_labels([domain_label(d) for d in _unique(profile.needs)]))
    if "mentor" in profile.roles and profile.offers:
        lines.append(
            "Can offer guidance on: " + join_labels([domain_label(d) for d in _unique(profile.offers)])
        )
    if "mentor" in profile.roles and profile.capacity:
        lines.append(f"Can take: up to {plural(profile.capacity, 'mentee')}")
    if profile.frequency:
        lines.append(f"Meets: {frequency_label(profile.frequency)}")
    if profile.tz:
        lines.append(f"Time zone: {escape(profile.tz)}")
    if clean_text(profile.site):
        lines.append(f"Site: {escape(clean_text(profile.site))}")
    if profile.call_days:
        days = [name for code, name in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True) if code in profile.call_days]
        lines.append(f"Usually on nights or call: {join_labels(days)}")
    return lines


def _require_known(
    errors: dict[str, str], name: str, value: str | None, known: tuple[str, ...], what: str
) -> None:
    if not value:
        errors[name] = f"Please pick {what}."
    elif value not in known:
        errors[name] = f"Please pick {what} from the list."


def _check_domains(
    errors: dict[str, str], name: str, chosen: tuple[str, ...], required: bool, where: str
) -> None:
    if any(domain not in DOMAINS for domain in chosen):
        errors[name] = f"Please pick the areas {where} from the list."
    elif required and not chosen:
        errors[name] = f"Please pick at least one area {where}."


def _check_avoid_list(errors: dict[str, str], user_ids: tuple[str, ...], self_user_id: str) -> None:
    unique = _unique(user_ids)
    if len(unique) > AVOID_MAX:
        errors["avoid_user_ids"] = f"Please list at most {AVOID_MAX} people."
    elif self_user_id in unique:
        errors["avoid_user_ids"] = "Please leave yourself off this list."
    elif not all(_USER_ID.match(user_id) for user_id in unique):
        errors["avoid_user_ids"] = "Please pick people from the list."


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())
