"""Repeat-free rounds from finite geometry, used to seed multi-round planning.

When ``n = p**d`` people meet in circles of ``k = p**e`` (p prime), label people with the vectors of
GF(p)^d. The cosets of an e-dimensional subspace W split everyone into circles of k, and two people
share a circle exactly when their difference lies in W. Subspaces that meet only in 0 (a *partial
spread*) therefore give rounds in which nobody meets twice. For e = 1 every line through 0 works,
so these designs are optimal: (n - 1) / (k - 1) rounds (27 in 3s: 13; 16 in 2s: 15). For e > 1 a
bounded depth-first search looks for a large partial spread (16 in 4s: 5, optimal; 32 in 4s: 9,
the most an affine construction allows; local search may then add more).
"""

from __future__ import annotations

import random
from itertools import product

_MAX_PEOPLE = 4096
_MAX_SUBSPACES = 20_000
_SEARCH_NODES = 50_000


def _prime_power(value: int) -> tuple[int, int] | None:
    for p in range(2, value + 1):
        if value % p == 0:
            exponent, rest = 0, value
            while rest % p == 0:
                rest //= p
                exponent += 1
            return (p, exponent) if rest == 1 else None
    return None


class _Space:
    """GF(p)^d with vectors encoded as integers (base-p digits)."""

    def __init__(self, p: int, d: int) -> None:
        self.p, self.d = p, d
        self.size = p**d

    def add(self, a: int, b: int) -> int:
        if self.p == 2:
            return a ^ b
        out, place = 0, 1
        for _ in range(self.d):
            out += ((a % self.p + b % self.p) % self.p) * place
            a //= self.p
            b //= self.p
            place *= self.p
        return out

    def scale(self, c: int, a: int) -> int:
        out, place = 0, 1
        for _ in range(self.d):
            out += ((a % self.p) * c % self.p) * place
            a //= self.p
            place *= self.p
        return out

    def span(self, basis: list[int]) -> frozenset[int]:
        vectors = {0}
        for coefficients in product(range(self.p), repeat=len(basis)):
            v = 0
            for c, b in zip(coefficients, basis, strict=True):
                v = self.add(v, self.scale(c, b))
            vectors.add(v)
        return frozenset(vectors)


def _subspaces(space: _Space, dim: int) -> list[frozenset[int]]:
    level = {space.span([v]) for v in range(1, space.size)}
    for _ in range(dim - 1):
        grown: set[frozenset[int]] = set()
        for sub in sorted(level, key=sorted):
            for v in range(1, space.size):
                if v not in sub:
                    grown.add(_extend(space, sub, v))
            if len(grown) > _MAX_SUBSPACES:
                return []
        level = grown
    return sorted(level, key=sorted)


def _extend(space: _Space, sub: frozenset[int], v: int) -> frozenset[int]:
    vectors = set(sub)
    for c in range(1, space.p):
        cv = space.scale(c, v)
        vectors |= {space.add(w, cv) for w in sub}
    return frozenset(vectors)


def _partial_spread(subspaces: list[frozenset[int]], limit: int, rng: random.Random) -> list[frozenset[int]]:
    """A large family of subspaces meeting pairwise only in 0 (bounded depth-first search)."""
    order = subspaces[:]
    rng.shuffle(order)
    best: list[frozenset[int]] = []
    nodes = 0

    def grow(chosen: list[frozenset[int]], used: frozenset[int], start: int) -> bool:
        nonlocal best, nodes
        if len(chosen) > len(best):
            best = chosen[:]
        if len(best) >= limit:
            return True
        for index in range(start, len(order)):
            nodes += 1
            if nodes > _SEARCH_NODES:
                return True
            candidate = order[index]
            if len(candidate & used) == 1:
                chosen.append(candidate)
                if grow(chosen, used | candidate, index + 1):
                    return True
                chosen.pop()
        return False

    grow([], frozenset({0}), 0)
    return best


def affine_rounds(n: int, k: int, seed: int = 0) -> list[list[list[int]]]:
    """Repeat-free rounds of circles of ``k`` over people ``0..n-1``, or [] when no design applies."""
    if n > _MAX_PEOPLE or k < 2 or k >= n:
        return []
    pn, pk = _prime_power(n), _prime_power(k)
    if pn is None or pk is None or pn[0] != pk[0] or pk[1] > pn[1]:
        return []
    space = _Space(pn[0], pn[1])
    rng = random.Random(seed)
    if pk[1] == 1:
        spread = sorted({space.span([v]) for v in range(1, space.size)}, key=sorted)
    else:
        subspaces = _subspaces(space, pk[1])
        if not subspaces:
            return []
        spread = _partial_spread(subspaces, (n - 1) // (k - 1), rng)
    rounds = []
    for sub in spread:
        seen: set[int] = set()
        circles = []
        for x in range(space.size):
            if x not in seen:
                coset = sorted(space.add(x, w) for w in sub)
                seen.update(coset)
                circles.append(coset)
        rounds.append(circles)
    return rounds
