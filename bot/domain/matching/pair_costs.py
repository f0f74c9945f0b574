"""Pairwise costs of putting two people in one circle, computed with numpy.

A pair's soft cost is the sum of weighted terms (history, stage, specialty, site, time zone, track),
each >= 0, so a circle's score is the sum over its pairs and 0 is ideal. Hard rules (do-not-match,
program-forbidden pairs) are a separate, very large cost ``HARD`` that no soft total can reach.
Rows are computed on demand so a 5,000-person pool never needs a 5,000 x 5,000 matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from bot.domain.vocabulary import stage_rank

from .model import NO_HISTORY, CircleWeights, History, Pair, Person, pair_key

HARD = 1e6
_TZ_CAP_HOURS = 6.0
_STAGE_CAP = 3.0
_MAX_CLASSES = 3000
_TZ_SAMPLES = (datetime(2025, 1, 15, 12, tzinfo=UTC), datetime(2025, 7, 15, 12, tzinfo=UTC))


@lru_cache(maxsize=1024)
def tz_hours(tz: str | None) -> float | None:
    """Mean UTC offset in hours over winter and summer, or None for a missing or unknown zone."""
    if not tz:
        return None
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    offsets = [moment.astimezone(zone).utcoffset() for moment in _TZ_SAMPLES]
    return sum(o.total_seconds() for o in offsets if o is not None) / 3600 / len(offsets)


def _codes(values: Sequence[str | None]) -> np.ndarray:
    """Integer codes per distinct value, -1 for missing."""
    table: dict[str, int] = {}
    return np.array([-1 if v is None else table.setdefault(v, len(table)) for v in values], dtype=np.int64)


def forbidden_pairs_of(people: Sequence[Person], extra: Iterable[Pair] = ()) -> set[Pair]:
    """All hard do-not-match pairs among ``people``: avoid lists (symmetric) plus program rules."""
    ids = {p.id for p in people}
    pairs = {pair_key(p.id, other) for p in people for other in p.avoid if other in ids and other != p.id}
    pairs |= {pair_key(a, b) for a, b in extra if a in ids and b in ids and a != b}
    return pairs


@dataclass
class PairCosts:
    ids: tuple[str, ...]
    weights: CircleWeights
    rank: np.ndarray
    specialty: np.ndarray
    site: np.ndarray
    tz: np.ndarray
    track: np.ndarray
    history_nbrs: list[np.ndarray]
    history_cost: list[np.ndarray]
    forbidden_nbrs: list[np.ndarray]
    cls: np.ndarray | None = None
    class_cost: np.ndarray | None = None

    def __post_init__(self) -> None:
        """Group people with identical attributes so attribute costs become one table lookup."""
        keys = np.stack(
            [self.rank, self.specialty, self.site, np.nan_to_num(self.tz, nan=99.0), self.track], 1
        )
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        if len(first) <= _MAX_CLASSES:
            self.class_cost = self._attribute_block_direct(first, first)
            self.cls = inverse.reshape(-1).astype(np.int64)

    @classmethod
    def build(
        cls,
        people: Sequence[Person],
        weights: CircleWeights,
        history: History = NO_HISTORY,
        forbidden: Iterable[Pair] = (),
    ) -> PairCosts:
        ids = tuple(p.id for p in people)
        index = {pid: i for i, pid in enumerate(ids)}
        n = len(ids)
        ranks = [stage_rank(p.stage) for p in people]
        hours = [tz_hours(p.tz) for p in people]
        history_pen: list[dict[int, float]] = [{} for _ in range(n)]
        last = len(history.rounds)
        if weights.new_people:
            for (a, b), rounds in sorted(history.meetings().items()):
                ia, ib = index.get(a), index.get(b)
                if ia is None or ib is None:
                    continue
                cost = sum(weights.new_people * weights.decay ** (last - r) for r in rounds)
                history_pen[ia][ib] = history_pen[ia].get(ib, 0.0) + cost
                history_pen[ib][ia] = history_pen[ib].get(ia, 0.0) + cost
        forbidden_sets: list[list[int]] = [[] for _ in range(n)]
        for a, b in sorted(forbidden):
            if a in index and b in index:
                forbidden_sets[index[a]].append(index[b])
                forbidden_sets[index[b]].append(index[a])
        return cls(
            ids=ids,
            weights=weights,
            rank=np.array([-1 if r is None else r for r in ranks], dtype=np.int64),
            specialty=_codes([p.specialty for p in people]),
            site=_codes([p.site for p in people]),
            tz=np.array([np.nan if h is None else h for h in hours], dtype=np.float64),
            track=_codes([p.track for p in people]),
            history_nbrs=[np.fromiter(sorted(d), dtype=np.int64, count=len(d)) for d in history_pen],
            history_cost=[np.array([d[k] for k in sorted(d)], dtype=np.float64) for d in history_pen],
            forbidden_nbrs=[np.array(sorted(set(f)), dtype=np.int64) for f in forbidden_sets],
        )

    @property
    def n(self) -> int:
        return len(self.ids)

    def attribute_block(self, rows: np.ndarray | slice, cols: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Attribute-only costs (no history, no hard rules) between ``rows`` and ``cols``."""
        if self.cls is not None and self.class_cost is not None:
            block: np.ndarray = self.class_cost[self.cls[rows]][:, self.cls[cols]]
            return block
        return self._attribute_block_direct(rows, cols)

    def _attribute_block_direct(
        self, rows: np.ndarray | slice, cols: np.ndarray | slice = slice(None)
    ) -> np.ndarray:
        w = self.weights

        def grid(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return values[rows][:, None], values[cols][None, :]

        r_rows, r_cols = grid(self.rank)
        cost = np.zeros(np.broadcast_shapes(r_rows.shape, r_cols.shape), dtype=np.float64)
        if w.stage:
            known = (r_rows >= 0) & (r_cols >= 0)
            if w.stage > 0:
                term = w.stage * np.minimum(np.abs(r_rows - r_cols), _STAGE_CAP) / _STAGE_CAP
            else:
                term = -w.stage * (r_rows == r_cols)
            cost += np.where(known, term, 0.0)
        for signed, values in ((w.specialty, self.specialty), (w.track, self.track)):
            if signed:
                a, b = grid(values)
                known = (a >= 0) & (b >= 0)
                same = a == b
                cost += np.where(known, signed * ~same if signed > 0 else -signed * same, 0.0)
        if w.same_site:
            a, b = grid(self.site)
            cost += w.same_site * ((a >= 0) & (b >= 0) & (a != b))
        if w.tz_proximity:
            a, b = grid(self.tz)
            gap = np.minimum(np.abs(a - b), _TZ_CAP_HOURS) / _TZ_CAP_HOURS
            cost += w.tz_proximity * np.nan_to_num(gap, nan=0.0)
        return cost

    def row(self, i: int, history_scale: float = 1.0, hard: bool = True) -> np.ndarray:
        """Costs between person ``i`` and everyone (own entry 0)."""
        out: np.ndarray
        if self.cls is not None and self.class_cost is not None:
            out = self.class_cost[self.cls[i]][self.cls]
        else:
            out = self._attribute_block_direct(np.array([i]))[0]
        if history_scale and len(self.history_nbrs[i]):
            out[self.history_nbrs[i]] += history_scale * self.history_cost[i]
        if hard and len(self.forbidden_nbrs[i]):
            out[self.forbidden_nbrs[i]] += HARD
        out[i] = 0.0
        return out

    def history_matrix(self) -> np.ndarray:
        out = np.zeros((self.n, self.n))
        for i in range(self.n):
            out[i, self.history_nbrs[i]] = self.history_cost[i]
        return out

    def forbidden_matrix(self) -> np.ndarray:
        out = np.zeros((self.n, self.n), dtype=bool)
        for i in range(self.n):
            out[i, self.forbidden_nbrs[i]] = True
        return out

    def matrix(self, history_scale: float = 1.0, hard: bool = True) -> np.ndarray:
        """The dense n x n cost matrix (for pools small enough to hold one)."""
        out = self.attribute_block(slice(None))
        if history_scale:
            out += history_scale * self.history_matrix()
        if hard:
            out += HARD * self.forbidden_matrix()
        np.fill_diagonal(out, 0.0)
        return out

    def group_cost(self, members: Sequence[int], hard: bool = False) -> float:
        """Sum of pair costs inside one group."""
        idx = np.asarray(members, dtype=np.int64)
        if len(idx) < 2:
            return 0.0
        block = self.attribute_block(idx, idx)
        total = float(np.triu(block, 1).sum())
        members_set = {int(m): k for k, m in enumerate(idx)}
        for m in idx:
            for nb, c in zip(self.history_nbrs[m], self.history_cost[m], strict=True):
                if int(nb) in members_set and int(nb) > int(m):
                    total += float(c)
            if hard:
                total += HARD * sum(1 for nb in self.forbidden_nbrs[m] if int(nb) in members_set and nb > m)
        return total

    def after(self, planned: Sequence[Sequence[Sequence[int]]]) -> PairCosts:
        """Costs for the round that follows ``planned`` rounds (circles of indices, oldest first).

        Past meetings age by ``len(planned)`` rounds and the planned meetings join the history.
        """
        w = self.weights
        shift = w.decay ** len(planned)
        merged = [
            dict(zip(self.history_nbrs[i].tolist(), (self.history_cost[i] * shift).tolist(), strict=True))
            for i in range(self.n)
        ]
        for number, circles in enumerate(planned, start=1):
            cost = w.new_people * w.decay ** (len(planned) - number)
            if not cost:
                continue
            for circle in circles:
                for a in circle:
                    for b in circle:
                        if a != b:
                            merged[a][b] = merged[a].get(b, 0.0) + cost
        return PairCosts(
            ids=self.ids,
            weights=w,
            rank=self.rank,
            specialty=self.specialty,
            site=self.site,
            tz=self.tz,
            track=self.track,
            history_nbrs=[np.array(sorted(d), dtype=np.int64) for d in merged],
            history_cost=[np.array([d[k] for k in sorted(d)], dtype=np.float64) for d in merged],
            forbidden_nbrs=self.forbidden_nbrs,
        )
