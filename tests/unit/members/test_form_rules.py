"""Which questions the profile and settings modals ask, the profile-title stage parser, subspecialties."""

from __future__ import annotations

import pytest

from bot.domain.form_rules import profile_field_applies, settings_field_applies
from bot.domain.members import ProfileDraft, validate_profile
from bot.domain.members.profile import applicable_profile, normalize_profile
from bot.domain.members.stage_title import stage_from_title
from bot.domain.programs import ProgramSettings, settings_from_form
from bot.domain.vocabulary import SPECIALTY_IDS, SUBSPECIALTIES, matching_specialty, specialty_family


@pytest.mark.parametrize(
    ("roles", "asked"),
    [
        (("mentee",), {"needs"}),
        (("mentor",), {"offers", "capacity"}),
        (("mentee", "mentor"), {"needs", "offers", "capacity"}),
        (("peer",), set()),
        ((), set()),
    ],
)
def test_role_questions_follow_the_roles(roles: tuple[str, ...], asked: set[str]) -> None:
    conditional = {"needs", "offers", "capacity"}
    assert {name for name in conditional if profile_field_applies(name, roles, None)} == asked
    assert profile_field_applies("stage", roles, None) and profile_field_applies("tz", roles, None)


def test_other_specialty_is_asked_only_after_choosing_other() -> None:
    assert profile_field_applies("specialty_other", ("peer",), "other")
    assert not profile_field_applies("specialty_other", ("peer",), "internal-medicine")
    assert not profile_field_applies("specialty_other", ("peer",), None)


def test_circle_sizes_only_for_circle_programs() -> None:
    for name in ("circle_size", "min_size", "max_size"):
        assert settings_field_applies(name, "circles")
        assert not settings_field_applies(name, "mentors")
        assert not settings_field_applies(name, "teams")
    assert settings_field_applies("send_hour", "mentors")


DEFAULTS = ProgramSettings()

GOOD = ProfileDraft(
    roles=("mentee",),
    stage="PGY-2",
    specialty="internal-medicine",
    track="academic",
    needs=("research",),
    frequency="monthly",
    tz="America/Chicago",
)


def test_answers_to_questions_that_do_not_apply_are_neither_checked_nor_kept() -> None:
    stale = ProfileDraft(
        **{
            **GOOD.__dict__,
            "offers": ("not-a-domain",),
            "capacity": 99,
            "specialty_other": "x" * 500,
        }
    )
    assert validate_profile(stale, "U0ME") == {}
    kept = normalize_profile(stale)
    assert (kept.offers, kept.capacity, kept.specialty_other) == ((), None, None)
    assert applicable_profile(stale).needs == ("research",)


def test_every_failing_field_is_reported_at_once() -> None:
    bad = ProfileDraft(roles=("mentor",), specialty="other", tz="Mars/Olympus")
    errors = validate_profile(bad, "U0ME")
    assert set(errors) == {
        "stage",
        "specialty_other",
        "track",
        "offers",
        "frequency",
        "capacity",
        "tz",
    }


def test_settings_for_another_kind_ignore_circle_sizes_and_report_every_error() -> None:
    mentors = settings_from_form(DEFAULTS, {"kind": "mentors", "circle_size": "99"})
    assert (mentors.kind, mentors.circle_size) == ("mentors", DEFAULTS.circle_size)
    with pytest.raises(ValueError) as raised:
        settings_from_form(DEFAULTS, {"kind": "circles", "circle_size": "99", "send_hour": "x"})
    assert {"circle_size", "send_hour"} <= set(raised.value.errors)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("title", "stage"),
    [
        ("PGY-3", "PGY-3"),
        ("PGY 2", "PGY-2"),
        ("pgy1 resident", "PGY-1"),
        ("PGY-2 resident, internal medicine", "PGY-2"),
        ("Internal Medicine Resident (pgy_4)", "PGY-4"),
        ("Fellow", "fellow"),
        ("cardiology fellow", "fellow"),
        ("PGY-5 GI Fellow", "fellow"),
        ("Fellowship year 1", "fellow"),
        ("", None),
        (None, None),
        ("Resident", None),
        ("Program coordinator", None),
        ("Fellowship director", None),
        ("Former PGY-3", None),
        ("PGY-2/PGY-3", None),
        ("PGY-9", None),
        ("PGY-12", None),
        ("Attending, hospital medicine", None),
        ("Fellows' lounge fan", None),
    ],
)
def test_the_stage_a_profile_title_states(title: str | None, stage: str | None) -> None:
    assert stage_from_title(title) == stage


def test_subspecialties_are_choices_that_match_within_their_specialty() -> None:
    assert {"cardiology", "neonatology", "hospital-medicine"} <= set(SPECIALTY_IDS)
    assert all(parent in SPECIALTY_IDS for _, _, parent in SUBSPECIALTIES)
    assert specialty_family("cardiology") == specialty_family("nephrology") == "internal-medicine"
    assert specialty_family("neonatology") == "pediatrics"
    assert specialty_family("psychiatry") == "psychiatry"
    assert matching_specialty("gastroenterology", None) == "internal-medicine"
    assert matching_specialty("other", "Aerospace medicine") == "Aerospace medicine"
    assert matching_specialty(None, None) is None
