"""A mentorship program's settings: what kind of matching it runs, how often, and when people hear from it.

Pure and JSON-friendly: storage keeps `ProgramSettings.to_json()`, the modal feeds `settings_from_form`,
matching and nudges read the typed values. Unknown or missing stored keys fall back to the defaults, so
settings added later never break an older row.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from typing import Any

from bot.domain import calendar
from bot.domain.calendar import RoundWindow as RoundWindow
from bot.domain.form_rules import settings_field_applies
from bot.domain.matching import CircleSize
from bot.domain.matching.model import CircleWeights

KINDS = ("circles", "mentors", "teams")
KIND_LABELS = {"circles": "peer circles", "mentors": "1:1 mentoring", "teams": "mentorship teams"}
KIND_WORDS = {
    **{kind: kind for kind in KINDS},
    "circle": "circles",
    "mentor": "mentors",
    "team": "teams",
}
"""What a coordinator may type for a kind of program: each kind, singular or plural."""
ENROLLMENTS = ("open", "invite")
SIMILARITY = ("same", "mixed", "ignore")
PREFERENCE = ("prefer", "ignore")
DEFAULT_PROGRAM_NAME = "Mentor Circles"
NAME_PATTERN = re.compile(r"^[\w][\w \-:/&+().']{0,79}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")
SIMILARITY_WEIGHT = {"same": 1.0, "mixed": -1.0, "ignore": 0.0}
MAX_WELLBEING_CONTACTS_CHARS = 1000


class InvalidSettings(ValueError):
    """Raised with a message per field (keys are `ProgramSettings` field names)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class MatchingPreferences:
    """Same or mixed stage, specialty and track; whether one site and nearby time zones count."""

    stage: str = "same"
    specialty: str = "ignore"
    track: str = "same"
    site: str = "prefer"
    time_zone: str = "prefer"

    def circle_weights(self) -> CircleWeights:
        return CircleWeights(
            stage=SIMILARITY_WEIGHT[self.stage],
            specialty=SIMILARITY_WEIGHT[self.specialty],
            track=SIMILARITY_WEIGHT[self.track] / 2,
            same_site=1.0 if self.site == "prefer" else 0.0,
            tz_proximity=1.0 if self.time_zone == "prefer" else 0.0,
        )


@dataclass(frozen=True)
class ProgramSettings:
    kind: str = "circles"
    circle_size: int = 4
    min_size: int = 3
    max_size: int = 5
    cadence_days: int | None = None
    """Days between meetings; None follows each member's own preferred frequency."""
    round_months: int = 3
    year_start: tuple[int, int] = (7, 1)
    """(month, day) the rounds' calendar starts from: an academic year starting July 1."""
    repeat_window: int = 6
    """How many past rounds the matcher tries not to repeat pairs from."""
    send_hour: int = 9
    quiet_start: int = 20
    quiet_end: int = 8
    weekdays_only: bool = True
    flag_stalled: bool = False
    weekly_nudge_budget: int = 2
    """At most this many nudge DMs a member gets in a (local) week: `bot.domain.nudges.budget`."""
    enrollment: str = "open"
    invite_users: tuple[str, ...] = ()
    invite_channel: str | None = None
    auto_publish: bool = False
    matching: MatchingPreferences = field(default_factory=MatchingPreferences)
    wellbeing_contacts: str = ""
    """Who a member in distress can talk to in this program (names, numbers, channels, as coordinators
    write them): the FAQ's wellbeing answer shows them first; "" falls back to a general default."""
    choice_response_days: int = 3
    """Days a mentor has to accept or decline a mentee who chose them, before the next suggestion."""

    def __post_init__(self) -> None:
        errors = validation_errors(self)
        if errors:
            raise InvalidSettings(errors)

    @property
    def circle_size_bounds(self) -> CircleSize:
        return CircleSize(self.circle_size, self.min_size, self.max_size)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["year_start"] = list(self.year_start)
        data["invite_users"] = list(self.invite_users)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ProgramSettings:
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        if "year_start" in values:
            values["year_start"] = tuple(values["year_start"])
        if "invite_users" in values:
            values["invite_users"] = tuple(values["invite_users"])
        if "matching" in values:
            preference_keys = {f.name for f in fields(MatchingPreferences)}
            values["matching"] = MatchingPreferences(
                **{k: v for k, v in (values["matching"] or {}).items() if k in preference_keys}
            )
        return cls(**values)


def validation_errors(settings: ProgramSettings) -> dict[str, str]:
    errors: dict[str, str] = {}
    if settings.kind not in KINDS:
        errors["kind"] = "Choose peer circles, 1:1 mentoring or mentorship teams."
    if not 2 <= settings.min_size <= settings.circle_size <= settings.max_size <= 12:
        errors["circle_size"] = "Sizes need 2 ≤ smallest ≤ usual ≤ largest ≤ 12."
    if settings.cadence_days is not None and not 7 <= settings.cadence_days <= 90:
        errors["cadence_days"] = "Meet every 7 to 90 days, or leave it empty to follow each member."
    if not 1 <= settings.choice_response_days <= 30:
        errors["choice_response_days"] = "Give mentors 1 to 30 days to answer a mentee who chose them."
    if settings.round_months not in (1, 2, 3, 4, 6, 12):
        errors["round_months"] = "A round lasts 1, 2, 3, 4, 6 or 12 months."
    month, day = settings.year_start
    try:
        date(2001, month, day)
    except (TypeError, ValueError):
        errors["year_start"] = "Give the day the year starts as MM-DD, for example 07-01."
    if not 0 <= settings.repeat_window <= 12:
        errors["repeat_window"] = "Avoid repeats for 0 to 12 past rounds."
    if not 1 <= settings.weekly_nudge_budget <= 14:
        errors["weekly_nudge_budget"] = "Allow 1 to 14 nudges a week for each person."
    if not 0 <= settings.send_hour <= 23:
        errors["send_hour"] = "Pick an hour from 0 to 23."
    elif _in_quiet_hours(settings.send_hour, settings.quiet_start, settings.quiet_end):
        errors["send_hour"] = "The send hour falls inside the quiet hours."
    if not (0 <= settings.quiet_start <= 23 and 0 <= settings.quiet_end <= 23):
        errors["quiet_hours"] = "Quiet hours run between two hours from 0 to 23."
    if settings.enrollment not in ENROLLMENTS:
        errors["enrollment"] = "Enrollment is open or invite-only."
    elif settings.enrollment == "invite" and not (settings.invite_users or settings.invite_channel):
        errors["enrollment"] = "Invite-only needs people or a channel to invite."
    if any(not USER_ID.match(user) for user in settings.invite_users):
        errors["invite_users"] = "Pick people from the workspace."
    if settings.invite_channel is not None and not CHANNEL_ID.match(settings.invite_channel):
        errors["invite_channel"] = "Pick a channel from the workspace."
    if len(settings.wellbeing_contacts) > MAX_WELLBEING_CONTACTS_CHARS:
        errors["wellbeing_contacts"] = (
            f"Please keep the wellbeing contacts under {MAX_WELLBEING_CONTACTS_CHARS:,} characters."
        )
    preferences = settings.matching
    if not (
        {preferences.stage, preferences.specialty, preferences.track} <= set(SIMILARITY)
        and {preferences.site, preferences.time_zone} <= set(PREFERENCE)
    ):
        errors["matching"] = (
            "Each matching preference is same, mixed or ignore (site and time zone: prefer or ignore)."
        )
    return errors


def _in_quiet_hours(hour: int, start: int, end: int) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def kind_named(word: str) -> str | None:
    """The kind (`KINDS`) a typed word names, in either number and any case; None when it names none."""
    return KIND_WORDS.get(word.strip().lower())


def valid_program_name(name: str) -> str | None:
    """The trimmed name, or None when it is empty, too long, or has characters Slack would mangle."""
    name = " ".join(name.split())
    return name if NAME_PATTERN.match(name) else None


def parse_year_start(text: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"\s*(\d{1,2})\s*[-/]\s*(\d{1,2})\s*", text or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def parse_optional_int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.lstrip("-").isdigit() else None


def settings_from_form(base: ProgramSettings, form: dict[str, Any]) -> ProgramSettings:
    """Apply a modal's values (strings, lists and booleans keyed by field name) to `base`.

    Raises `InvalidSettings` with one friendly message per field that does not fit, all of them at once.
    Settings that do not apply to the chosen kind (`bot.domain.form_rules`) are ignored.
    """
    kind = form.get("kind") or base.kind
    form = {key: value for key, value in form.items() if settings_field_applies(key, kind)}
    errors: dict[str, str] = {}
    changes: dict[str, Any] = {}

    def number(key: str, *, optional: bool = False) -> None:
        if key not in form:
            return
        text = str(form[key] or "").strip()
        if not text and optional:
            changes[key] = None
            return
        value = parse_optional_int(text)
        if value is None:
            errors[key] = "Enter a whole number."
        else:
            changes[key] = value

    for key in (
        "circle_size",
        "min_size",
        "max_size",
        "round_months",
        "repeat_window",
        "choice_response_days",
        "weekly_nudge_budget",
    ):
        number(key)
    number("cadence_days", optional=True)
    for key in ("send_hour", "quiet_start", "quiet_end"):
        number(key)
    for key in ("kind", "enrollment"):
        if key in form and form[key]:
            changes[key] = form[key]
    if "year_start" in form:
        parsed = parse_year_start(str(form["year_start"]))
        if parsed is None:
            errors["year_start"] = "Give the day the year starts as MM-DD, for example 07-01."
        else:
            changes["year_start"] = parsed
    for key in ("weekdays_only", "flag_stalled", "auto_publish"):
        if key in form:
            changes[key] = bool(form[key])
    if "invite_users" in form:
        changes["invite_users"] = tuple(form["invite_users"] or ())
    if "invite_channel" in form:
        changes["invite_channel"] = form["invite_channel"] or None
    if "wellbeing_contacts" in form:
        changes["wellbeing_contacts"] = str(form["wellbeing_contacts"] or "").strip()
    preference_keys = {f.name for f in fields(MatchingPreferences)}
    preferences = {key: form[key] for key in preference_keys if form.get(key)}
    if preferences:
        changes["matching"] = replace(base.matching, **preferences)
    try:
        settings = replace(base, **changes)
    except InvalidSettings as invalid:
        raise InvalidSettings({**invalid.errors, **errors}) from None
    except (TypeError, ValueError) as error:
        raise InvalidSettings({"kind": str(error), **errors}) from error
    if errors:
        raise InvalidSettings(errors)
    return settings


def round_window(settings: ProgramSettings, today: date) -> RoundWindow:
    """The round `today` falls in, on the calendar of `round_months`-long rounds from the year start."""
    return calendar.round_window(settings.round_months, settings.year_start, today)
