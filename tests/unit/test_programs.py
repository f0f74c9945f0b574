"""Program settings: every field's validation, the rounds' calendar, and the modal's round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.programs import (
    InvalidSettings,
    MatchingPreferences,
    ProgramSettings,
    kind_named,
    parse_year_start,
    round_window,
    settings_from_form,
    valid_program_name,
)

DEFAULTS = ProgramSettings()


def errors_of(**changes: object) -> dict[str, str]:
    with pytest.raises(InvalidSettings) as raised:
        ProgramSettings(**changes)  # type: ignore[arg-type]
    return raised.value.errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "speed-dating"}, "kind"),
        ({"circle_size": 1, "min_size": 1, "max_size": 1}, "circle_size"),
        ({"circle_size": 4, "min_size": 5, "max_size": 6}, "circle_size"),
        ({"circle_size": 6, "min_size": 3, "max_size": 5}, "circle_size"),
        ({"circle_size": 13, "min_size": 3, "max_size": 13}, "circle_size"),
        ({"cadence_days": 6}, "cadence_days"),
        ({"cadence_days": 91}, "cadence_days"),
        ({"round_months": 5}, "round_months"),
        ({"round_months": 0}, "round_months"),
        ({"year_start": (2, 30)}, "year_start"),
        ({"year_start": (13, 1)}, "year_start"),
        ({"repeat_window": -1}, "repeat_window"),
        ({"repeat_window": 13}, "repeat_window"),
        ({"send_hour": 24}, "send_hour"),
        ({"send_hour": -1}, "send_hour"),
        ({"send_hour": 22}, "send_hour"),
        ({"send_hour": 7}, "send_hour"),
        ({"quiet_start": 24, "send_hour": 9}, "quiet_hours"),
        ({"quiet_end": -1, "send_hour": 9}, "quiet_hours"),
        ({"enrollment": "secret"}, "enrollment"),
        ({"enrollment": "invite"}, "enrollment"),
        ({"invite_users": ("alice",)}, "invite_users"),
        ({"invite_channel": "general"}, "invite_channel"),
        ({"matching": MatchingPreferences(stage="opposite")}, "matching"),
        ({"matching": MatchingPreferences(site="same")}, "matching"),
    ],
)
def test_each_bad_field_gets_its_own_friendly_message(changes: dict[str, object], field: str) -> None:
    errors = errors_of(**changes)
    assert list(errors) == [field]
    assert errors[field].endswith(".") and len(errors[field]) < 120


def test_several_bad_fields_are_reported_together() -> None:
    errors = errors_of(kind="x", send_hour=30, round_months=7)
    assert set(errors) == {"kind", "send_hour", "round_months"}
    assert "kind: " in str(InvalidSettings(errors))


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"circle_size": 2, "min_size": 2, "max_size": 2},
        {"circle_size": 12, "min_size": 2, "max_size": 12},
        {"cadence_days": 7},
        {"cadence_days": 90},
        {"round_months": 12},
        {"year_start": (2, 28)},
        {"send_hour": 23, "quiet_start": 0, "quiet_end": 6},
        {"send_hour": 12, "quiet_start": 8, "quiet_end": 8},
        {"enrollment": "invite", "invite_users": ("U0ABC",)},
        {"enrollment": "invite", "invite_channel": "G0PRIVATE"},
        {"matching": MatchingPreferences("mixed", "same", "ignore", "ignore", "ignore")},
    ],
)
def test_edges_that_fit_are_accepted(changes: dict[str, object]) -> None:
    settings = ProgramSettings(**changes)  # type: ignore[arg-type]
    assert ProgramSettings.from_json(settings.to_json()) == settings


def test_stored_settings_tolerate_missing_and_unknown_keys() -> None:
    stored = {
        "circle_size": 3,
        "min_size": 2,
        "added_in_a_later_version": True,
        "matching": {"stage": "mixed"},
    }
    settings = ProgramSettings.from_json(stored)
    assert (settings.circle_size, settings.min_size, settings.max_size) == (3, 2, 5)
    assert settings.matching == MatchingPreferences(stage="mixed")
    assert ProgramSettings.from_json(None) == DEFAULTS


def test_matching_preferences_become_circle_weights() -> None:
    weights = MatchingPreferences("mixed", "same", "same", "ignore", "prefer").circle_weights()
    assert (weights.stage, weights.specialty, weights.track) == (-1.0, 1.0, 0.5)
    assert (weights.same_site, weights.tz_proximity) == (0.0, 1.0)


QUARTERLY = ProgramSettings(round_months=3, year_start=(7, 1))


@pytest.mark.parametrize(
    ("today", "number", "starts", "ends"),
    [
        (date(2026, 7, 1), 1, date(2026, 7, 1), date(2026, 10, 1)),
        (date(2026, 9, 30), 1, date(2026, 7, 1), date(2026, 10, 1)),
        (date(2026, 10, 1), 2, date(2026, 10, 1), date(2027, 1, 1)),
        (date(2027, 1, 15), 3, date(2027, 1, 1), date(2027, 4, 1)),
        (date(2027, 6, 30), 4, date(2027, 4, 1), date(2027, 7, 1)),
        (date(2027, 7, 1), 1, date(2027, 7, 1), date(2027, 10, 1)),
    ],
)
def test_quarterly_rotations_in_an_academic_year_from_july_first(
    today: date, number: int, starts: date, ends: date
) -> None:
    window = round_window(QUARTERLY, today)
    assert (window.number, window.starts, window.ends) == (number, starts, ends)


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    round_months=st.sampled_from((1, 2, 3, 4, 6, 12)),
    year_start=st.tuples(st.integers(1, 12), st.integers(1, 28)),
)
def test_every_day_falls_in_exactly_one_round_of_its_year(
    today: date, round_months: int, year_start: tuple[int, int]
) -> None:
    settings = ProgramSettings(round_months=round_months, year_start=year_start)
    window = round_window(settings, today)
    assert window.starts <= today < window.ends
    assert 1 <= window.number <= 12 // round_months
    assert (window.starts.day, (window.starts.month - year_start[0]) % round_months) == (year_start[1], 0)
    following = round_window(settings, window.ends)
    assert following.starts == window.ends
    assert following.number == (1 if window.number == 12 // round_months else window.number + 1)
    assert round_window(settings, window.ends - timedelta(days=1)) == window


FORM = {
    "kind": "teams",
    "circle_size": "5",
    "min_size": "4",
    "max_size": "6",
    "cadence_days": "",
    "round_months": "6",
    "year_start": "07-01",
    "repeat_window": "2",
    "send_hour": "10",
    "quiet_start": "21",
    "quiet_end": "7",
    "weekdays_only": False,
    "flag_stalled": True,
    "auto_publish": True,
    "enrollment": "invite",
    "invite_users": ["U0AAA", "U0BBB"],
    "invite_channel": "C0COHORT",
    "stage": "mixed",
    "site": "ignore",
}


def test_a_full_form_sets_every_field() -> None:
    settings = settings_from_form(DEFAULTS, FORM)
    assert settings == ProgramSettings(
        kind="teams",
        circle_size=DEFAULTS.circle_size,
        min_size=DEFAULTS.min_size,
        max_size=DEFAULTS.max_size,
        cadence_days=None,
        round_months=6,
        year_start=(7, 1),
        repeat_window=2,
        send_hour=10,
        quiet_start=21,
        quiet_end=7,
        weekdays_only=False,
        flag_stalled=True,
        auto_publish=True,
        enrollment="invite",
        invite_users=("U0AAA", "U0BBB"),
        invite_channel="C0COHORT",
        matching=MatchingPreferences(stage="mixed", site="ignore"),
    )
    assert ProgramSettings.from_json(settings.to_json()) == settings


def test_a_partial_form_keeps_everything_else() -> None:
    base = ProgramSettings(cadence_days=14, send_hour=8, quiet_end=7)
    assert settings_from_form(base, {"send_hour": " 11 "}) == replace(base, send_hour=11)
    assert settings_from_form(base, {}) == base


def test_form_errors_name_their_fields_and_change_nothing() -> None:
    with pytest.raises(InvalidSettings) as raised:
        settings_from_form(DEFAULTS, {"circle_size": "four", "year_start": "July", "cadence_days": "3"})
    assert set(raised.value.errors) == {"circle_size", "year_start", "cadence_days"}
    with pytest.raises(InvalidSettings) as raised:
        settings_from_form(DEFAULTS, {"cadence_days": "3", "send_hour": "21"})
    assert set(raised.value.errors) == {"cadence_days", "send_hour"}


valid_settings = st.builds(
    ProgramSettings,
    kind=st.sampled_from(("circles", "mentors", "teams")),
    cadence_days=st.none() | st.integers(7, 90),
    round_months=st.sampled_from((1, 2, 3, 4, 6, 12)),
    year_start=st.tuples(st.integers(1, 12), st.integers(1, 28)),
    repeat_window=st.integers(0, 12),
    send_hour=st.integers(8, 19),
    weekdays_only=st.booleans(),
    flag_stalled=st.booleans(),
    auto_publish=st.booleans(),
    invite_users=st.lists(st.from_regex(r"U[A-Z0-9]{4,10}", fullmatch=True), max_size=3).map(tuple),
    matching=st.builds(
        MatchingPreferences,
        stage=st.sampled_from(("same", "mixed", "ignore")),
        specialty=st.sampled_from(("same", "mixed", "ignore")),
        track=st.sampled_from(("same", "mixed", "ignore")),
        site=st.sampled_from(("prefer", "ignore")),
        time_zone=st.sampled_from(("prefer", "ignore")),
    ),
)


def as_form(settings: ProgramSettings) -> dict[str, object]:
    """The values the settings modal would submit for `settings`."""
    data = settings.to_json()
    form: dict[str, object] = {
        key: ("" if value is None else str(value))
        for key, value in data.items()
        if isinstance(value, int | None) and not isinstance(value, bool) and key != "invite_channel"
    }
    form.update(
        {key: data[key] for key in ("kind", "enrollment", "weekdays_only", "flag_stalled", "auto_publish")}
    )
    form.update(data["matching"])
    form["year_start"] = "{:02d}-{:02d}".format(*settings.year_start)
    form["invite_users"] = list(settings.invite_users)
    form["invite_channel"] = settings.invite_channel or ""
    return form


@given(valid_settings)
def test_the_form_round_trips_any_valid_settings(settings: ProgramSettings) -> None:
    assert settings_from_form(DEFAULTS, as_form(settings)) == settings
    assert ProgramSettings.from_json(settings.to_json()) == settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07-01", (7, 1)),
        (" 7/1 ", (7, 1)),
        ("12-31", (12, 31)),
        ("July 1", None),
        ("", None),
        ("7-1-2026", None),
    ],
)
def test_year_start_is_read_as_month_and_day(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_year_start(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("  PGY-1   peer circles ", "PGY-1 peer circles"),
        ("Research teams (2026/27)", "Research teams (2026/27)"),
        ("", None),
        ("<script>", None),
        ("x" * 81, None),
        ("*bold*", None),
    ],
)
def test_program_names_are_trimmed_and_checked(name: str, expected: str | None) -> None:
    assert valid_program_name(name) == expected


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("circle", "circles"),
        ("Circles", "circles"),
        ("mentor", "mentors"),
        ("MENTORS", "mentors"),
        ("team", "teams"),
    ],
)
def test_a_kind_may_be_typed_singular_or_plural(typed: str, kind: str) -> None:
    assert kind_named(typed) == kind


def test_other_words_name_no_kind() -> None:
    assert kind_named("circlez") is None
    assert kind_named("") is None
