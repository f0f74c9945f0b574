"""Seeded synthetic programs for the matching benchmark."""

from __future__ import annotations

import random

from bot.domain.matching import History, HistoryRound, Person
from bot.domain.vocabulary import DOMAINS, STAGES, TRACKS

SPECIALTIES = ["internal-medicine", "surgery", "pediatrics", "family-medicine", "psychiatry", "radiology"]
TIME_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]


def residents(n: int, seed: int, avoid_share: float = 0.02) -> list[Person]:
    rng = random.Random(seed)
    ids = [f"U{i:05d}" for i in range(n)]
    people = []
    for pid in ids:
        avoid = frozenset({rng.choice(ids)} - {pid}) if rng.random() < avoid_share else frozenset()
        people.append(
            Person(
                id=pid,
                stage=rng.choice(STAGES[1:6]),
                specialty=rng.choice(SPECIALTIES),
                site=rng.choice("ABC"),
                tz=rng.choice(TIME_ZONES),
                track=rng.choice(TRACKS),
                needs=frozenset(rng.sample(DOMAINS, rng.randint(1, 3))),
                avoid=avoid,
            )
        )
    return people


def random_history(ids: list[str], rounds: int, k: int, seed: int) -> History:
    rng = random.Random(seed)
    past = []
    for _ in range(rounds):
        order = ids[:]
        rng.shuffle(order)
        past.append(HistoryRound(tuple(tuple(order[i : i + k]) for i in range(0, len(order), k))))
    return History(tuple(past))


def mentor_program(n_mentees: int, n_mentors: int, seed: int, capacity: tuple[int, int]):
    rng = random.Random(seed)
    mentor_ids = [f"M{j:05d}" for j in range(n_mentors)]
    mentees = [
        Person(
            f"E{i:05d}",
            stage=rng.choice(STAGES[:8]),
            specialty=rng.choice(SPECIALTIES),
            track=rng.choice(TRACKS),
            needs=frozenset(rng.sample(DOMAINS, rng.randint(1, 3))),
            avoid=frozenset({rng.choice(mentor_ids)}) if rng.random() < 0.02 else frozenset(),
        )
        for i in range(n_mentees)
    ]
    mentors = [
        Person(
            mid,
            stage=rng.choice(STAGES[8:]),
            specialty=rng.choice(SPECIALTIES),
            track=rng.choice(TRACKS),
            offers=frozenset(rng.sample(DOMAINS, rng.randint(2, 4))),
            capacity=rng.randint(*capacity),
        )
        for mid in mentor_ids
    ]
    return mentees, mentors
