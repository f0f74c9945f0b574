"""The meetings-per-cycle and feedback-per-round bar charts, drawn off screen with matplotlib's Agg canvas.

A `Figure` with its own `FigureCanvasAgg` (no pyplot) keeps no global state, so listeners on several
threads can draw at once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.feedback import RoundFeedback
from bot.domain.reports import CycleCounts

MAX_CYCLES = 12
BAR_COLOUR = "#2e7d6b"
DPI = 120


def meetings_chart_png(cycles: Sequence[CycleCounts], title: str) -> bytes:
    """A PNG bar chart of meetings logged in each of the last `MAX_CYCLES` cycles."""
    shown = list(cycles)[-MAX_CYCLES:]
    labels = [counts.cycle.label for counts in shown]
    values = [counts.meetings for counts in shown]
    figure, axes = _bars(labels, values, [str(value) for value in values])
    axes.set_title(f"Meetings logged per cycle · {title}", fontsize=13, loc="left")
    axes.set_xlabel("Cycle")
    axes.set_ylabel("Meetings logged")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max([*values, 1]) * 1.18)
    return _png(figure)


def feedback_chart_png(rounds: Sequence[RoundFeedback], title: str) -> bytes:
    """A PNG bar chart of the health score of each of the last `MAX_CYCLES` rounds, labelled with how
    many answered; a round with too few answers to show has an empty bar saying so."""
    shown = list(rounds)[-MAX_CYCLES:]
    several = len({results.program for results in shown}) > 1
    labels = [
        f"{results.program}\n{results.round_name}" if several else results.round_name for results in shown
    ]
    values = [results.score or 0 for results in shown]
    notes = [
        f"{results.score} ({results.answered} of {results.asked})" if results.shown else "too few answers"
        for results in shown
    ]
    figure, axes = _bars(labels, values, notes)
    axes.set_title(f"Relationship health per round · {title}", fontsize=13, loc="left")
    axes.set_xlabel("Round")
    axes.set_ylabel("Health score (0–100)")
    axes.set_ylim(0, 118)
    return _png(figure)


def _bars(labels: Sequence[str], values: Sequence[float], notes: Sequence[str]) -> tuple[Figure, Any]:
    figure = Figure(figsize=(8, 4.5), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.bar(range(len(values)), values, color=BAR_COLOUR, width=0.65)
    axes.bar_label(bars, labels=list(notes), padding=3, fontsize=10)
    axes.set_xticks(
        range(len(values)),
        labels,
        rotation=30 if len(labels) > 6 else 0,
        ha="right" if len(labels) > 6 else "center",
    )
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    return figure, axes


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
