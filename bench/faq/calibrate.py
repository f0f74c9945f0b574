"""Fit the FAQ decline model (``DeclinePolicy.weights`` and ``bias``) and show how well it generalises.

The model is a logistic regression over ``MatchSignals``, trained on questions the current index answers
correctly (label 1) and questions no entry fits (label 0), from the dev set and the older held-out sets.
Each set is also left out in turn, fitted on the others and scored on it, so the table shows what the
model does on a set it has not seen. The newest held-out set is never read here: it is measured once.
The index also declines a question with an off-topic term below ``min_score_off_topic`` whatever the
model says; the table leaves that rule out.

Run from the repository root: ``python -m bench.faq.calibrate``. Prints the table and the fitted weights
to copy into ``bot/domain/faq/settings.py``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.domain.faq import FaqIndex, load_builtin_entries, load_questions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OWN = ROOT / "tests" / "unit" / "faq"
SETS = {
    "dev": ROOT.parent / "shared" / "faq" / "dev-questions.yaml",
    "heldout": OWN / "heldout_questions.yaml",
    "blind_a": OWN / "blind_a.yaml",
    "blind_b": OWN / "blind_b.yaml",
    "heldout_v3": OWN / "heldout_v3.yaml",
    "heldout_v4": OWN / "heldout_v4.yaml",
    "heldout_v5": OWN / "heldout_v5.yaml",
}
POSITIVE_WEIGHT = 3.0
"""Answerable questions outnumber off-topic ones about six to one; this rebalances them, leaning a little
towards declining."""
RIDGE = 1.0
THRESHOLD = 0.4


@dataclass(frozen=True)
class Sample:
    set_name: str
    features: tuple[float, ...]
    topic: str
    correct: bool
    """Whether the index ranks the labelled topic first."""


def samples(index: FaqIndex) -> list[Sample]:
    found = []
    for name, path in SETS.items():
        for labelled in load_questions(path):
            result = index.search(labelled.question)
            if result.signals is None or result.distress.distress:
                continue
            top = result.ranked[0].entry.id if result.ranked else None
            found.append(Sample(name, result.signals.values(), labelled.topic, top == labelled.topic))
    return found


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Newton's method on the ridge-penalised, class-weighted log loss; the last weight is the bias."""
    x = np.c_[x, np.ones(len(x))]
    w = np.zeros(x.shape[1])
    sample_weight = np.where(y == 1, 1.0, POSITIVE_WEIGHT)
    ridge = RIDGE * np.diag(np.r_[np.ones(len(w) - 1), 0.0])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (sample_weight * (p - y)) + ridge @ w
        hessian = (x * (sample_weight * p * (1 - p))[:, None]).T @ x + ridge
        w -= np.linalg.solve(hessian, gradient)
    return w


def training(rows: list[Sample]) -> tuple[np.ndarray, np.ndarray]:
    kept = [s for s in rows if s.topic == "none" or s.correct]
    return np.array([s.features for s in kept]), np.array([0.0 if s.topic == "none" else 1.0 for s in kept])


def score(w: np.ndarray, rows: list[Sample]) -> tuple[float, float]:
    """(top-1 among answerable, share of off-topic declined) with the model deciding."""
    x = np.c_[np.array([s.features for s in rows]), np.ones(len(rows))]
    answers = 1 / (1 + np.exp(-x @ w)) >= THRESHOLD
    answerable = [a and s.correct for s, a in zip(rows, answers, strict=True) if s.topic != "none"]
    off_topic = [not a for s, a in zip(rows, answers, strict=True) if s.topic == "none"]
    return float(np.mean(answerable)), float(np.mean(off_topic)) if off_topic else 1.0


def main() -> int:
    rows = samples(FaqIndex.build(load_builtin_entries()))
    print(f"{'left out':<12} {'top-1':>7} {'declined':>9}")
    for name in SETS:
        w = fit(*training([s for s in rows if s.set_name != name]))
        top1, declined = score(w, [s for s in rows if s.set_name == name])
        print(f"{name:<12} {top1:>7.1%} {declined:>9.1%}")
    w = fit(*training(rows))
    print("weights:", tuple(round(float(v), 2) for v in w[:-1]), "bias:", round(float(w[-1]), 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
