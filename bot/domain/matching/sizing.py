"""How many circles, and of which sizes, for a given headcount."""

from __future__ import annotations

from dataclasses import dataclass

from .model import CircleSize


@dataclass(frozen=True)
class SizePlan:
    sizes: tuple[int, ...]
    warning: str | None = None


def _even_split(n: int, count: int) -> tuple[int, ...]:
    base, extra = divmod(n, count)
    return tuple([base + 1] * extra + [base] * (count - extra))


def plan_sizes(n: int, size: CircleSize) -> SizePlan:
    """Split ``n`` people into circles whose sizes respect the bounds and stay close to the target.

    Sizes are as even as possible (7 people at 4/3-5 become 4 + 3). Fewer people than the minimum
    form one smaller circle with a warning; a single person forms no circle. When no split fits the
    bounds (7 people with min = max = 4) the closest even split is used, with a warning.
    """
    if n <= 0:
        return SizePlan(())
    if n == 1:
        return SizePlan((), "Only one active member: there is nobody to form a circle with.")
    if n < size.min:
        return SizePlan(
            (n,), f"Only {n} active members, fewer than the minimum circle size of {size.min}: one circle."
        )
    candidates = []
    low = max(1, n // size.max - 1)
    high = min(n, n // size.min + 1)
    for count in range(low, high + 1):
        base, extra = divmod(n, count)
        largest, smallest = base + (1 if extra else 0), base
        in_bounds = size.min <= smallest and largest <= size.max
        deviation = extra * abs(base + 1 - size.target) + (count - extra) * abs(base - size.target)
        outside = max(0, size.min - smallest) + max(0, largest - size.max)
        candidates.append(
            (not in_bounds, smallest < 2, outside, deviation, abs(n / count - size.target), largest, count)
        )
    best = min(candidates)
    sizes = _even_split(n, best[-1])
    if best[0]:
        return SizePlan(
            sizes,
            f"{n} people cannot be split into circles of {size.min} to {size.max}; "
            f"using circles of {sizes[-1]} to {sizes[0]}.",
        )
    return SizePlan(sizes)
