"""Okapi BM25 with every document's term weights computed once into a sparse matrix.

The FAQ has tens to hundreds of short documents, weighted fields and weighted query terms (synonyms
count for less than the words typed). Libraries such as bm25s or rank_bm25 take plain token lists and
have no notion of either, so this keeps the same eager-scoring design as bm25s in a few lines over scipy:
a query is a handful of row look-ups in a term-major CSR matrix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Bm25Params:
    k1: float = 1.2
    b: float = 0.75


class Bm25Matrix:
    def __init__(
        self,
        documents: Sequence[Mapping[str, float]],
        params: Bm25Params = Bm25Params(),
        weights: Sequence[float] | None = None,
    ) -> None:
        """``documents`` are term frequencies per document (fractional when fields are weighted).

        ``weights`` say how much each document counts in the corpus statistics (document frequency,
        average length); all 1 by default.
        """
        self.params = params
        self.size = len(documents)
        vocabulary = sorted({term for doc in documents for term in doc})
        self.term_ids = {term: i for i, term in enumerate(vocabulary)}
        counts = np.ones(self.size) if weights is None else np.asarray(weights, dtype=np.float64)
        lengths = np.array([sum(doc.values()) for doc in documents], dtype=np.float64)
        corpus = float(counts.sum())
        average = float(lengths @ counts / corpus) if corpus and lengths.any() else 1.0

        document_frequency = np.zeros(len(vocabulary))
        for doc, count in zip(documents, counts, strict=True):
            for term in doc:
                document_frequency[self.term_ids[term]] += count
        self.idf = np.log1p((corpus - document_frequency + 0.5) / (document_frequency + 0.5))

        rows: list[int] = []
        cols: list[int] = []
        data: list[float] = []
        k1, b = params.k1, params.b
        for d, doc in enumerate(documents):
            norm = k1 * (1 - b + b * lengths[d] / average)
            for term, tf in doc.items():
                t = self.term_ids[term]
                rows.append(t)
                cols.append(d)
                data.append(self.idf[t] * tf * (k1 + 1) / (tf + norm))
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(vocabulary), self.size))
        matrix.sort_indices()
        self._indptr = matrix.indptr
        self._indices = matrix.indices
        self._data = matrix.data
        self.best_weight = np.asarray(matrix.max(axis=1).todense()).ravel() if vocabulary else np.zeros(0)
        """Per term, the most any one document gains from it: the ceiling used to normalise scores."""

    def __contains__(self, term: str) -> bool:
        return term in self.term_ids

    def scores(self, query: Mapping[str, float]) -> np.ndarray:
        """Score of every document for a query given as term -> weight; unknown terms are ignored."""
        total = np.zeros(self.size)
        for term, weight in query.items():
            t = self.term_ids.get(term)
            if t is None:
                continue
            start, end = self._indptr[t], self._indptr[t + 1]
            total[self._indices[start:end]] += weight * self._data[start:end]
        return total

    def ceiling(self, query: Mapping[str, float]) -> float:
        """The highest score any single document could reach on the known terms of ``query``."""
        return math.fsum(
            weight * self.best_weight[self.term_ids[term]]
            for term, weight in query.items()
            if term in self.term_ids
        )

    def typical_ceiling(self) -> float:
        """The median per-term ceiling: what an unknown word is assumed to have been worth."""
        return float(np.median(self.best_weight)) if len(self.best_weight) else 1.0
