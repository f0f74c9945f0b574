"""Draw the meetings chart from a sample academic year, to look at it without Slack.

python -m bot.reports.sample_chart [PATH]    (default /tmp/stats-chart.png)
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from bot.domain.reports import Activity, count_per_cycle, monthly_cycles
from bot.reports.chart import meetings_chart_png

MEETINGS_PER_MONTH = (14, 22, 19, 17, 9, 16, 18, 15, 12, 11, 6, 3)
"""July to June: a strong start, a November dip, and a tail-off as the year ends."""


def sample_png() -> bytes:
    start = date(2026, 7, 1)
    cycles = monthly_cycles(start, date(2027, 6, 30))
    held = tuple(
        cycle.start + timedelta(days=i % 28)
        for cycle, count in zip(cycles, MEETINGS_PER_MONTH, strict=True)
        for i in range(count)
    )
    return meetings_chart_png(count_per_cycle(cycles, Activity(meetings_held=held)), "PGY-1 peer circles")


def main(argv: list[str]) -> None:
    path = Path(argv[0] if argv else "/tmp/stats-chart.png")
    path.write_bytes(sample_png())
    print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
