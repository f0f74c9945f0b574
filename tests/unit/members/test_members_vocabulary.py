from __future__ import annotations

import pytest

from bot.domain import vocabulary
from bot.domain.text import join_labels
from bot.domain.vocabulary import (
    DOMAIN_ALIASES,
    DOMAINS,
    FREQUENCIES,
    FREQUENCY_CADENCE_DAYS,
    FREQUENCY_LABELS,
    ROLES,
    SPECIALTIES,
    SPECIALTY_IDS,
    domain_from_tag,
    sentence_case,
    specialty_label,
    specialty_menu_label,
)


def test_stage_order_and_labels() -> None:
    assert vocabulary.stage_rank("medical-student") == 0
    assert vocabulary.stage_rank("PGY-2") < vocabulary.stage_rank("fellow") < vocabulary.stage_rank("faculty")
    assert vocabulary.stage_rank("private-practice") == vocabulary.stage_rank("faculty")
    assert vocabulary.stage_rank("unknown") is None and vocabulary.stage_rank(None) is None
    assert vocabulary.specialty_label("obstetrics-gynecology") == "obstetrics and gynecology"
    assert join_labels(["a", "b", "c"]) == "a, b and c"


def test_roles_and_frequencies() -> None:
    assert ROLES == ("mentee", "mentor", "peer")
    assert FREQUENCIES == ("biweekly", "monthly", "every-6-weeks", "quarterly")
    assert FREQUENCY_CADENCE_DAYS == {"biweekly": 14, "monthly": 30, "every-6-weeks": 42, "quarterly": 91}
    assert set(FREQUENCY_LABELS) == set(FREQUENCIES)


def test_specialties_are_unique_slugs_with_other_last() -> None:
    assert len(SPECIALTIES) == 26
    assert len(set(SPECIALTY_IDS)) == len(SPECIALTY_IDS)
    assert SPECIALTIES[-1][0] == "other"
    assert {"internal-medicine-pediatrics", "physical-medicine-rehabilitation", "orthopaedic-surgery"} <= set(
        SPECIALTY_IDS
    )
    assert all(label[0].isupper() for _, label in SPECIALTIES)


def test_specialty_labels_for_menus_and_sentences() -> None:
    assert specialty_menu_label("internal-medicine") == "Internal medicine"
    assert specialty_label("internal-medicine") == "internal medicine"
    assert specialty_menu_label("sports-medicine") == "Sports medicine"


@pytest.mark.parametrize(
    ("tag", "domain"),
    [
        ("#teaching", "education"),
        ("#money", "business"),
        ("#finance", "business"),
        ("#contracts", "business"),
        ("#wellness", "wellbeing"),
        ("#burnout", "wellbeing"),
        ("#academic", "promotion"),
        ("#career", "promotion"),
        ("#Research", "research"),
        ("leadership", "leadership"),
        ("#Well_Being", "wellbeing"),
    ],
)
def test_domain_tags_and_aliases(tag: str, domain: str) -> None:
    assert domain_from_tag(tag) == domain


def test_every_alias_points_at_a_domain_and_unknown_tags_do_not() -> None:
    assert set(DOMAIN_ALIASES.values()) <= set(DOMAINS)
    assert domain_from_tag("#cooking") is None
    assert domain_from_tag("#") is None


def test_sentence_case_keeps_the_rest() -> None:
    assert sentence_case("in private practice") == "In private practice"
    assert sentence_case("PGY-2") == "PGY-2"
    assert sentence_case("") == ""
