"""The meetings-per-cycle bar chart, drawn off screen with matplotlib's Agg canvas.

A `Figure` with its own `FigureCanvasAgg` (no pyplot) keeps no global state, so listeners on several
threads can draw at once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.reports import CycleCounts

MAX_CYCLES = 12
BAR_COLOUR = "#2e7d6b"
DPI = 120


def meetings_chart_png(cycles: Sequence[CycleCounts], title: str) -> bytes:
    """A PNG bar chart of meetings logged in each of the last `MAX_CYCLES` cycles."""
    shown = list(cycles)[-MAX_CYCLES:]
    labels = [counts.cycle.label for counts in shown]
    values = [counts.meetings for counts in shown]
    figure = Figure(figsize=(8, 4.5), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.bar(range(len(values)), values, color=BAR_COLOUR, width=0.65)
    axes.bar_label(bars, padding=3, fontsize=10)
    axes.set_xticks(
        range(len(values)),
        labels,
        rotation=30 if len(labels) > 6 else 0,
        ha="right" if len(labels) > 6 else "center",
    )
    axes.set_title(f"Meetings logged per cycle · {title}", fontsize=13, loc="left")
    axes.set_xlabel("Cycle")
    axes.set_ylabel("Meetings logged")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max([*values, 1]) * 1.18)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
