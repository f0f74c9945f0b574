from bot.domain.matching import Person
from bot.domain.matching.explain import circle_reasons, match_reasons


def test_circle_reasons_come_from_the_data():
    people = [
        Person(
            "a",
            stage="PGY-2",
            site="A",
            tz="America/Chicago",
            track="academic",
            needs=frozenset({"research"}),
        ),
        Person(
            "b",
            stage="PGY-2",
            site="A",
            tz="America/New_York",
            track="academic",
            needs=frozenset({"research"}),
        ),
    ]
    assert circle_reasons(people, {}) == (
        "new to each other",
        "both interested in research",
        "both at the same stage (PGY-2)",
        "same site (A)",
        "within 1 hour of each other",
        "both on the academic track",
    )
    assert circle_reasons(people, {("a", "b"): [3]})[0] == "2 of you met in round 3"


def test_mixed_circles_and_unknown_time_zones():
    people = [Person("a", stage="PGY-1", tz="Nowhere/Land"), Person("b", stage="PGY-3"), Person("c")]
    reasons = circle_reasons(people, {("a", "b"): [1], ("b", "c"): [2]})
    assert reasons[0] == "2 pairs of you have met before, most recently in round 2"
    assert "a mix of stages from PGY-1 to PGY-3" in reasons
    assert not any("hour" in r or "time zone" in r for r in reasons)


def test_match_reasons_name_the_covered_domains():
    mentee = Person(
        "e", stage="PGY-2", specialty="surgery", needs=frozenset({"education", "business", "leadership"})
    )
    mentor = Person("m", stage="faculty", specialty="surgery", offers=frozenset({"business", "education"}))
    assert match_reasons(mentee, [mentor]) == (
        "covers teaching and practice management, contracts and finance",
        "does not yet cover leadership",
        "same specialty (surgery)",
        "further along (faculty) than the mentee (PGY-2)",
    )
