"""Deterministic, realistic-looking workspace FAQ entries, as coordinators of many programs might write."""

from __future__ import annotations

import random

from bot.domain.faq import FaqEntry, workspace_entry

_EVENTS = [
    "kickoff dinner",
    "mentorship mixer",
    "journal club",
    "research day",
    "wellness retreat",
    "faculty development workshop",
    "peer circle social",
    "end-of-year celebration",
    "grand mentoring panel",
    "CV review night",
    "grant writing bootcamp",
    "teaching skills session",
    "leadership seminar",
    "alumni career night",
    "QI poster session",
    "specialty speed-mentoring",
    "intern welcome lunch",
]
_PEOPLE = [
    "mentorship lead",
    "program coordinator",
    "chief resident",
    "associate program director",
    "faculty mentoring chair",
    "wellness champion",
    "research director",
    "education director",
]
_PLACES = [
    "the Education Center, room 204",
    "the main auditorium",
    "the faculty lounge on 5 West",
    "the simulation center",
    "the library conference room",
    "Zoom (link in the channel topic)",
]
_DAYS = [
    "first Tuesday of the month",
    "third Thursday",
    "every other Friday",
    "the last Monday of each block",
]
_NAMES = ["Dr. Patel", "Dr. Nguyen", "Dr. Okafor", "Dr. García", "Dr. Kim", "Dr. Haddad", "Dr. Rossi"]
_TOPICS = [
    (
        "Who is our {person}?",
        "Our {person} is {name}. Reach out by DM or email; they reply within two days.",
        ["{person}", "who to contact", "lead"],
    ),
    (
        "When is the {event}?",
        "The {event} happens on the {day} at {place}. Bring a question you'd like to discuss.",
        ["{event}", "schedule", "date", "when"],
    ),
    (
        "Where is the {event} held?",
        "We meet at {place}. If you can't make it, ask the {person} for notes.",
        ["{event}", "location", "where"],
    ),
    (
        "How do I sign up for the {event}?",
        "Reply in #mentorship or message the {person}, {name}. Spots are limited.",
        ["{event}", "register", "rsvp"],
    ),
    (
        "Do we get protected time for the {event}?",
        "Yes: the {event} counts as protected educational time. Tell your chief so the schedule reflects it.",
        ["protected time", "{event}", "schedule"],
    ),
    (
        "Is there funding for the {event}?",
        "The program covers registration for the {event}; ask the {person} before you book anything.",
        ["funding", "money", "{event}", "reimbursement"],
    ),
]


def synthetic_workspace_entries(
    count: int = 500, *, workspace_id: str = "T0BENCH", seed: int = 7
) -> list[FaqEntry]:
    rng = random.Random(seed)
    entries = []
    for n in range(count):
        title, answer, keywords = rng.choice(_TOPICS)
        values = {
            "event": rng.choice(_EVENTS),
            "person": rng.choice(_PEOPLE),
            "place": rng.choice(_PLACES),
            "day": rng.choice(_DAYS),
            "name": rng.choice(_NAMES),
        }
        entries.append(
            workspace_entry(
                workspace_id,
                str(n),
                title.format(**values),
                answer.format(**values),
                [k.format(**values) for k in keywords],
            )
        )
    return entries
