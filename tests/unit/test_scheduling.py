"""The pure rules of finding a time: suggestions, the vote's outcome, and the .ics text (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.scheduling import (
    CRLF,
    Invite,
    Person,
    Vote,
    call_days_of,
    chosen_slot,
    fits,
    fold,
    ics_escape,
    ics_text,
    slot_from_local,
    suggest_slots,
)
from bot.presentation.common import slack_time
from bot.shell.render import Names, mrkdwn

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # a Monday
NEW_YORK = Person("UNY", "America/New_York")
LOS_ANGELES = Person("ULA", "America/Los_Angeles")
LONDON = Person("ULN", "Europe/London")
SLOTS = [NOW + timedelta(days=1), NOW + timedelta(days=2), NOW + timedelta(days=3)]


def test_suggestions_suit_everyone_and_skip_their_call_days() -> None:
    people = [NEW_YORK, LOS_ANGELES, Person("ULN", "Europe/London", call_days=frozenset({1}))]
    slots = suggest_slots(people, NOW)
    assert len(slots) == 3
    assert len({slot.date() for slot in slots}) == 3
    for slot in slots:
        assert slot > NOW and all(fits(person, slot) for person in people)
        assert slot.astimezone(ZoneInfo("Europe/London")).weekday() != 1
        for person in people:
            local = slot.astimezone(ZoneInfo(person.tz or "UTC"))
            assert person.send_hour <= local.hour <= 20


def test_a_later_send_hour_moves_the_suggestion_later() -> None:
    early = suggest_slots([NEW_YORK, LONDON], NOW, count=1)[0]
    late = suggest_slots([Person("UNY", "America/New_York", send_hour=13), LONDON], NOW, count=1)[0]
    assert late - early == timedelta(hours=4)


def test_nobody_free_means_no_suggestion() -> None:
    always_on_call = Person("U1", "UTC", call_days=frozenset(range(7)))
    assert suggest_slots([always_on_call, LONDON], NOW) == []


def test_call_days_read_only_weekday_codes() -> None:
    assert call_days_of(["mon", "sun", "someday", 3]) == frozenset({0, 6})
    assert call_days_of(None) == frozenset()


def test_a_local_time_is_read_in_the_proposers_zone() -> None:
    assert slot_from_local(date(2027, 3, 2), time(12, 0), "America/New_York") == datetime(
        2027, 3, 2, 17, 0, tzinfo=UTC
    )
    assert slot_from_local(date(2027, 7, 2), time(12, 0), "America/New_York").hour == 16


def test_one_answer_does_not_decide_and_a_pair_needs_both() -> None:
    yes = [Vote("UA", 0, True)]
    assert chosen_slot(SLOTS, yes, 3, NOW) is None
    assert chosen_slot(SLOTS, yes, 2, NOW) is None
    assert chosen_slot(SLOTS, [*yes, Vote("UB", 0, True)], 2, NOW) == 0


def test_everyone_who_answered_must_make_the_same_slot() -> None:
    votes = [Vote("UA", 0, True), Vote("UA", 1, True), Vote("UB", 0, False), Vote("UB", 1, True)]
    assert chosen_slot(SLOTS, votes, 3, NOW) == 1
    split = [Vote("UA", 0, True), Vote("UB", 1, True)]
    assert chosen_slot(SLOTS, split, 3, NOW) is None


def test_the_earliest_agreed_slot_still_ahead_wins() -> None:
    votes = [Vote(user, slot, True) for user in ("UA", "UB") for slot in (0, 2)]
    assert chosen_slot(SLOTS, votes, 3, NOW) == 0
    assert chosen_slot(SLOTS, votes, 3, SLOTS[0] + timedelta(minutes=1)) == 2


def test_a_third_answer_against_the_slot_holds_it_back() -> None:
    votes = [Vote("UA", 0, True), Vote("UB", 0, True), Vote("UC", 0, False)]
    assert chosen_slot(SLOTS, votes, 3, NOW) is None


def invite(**changes: object) -> Invite:
    fields: dict[str, object] = {
        "uid": "meeting-plan-7-T0HOSP1@mentor-circles",
        "stamp": NOW,
        "start": datetime(2027, 3, 2, 17, 0, tzinfo=UTC),
        "summary": "Mentor Circle: Night owls",
        "description": "With Ana, Ben and Cat.",
    }
    fields.update(changes)
    return Invite(**fields)  # type: ignore[arg-type]


def test_the_ics_is_one_valid_event_with_utc_times_and_crlf_lines() -> None:
    text = ics_text(invite())
    assert text.endswith(CRLF) and "\n" not in text.replace(CRLF, "")
    assert "DTSTART:20270302T170000Z" in text and "DTSTAMP:20270301T120000Z" in text
    calendar = icalendar.Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2027, 3, 2, 17, 0, tzinfo=UTC)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert str(event["UID"]) == "meeting-plan-7-T0HOSP1@mentor-circles"
    assert str(event["SUMMARY"]) == "Mentor Circle: Night owls"
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]


def test_text_is_escaped_and_round_trips() -> None:
    tricky = 'Ana; Ben, "Cat" \\ Dee\nand Eve'
    assert ics_escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    (event,) = icalendar.Calendar.from_ical(ics_text(invite(summary=tricky))).walk("VEVENT")
    assert str(event["SUMMARY"]) == tricky


def test_long_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    summary = "Círculo de mentoría 🌙 " * 12
    text = ics_text(invite(summary=summary))
    lines = text.split(CRLF)
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]) == summary


@given(st.text(st.characters(exclude_characters="\r\n", exclude_categories=("Cs",)), max_size=400))
def test_folding_keeps_every_character_and_the_octet_limit(line: str) -> None:
    folded = fold(line)
    parts = folded.split(CRLF)
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(part[1:] for part in parts[1:])]) == line


@pytest.mark.parametrize(
    ("tz", "shown"),
    [
        ("America/New_York", "Mar 2, 2027 12:00 PM"),
        ("America/Los_Angeles", "Mar 2, 2027 9:00 AM"),
        ("Europe/London", "Mar 2, 2027 5:00 PM"),
    ],
)
def test_a_date_token_reads_in_the_viewers_zone(tz: str, shown: str) -> None:
    token = slack_time(datetime(2027, 3, 2, 17, 0, tzinfo=UTC))
    assert mrkdwn(token, Names(tz=tz)) == shown
    assert mrkdwn(token, Names()) == "2027-03-02 17:00 UTC"
