from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.members.profile import (
    PROFILE_FIELDS,
    ProfileDraft,
    normalize_profile,
    profile_summary_lines,
    validate_profile,
)
from bot.domain.vocabulary import DOMAINS, FREQUENCIES, ROLES, SPECIALTY_IDS, STAGES, TRACKS

ME = "U0SELF"

MENTOR_MENTEE = ProfileDraft(
    roles=("mentee", "mentor"),
    stage="PGY-2",
    specialty="internal-medicine",
    track="academic",
    needs=("research", "education"),
    offers=("clinical",),
    frequency="monthly",
    capacity=2,
    tz="America/Chicago",
    site="Main campus",
    avoid_user_ids=("U0OTHER",),
)
PEER = ProfileDraft(
    roles=("peer",),
    stage="medical-student",
    specialty="pediatrics",
    track="undecided",
    frequency="biweekly",
    tz="UTC",
)


def test_complete_profiles_have_no_errors() -> None:
    assert validate_profile(MENTOR_MENTEE, ME) == {}
    assert validate_profile(PEER, ME) == {}


def test_an_empty_form_names_every_required_field() -> None:
    errors = validate_profile(ProfileDraft(), ME)
    assert set(errors) == {"roles", "stage", "specialty", "track", "frequency", "tz"}
    assert errors["roles"] == "Pick at least one role: mentee, mentor or peer."
    assert all(message.endswith(".") and len(message) < 150 for message in errors.values())


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"roles": ("boss",)}, "roles", "from the list"),
        ({"stage": "PGY-9"}, "stage", "career stage from the list"),
        ({"specialty": "astrology"}, "specialty", "specialty from the list"),
        ({"specialty": "other"}, "specialty_other", "type your specialty"),
        ({"specialty": "other", "specialty_other": "   "}, "specialty_other", "type your specialty"),
        ({"specialty": "other", "specialty_other": "x" * 81}, "specialty_other", "80 characters"),
        ({"track": "astronaut"}, "track", "from the list"),
        ({"needs": ()}, "needs", "at least one area where you'd like guidance"),
        ({"needs": ("cooking",)}, "needs", "from the list"),
        ({"offers": ()}, "offers", "at least one area where you can offer guidance"),
        ({"frequency": "weekly"}, "frequency", "how often you'd like to meet from the list"),
        ({"capacity": None}, "capacity", "how many mentees you can take"),
        ({"capacity": 0}, "capacity", "between 1 and 10"),
        ({"capacity": 11}, "capacity", "between 1 and 10"),
        ({"tz": "Mars/Olympus_Mons"}, "tz", "time zone from the list"),
        ({"tz": "../../etc/passwd"}, "tz", "time zone from the list"),
        ({"tz": None}, "tz", "pick your time zone"),
        ({"site": "s" * 81}, "site", "80 characters"),
        ({"avoid_user_ids": (ME,)}, "avoid_user_ids", "leave yourself off"),
        ({"avoid_user_ids": tuple(f"U{n:04d}" for n in range(21))}, "avoid_user_ids", "at most 20 people"),
        ({"avoid_user_ids": ("bob",)}, "avoid_user_ids", "pick people from the list"),
        ({"call_days": ("mon", "someday")}, "call_days", "pick the days from the list"),
    ],
)
def test_each_invalid_field_gets_its_own_inline_error(
    change: dict[str, object], field: str, words: str
) -> None:
    errors = validate_profile(replace(MENTOR_MENTEE, **change), ME)
    assert list(errors) == [field]
    assert words in errors[field].lower()


def test_capacity_and_offers_only_matter_for_mentors() -> None:
    mentee_only = replace(MENTOR_MENTEE, roles=("mentee",), offers=(), capacity=99)
    assert validate_profile(mentee_only, ME) == {}
    assert normalize_profile(mentee_only).capacity is None


def test_the_other_specialty_text_fits_at_the_limit() -> None:
    assert validate_profile(replace(MENTOR_MENTEE, specialty="other", specialty_other="x" * 80), ME) == {}


def test_error_keys_are_field_names_a_modal_can_use_as_block_ids() -> None:
    assert set(PROFILE_FIELDS) == {
        "roles",
        "stage",
        "specialty",
        "specialty_other",
        "track",
        "needs",
        "offers",
        "frequency",
        "capacity",
        "tz",
        "site",
        "avoid_user_ids",
        "call_days",
    }


def test_normalize_trims_dedupes_and_clears_what_does_not_apply() -> None:
    draft = replace(
        MENTOR_MENTEE,
        roles=("mentor", "mentee", "mentor"),
        needs=("research", "research"),
        specialty_other="ignored",
        site="  \u200b ",
        avoid_user_ids=("U1X", "U1X"),
    )
    normal = normalize_profile(draft)
    assert normal.roles == ("mentor", "mentee")
    assert normal.needs == ("research",)
    assert normal.specialty_other is None
    assert normal.site is None
    assert normal.avoid_user_ids == ("U1X",)
    assert normal.capacity == 2


def test_summary_lines_read_naturally() -> None:
    assert profile_summary_lines(MENTOR_MENTEE) == [
        "PGY-2 · Internal medicine · academic track",
        "Roles: mentee and mentor",
        "Wants guidance on: research and teaching",
        "Can offer guidance on: clinical skills",
        "Can take: up to 2 mentees",
        "Meets: monthly",
        "Time zone: America/Chicago",
        "Site: Main campus",
    ]


def test_summary_for_a_peer_with_an_other_specialty_never_shows_the_avoid_list() -> None:
    peer = replace(
        PEER,
        specialty="other",
        specialty_other="Sleep <medicine>",
        needs=("wellbeing",),
        avoid_user_ids=("U0SECRET",),
    )
    lines = profile_summary_lines(peer)
    assert lines == [
        "Medical student · Sleep &lt;medicine&gt; · track undecided",
        "Roles: peer",
        "Meets: every two weeks",
        "Time zone: UTC",
    ]
    assert not any("U0SECRET" in line for line in lines)


def test_summary_of_an_empty_draft_is_empty() -> None:
    assert profile_summary_lines(ProfileDraft()) == []


def maybe(values: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.sampled_from(values), st.text(max_size=100))


drafts = st.builds(
    ProfileDraft,
    roles=st.lists(st.one_of(st.sampled_from(ROLES), st.text(max_size=10)), max_size=4).map(tuple),
    stage=maybe(STAGES),
    specialty=maybe(SPECIALTY_IDS),
    specialty_other=st.one_of(st.none(), st.text(max_size=200)),
    track=maybe(TRACKS),
    needs=st.lists(st.sampled_from(DOMAINS), max_size=8).map(tuple),
    offers=st.lists(st.one_of(st.sampled_from(DOMAINS), st.text(max_size=10)), max_size=8).map(tuple),
    frequency=maybe(FREQUENCIES),
    capacity=st.one_of(st.none(), st.integers(-5, 20)),
    tz=st.one_of(st.none(), st.sampled_from(["UTC", "Europe/Paris", "bad"]), st.text(max_size=40)),
    site=st.one_of(st.none(), st.text(max_size=120)),
    avoid_user_ids=st.lists(st.sampled_from([ME, "U1AAA", "U2BBB", "x"]), max_size=25).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(draft=drafts)
def test_validation_and_summary_never_raise(draft: ProfileDraft) -> None:
    errors = validate_profile(draft, ME)
    assert set(errors) <= set(PROFILE_FIELDS)
    assert all(message.endswith(".") for message in errors.values())
    if not errors:
        assert validate_profile(normalize_profile(draft), ME) == {}
    assert all(isinstance(line, str) and line for line in profile_summary_lines(draft))


def test_call_days_are_optional_kept_in_week_order_and_summarised() -> None:
    draft = replace(MENTOR_MENTEE, call_days=("thu", "mon", "thu"))
    assert validate_profile(draft, ME) == {}
    assert normalize_profile(draft).call_days == ("mon", "thu")
    assert "Usually on nights or call: Monday and Thursday" in profile_summary_lines(normalize_profile(draft))
    assert not any("call" in line for line in profile_summary_lines(MENTOR_MENTEE))
