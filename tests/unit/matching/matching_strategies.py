"""Hypothesis strategies shared by the matching tests."""

from __future__ import annotations

from hypothesis import strategies as st

from bot.domain.matching import History, HistoryRound, Person
from bot.domain.vocabulary import DOMAINS, STAGES, TRACKS

TZS = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Not/AZone", None]


@st.composite
def pools(draw: st.DrawFn, max_size: int = 30) -> list[Person]:
    n = draw(st.integers(0, max_size))
    ids = [f"U{i:03d}" for i in range(n)]
    people = []
    for pid in ids:
        avoid = (
            draw(st.lists(st.sampled_from(ids), max_size=2)) if ids and draw(st.integers(0, 5)) == 0 else []
        )
        people.append(
            Person(
                id=pid,
                stage=draw(st.sampled_from([*STAGES, None])),
                specialty=draw(st.sampled_from(["internal-medicine", "surgery", "pediatrics", None])),
                site=draw(st.sampled_from(["A", "B", None])),
                tz=draw(st.sampled_from(TZS)),
                track=draw(st.sampled_from([*TRACKS, None])),
                needs=frozenset(draw(st.lists(st.sampled_from(DOMAINS), max_size=3))),
                avoid=frozenset(avoid),
                active=draw(st.integers(0, 9)) > 0,
            )
        )
    return people


@st.composite
def histories(draw: st.DrawFn, ids: list[str]) -> History:
    rounds = []
    for _ in range(draw(st.integers(0, 3))):
        order = draw(st.permutations(ids)) if ids else []
        chunk = draw(st.integers(2, 5))
        rounds.append(HistoryRound(tuple(tuple(order[k : k + chunk]) for k in range(0, len(order), chunk))))
    return History(tuple(rounds))
