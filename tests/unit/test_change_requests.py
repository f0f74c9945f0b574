"""The pure rules behind change requests and mentees' choices: reasons, who is kept apart, the answer's
deadline, and the engine's suggestions (capacity, lists, exclusions, best first)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.change_requests import (
    MAX_REASON,
    Reason,
    ReasonTooLong,
    kept_apart,
    read_reason,
    respond_by,
)
from bot.domain.matching import Person
from bot.domain.matching.suggestions import suggest_mentors

MENTEE = Person("U0ANA", stage="PGY-1", specialty="im", needs=frozenset({"research"}))


def mentor(user_id: str, offers: set[str], capacity: int = 1, **extra: object) -> Person:
    return Person(user_id, stage="faculty", offers=frozenset(offers), capacity=capacity, **extra)  # type: ignore[arg-type]


def test_a_reason_is_trimmed_and_a_too_long_one_refused_whole() -> None:
    assert read_reason("  We never meet \n") == Reason("We never meet")
    assert read_reason(None) == Reason("")
    assert read_reason("x" * MAX_REASON) == Reason("x" * MAX_REASON)
    assert read_reason("x" * (MAX_REASON + 1)) == ReasonTooLong(MAX_REASON + 1)


def test_each_asker_is_kept_apart_from_everyone_they_were_with() -> None:
    assert kept_apart([("U1", ["U2", "U3", "U1"]), ("U4", ["U2"]), ("U1", ["U2"])]) == [
        ("U1", "U2"),
        ("U1", "U3"),
        ("U4", "U2"),
    ]
    assert kept_apart([]) == []


def test_the_answer_is_due_days_after_the_offer_and_at_least_one() -> None:
    at = datetime(2027, 3, 1, 12, tzinfo=UTC)
    assert respond_by(at, 3) == datetime(2027, 3, 4, 12, tzinfo=UTC)
    assert respond_by(at, 0) == datetime(2027, 3, 2, 12, tzinfo=UTC)


def test_suggestions_are_the_best_first_with_reasons_and_never_repeat() -> None:
    mentors = [
        mentor("U0EDU", {"education"}),
        mentor("U0RES", {"research"}, specialty="im"),
        mentor("U0BOTH", {"research", "education"}),
        mentor("U0WELL", {"wellbeing"}),
    ]
    found = suggest_mentors(MENTEE, mentors, [])
    ids = [match.mentors[0] for match in found]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert set(ids[:2]) == {"U0RES", "U0BOTH"}, "the mentors covering the need come first"
    assert all(reason.startswith("covers research") for reason in (found[0].reasons[0], found[1].reasons[0]))
    assert suggest_mentors(MENTEE, mentors, [], count=1)[0].mentors == (ids[0],), "the same best one"


def test_full_mentors_lists_and_exclusions_are_never_suggested() -> None:
    mentors = [
        mentor("U0FULL", {"research"}, capacity=1),
        mentor("U0AVOIDS", {"research"}, avoid=frozenset({"U0ANA"})),
        mentor("U0HAD", {"research"}),
        mentor("U0ROOM", {"education"}, capacity=2),
    ]
    load = [("U0BEN", "U0FULL"), ("U0ANA", "U0HAD"), ("U0CAT", "U0ROOM")]
    found = suggest_mentors(MENTEE, mentors, load, excluded={"U0HAD"})
    assert [match.mentors for match in found] == [("U0ROOM",)]
    assert suggest_mentors(MENTEE, [], load) == ()
    paused = Person("U0ANA", active=False)
    assert suggest_mentors(paused, mentors, []) == ()


def test_the_days_to_answer_are_a_program_setting() -> None:
    from bot.domain.programs import InvalidSettings, ProgramSettings, settings_from_form

    assert ProgramSettings.from_json({}).choice_response_days == 3
    assert settings_from_form(ProgramSettings(), {"choice_response_days": "5"}).choice_response_days == 5
    with pytest.raises(InvalidSettings) as refused:
        settings_from_form(ProgramSettings(), {"choice_response_days": "0"})
    assert "choice_response_days" in refused.value.errors
