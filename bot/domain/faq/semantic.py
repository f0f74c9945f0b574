"""How close a question comes in meaning to an entry's own ways of being asked, whatever words it uses.

BM25 and word pairs see only shared words: "my advisor hasn't written back in six weeks" and "what if my
mentor never replies" share none that matter. A static embedding model (model2vec, distilled from the
sentence encoder all-MiniLM-L6-v2 and vendored in ``bot/data/faq_model``) turns a text into a vector by
looking up and averaging its tokens' vectors: close in meaning, close in direction, in well under a
millisecond and without a neural network at run time. Each entry scores the mean cosine similarity of its two
phrasings nearest the question, so one lucky phrasing counts for less. Like phrasing similarity it joins BM25
in ranking and is never used alone; the best entry's closeness is also one of the signals ``confidence``
weighs when deciding whether to answer.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Protocol

import numpy as np

from bot.domain.faq.entry import FaqEntry

MODEL_DIR = "data/faq_model"
FLOOR = 0.3
"""Cosine similarity between texts with nothing in common sits around here; only what lies above counts."""


class Encoder(Protocol):
    def encode(self, sentences: list[str]) -> np.ndarray: ...


class TextEmbeddings:
    """Unit vectors for texts, each text encoded once: every workspace's index shares the built-ins'."""

    def __init__(self, encoder: Encoder, max_texts: int = 100_000) -> None:
        self._encoder = encoder
        self._vectors: dict[str, np.ndarray] = {}
        self._max = max_texts
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            vectors = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in vectors]
        if missing:
            fresh = _unit_rows(np.asarray(self._encoder.encode(missing), dtype=np.float32))
            vectors.update(zip(missing, fresh, strict=True))
            with self._lock:
                if len(self._vectors) + len(missing) > self._max:
                    self._vectors.clear()
                self._vectors.update(zip(missing, fresh, strict=True))
        return np.stack([vectors[t] for t in texts])

    def embed_one(self, text: str) -> np.ndarray:
        vector: np.ndarray = _unit_rows(np.asarray(self._encoder.encode([text]), dtype=np.float32))[0]
        return vector


class SemanticSimilarity:
    """Every entry's title, phrasings and learned questions as unit vectors, with their entries."""

    def __init__(self, entries: Sequence[FaqEntry], embeddings: TextEmbeddings) -> None:
        texts: list[str] = []
        owners: list[int] = []
        for position, entry in enumerate(entries):
            for text in (entry.title, *entry.phrasings, *entry.learned):
                if text.strip():
                    texts.append(text)
                    owners.append(position)
        self._embeddings = embeddings
        self._size = len(entries)
        self._owners = np.asarray(owners, dtype=np.intp)
        """Rows come entry by entry, so each entry's rows are one run starting at ``_starts``."""
        self._matrix = embeddings.embed(texts) if texts else np.zeros((0, 1), np.float32)
        self._present, self._starts, self._group = np.unique(
            self._owners, return_index=True, return_inverse=True
        )

    def similarities(self, question: str) -> np.ndarray:
        """Per entry, 0..1: how far the mean of its two nearest phrasings rises above unrelated text."""
        best = np.zeros(self._size)
        if not len(self._owners) or not question.strip():
            return best
        cosines = self._matrix @ self._embeddings.embed_one(question)
        first = np.maximum.reduceat(cosines, self._starts)
        rest = np.where(cosines >= first[self._group], -np.inf, cosines)
        second = np.maximum.reduceat(rest, self._starts)
        nearest = np.where(np.isfinite(second), (first + second) / 2, first)
        best[self._present] = np.clip((nearest - FLOOR) / (1 - FLOOR), 0.0, 1.0)
        return best


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    unit: np.ndarray = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    return unit


@cache
def vendored_model() -> Encoder:
    """The model in ``bot/data/faq_model``, loaded on first use (about a tenth of a second), never at import."""
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(resources.files("bot").joinpath(MODEL_DIR)))


@cache
def builtin_embeddings() -> TextEmbeddings:
    """The one embeddings cache every index shares."""
    return TextEmbeddings(vendored_model())
