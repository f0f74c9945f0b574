"""Vectorised mentee-mentor fit costs (all >= 0, lower is better)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.domain.vocabulary import DOMAINS, stage_rank

from .model import MentorWeights, Person


def _codes(*groups: Sequence[str | None]) -> list[np.ndarray]:
    table: dict[str, int] = {}
    return [
        np.array([-1 if v is None else table.setdefault(v, len(table)) for v in g], dtype=np.int64)
        for g in groups
    ]


@dataclass
class MentorCosts:
    mentees: Sequence[Person]
    mentors: Sequence[Person]
    weights: MentorWeights
    domains: tuple[str, ...]
    needs: np.ndarray
    offers: np.ndarray
    need_count: np.ndarray
    forbidden: set[tuple[int, int]]

    @classmethod
    def build(
        cls,
        mentees: Sequence[Person],
        mentors: Sequence[Person],
        weights: MentorWeights,
        forbidden_pairs: Iterable[tuple[str, str]] = (),
    ) -> MentorCosts:
        seen = {d for p in (*mentees, *mentors) for d in (*p.needs, *p.offers)}
        domains = tuple(d for d in DOMAINS if d in seen) + tuple(sorted(seen - set(DOMAINS)))
        bit = {d: 1 << k for k, d in enumerate(domains)}

        def mask(values: frozenset[str]) -> int:
            return sum(bit[d] for d in values)

        e_index = {p.id: i for i, p in enumerate(mentees)}
        m_index = {p.id: i for i, p in enumerate(mentors)}
        forbidden = set()
        extra = {tuple(sorted(pair)) for pair in forbidden_pairs}
        for i, e in enumerate(mentees):
            for other in e.avoid:
                if other in m_index:
                    forbidden.add((i, m_index[other]))
            if e.id in m_index:
                forbidden.add((i, m_index[e.id]))
        for j, m in enumerate(mentors):
            for other in m.avoid:
                if other in e_index:
                    forbidden.add((e_index[other], j))
        for a, b in sorted(extra):
            for x, y in ((a, b), (b, a)):
                if x in e_index and y in m_index:
                    forbidden.add((e_index[x], m_index[y]))
        costs = cls(
            mentees=mentees,
            mentors=mentors,
            weights=weights,
            domains=domains,
            needs=np.array([mask(p.needs) for p in mentees], dtype=np.int64),
            offers=np.array([mask(p.offers) for p in mentors], dtype=np.int64),
            need_count=np.array([len(p.needs) for p in mentees], dtype=np.int64),
            forbidden=forbidden,
        )
        costs._encode()
        return costs

    def _encode(self) -> None:
        self.e_spec, self.m_spec = _codes(
            [p.specialty for p in self.mentees], [p.specialty for p in self.mentors]
        )
        self.e_track, self.m_track = _codes([p.track for p in self.mentees], [p.track for p in self.mentors])
        ranks = [stage_rank(p.stage) for p in self.mentees], [stage_rank(p.stage) for p in self.mentors]
        self.e_rank, self.m_rank = (
            np.array([-1 if r is None else r for r in g], dtype=np.int64) for g in ranks
        )
        by_mentee: dict[int, list[int]] = {}
        for i, j in self.forbidden:
            by_mentee.setdefault(i, []).append(j)
        self.forbidden_by_mentee = {i: np.array(sorted(js), dtype=np.int64) for i, js in by_mentee.items()}

    def preference(self, rows: np.ndarray | slice, cols: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Specialty, track and stage fit (no coverage), as a rows x cols array."""
        return self._preference(self._grid(rows, cols))

    def preference_pairs(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Like ``preference`` but for the element-wise pairs (rows[k], cols[k])."""
        return self._preference((rows, cols))

    def _grid(self, rows: np.ndarray | slice, cols: np.ndarray | slice) -> tuple[np.ndarray, np.ndarray]:
        e = np.arange(len(self.mentees))[rows][:, None]
        m = np.arange(len(self.mentors))[cols][None, :]
        return e, m

    def _preference(self, at: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        e, m = at
        w = self.weights
        cost = np.zeros(np.broadcast_shapes(e.shape, m.shape), dtype=np.float32)
        for weight, ev, mv in (
            (w.specialty, self.e_spec, self.m_spec),
            (w.track, self.e_track, self.m_track),
        ):
            if weight:
                a, b = ev[e], mv[m]
                cost += np.float32(weight) * ((a >= 0) & (b >= 0) & (a != b))
        if w.stage:
            a, b = self.e_rank[e], self.m_rank[m]
            cost += np.float32(w.stage) * ((a >= 0) & (b >= 0) & (b <= a))
        return cost

    def uncovered(self, rows: np.ndarray | slice, cols: np.ndarray | slice = slice(None)) -> np.ndarray:
        e, m = self._grid(rows, cols)
        counts: np.ndarray = np.bitwise_count(self.needs[e] & ~self.offers[m]).astype(np.float32)
        return counts

    def single_pairs(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Element-wise ``single`` (forbidden pairs are never passed here)."""
        missing = np.bitwise_count(self.needs[rows] & ~self.offers[cols])
        costs: np.ndarray = (
            self._preference((rows, cols)).astype(np.float64) + self.weights.uncovered * missing
        )
        return costs

    def single(self, rows: np.ndarray | slice, cols: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Cost of one mentor alone for each mentee (preferences + uncovered needs); inf if forbidden."""
        cost = self.preference(rows, cols) + np.float32(self.weights.uncovered) * self.uncovered(rows, cols)
        row_ids = np.arange(len(self.mentees))[rows]
        col_ids = np.arange(len(self.mentors))[cols]
        if self.forbidden:
            col_pos = {int(j): k for k, j in enumerate(col_ids)}
            for r, i in enumerate(row_ids):
                for j in self.forbidden_by_mentee.get(int(i), ()):
                    if int(j) in col_pos:
                        cost[r, col_pos[int(j)]] = np.inf
        return cost

    def covered(self, mentee: int, mentor_idx: Sequence[int]) -> tuple[str, ...]:
        offered = 0
        for j in mentor_idx:
            offered |= int(self.offers[j])
        have = int(self.needs[mentee]) & offered
        return tuple(d for k, d in enumerate(self.domains) if have >> k & 1)
