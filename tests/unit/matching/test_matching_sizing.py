from hypothesis import given
from hypothesis import strategies as st

from bot.domain.matching import CircleSize
from bot.domain.matching.sizing import plan_sizes


@given(n=st.integers(0, 3000), target=st.integers(2, 8), below=st.integers(0, 2), above=st.integers(0, 2))
def test_sizes_cover_everyone_and_respect_bounds_when_possible(n, target, below, above):
    size = CircleSize(target, max(1, target - below), target + above)
    plan = plan_sizes(n, size)
    assert sum(plan.sizes) == (n if n != 1 else 0)
    feasible = any(k * size.min <= n <= k * size.max for k in range(1, n + 1))
    if feasible and n >= 2:
        assert plan.warning is None
        assert all(size.min <= s <= size.max for s in plan.sizes)
    if plan.sizes:
        assert max(plan.sizes) - min(plan.sizes) <= 1


def test_known_splits():
    default = CircleSize(4, 3, 5)
    assert plan_sizes(7, default).sizes == (4, 3)
    assert plan_sizes(8, default).sizes == (4, 4)
    assert plan_sizes(2, default).sizes == (2,) and plan_sizes(2, default).warning
    assert plan_sizes(1, default).sizes == () and plan_sizes(1, default).warning
    assert plan_sizes(1000, default).sizes == (4,) * 250
