"""How closely a question follows one of an entry's own ways of being asked, word order included.

BM25 drops function words, yet they carry what kind of question it is: "what does a mentor do" and
"when should i get a mentor" share their only content word and differ in "what does" against "when
should". Neighbouring stem pairs, function words kept ("what do", "do a", "how often"), compared by TF-IDF
cosine with each of the entry's title, example questions and learned questions, give the entry its best
match. It is a second signal that joins BM25 in ranking, never used alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from bot.domain.faq.entry import FaqEntry
from bot.domain.faq.text import normalize_text, stem, tokenize


def stem_pairs(tokens: Sequence[str]) -> Counter[str]:
    stems = [stem(t) for t in tokens]
    return Counter(f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False))


class PhrasingSimilarity:
    """Pair vectors of every entry's phrasings in one pair-major sparse matrix."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        vectors: list[Counter[str]] = []
        owners: list[int] = []
        frequency: Counter[str] = Counter()
        for position, entry in enumerate(entries):
            for text in (entry.title, *entry.phrasings, *entry.learned):
                pairs = stem_pairs(tokenize(normalize_text(text)))
                if pairs:
                    vectors.append(pairs)
                    owners.append(position)
                    frequency.update(pairs.keys())
        self._size = len(entries)
        self._owners = np.asarray(owners, dtype=np.intp)
        self._documents = len(vectors)
        self._ids = {pair: i for i, pair in enumerate(sorted(frequency))}
        self._idf = {pair: math.log((1 + self._documents) / (1 + n)) + 1 for pair, n in frequency.items()}
        self._unseen_idf = math.log((1 + self._documents) / 2) + 1
        """A pair no phrasing uses still lengthens the question, as much as the rarest pair there is."""
        rows: list[int] = []
        cols: list[int] = []
        data: list[float] = []
        for doc, pairs in enumerate(vectors):
            values = {p: (1 + math.log(n)) * self._idf[p] for p, n in pairs.items()}
            norm = math.sqrt(math.fsum(v * v for v in values.values()))
            for pair, value in values.items():
                rows.append(self._ids[pair])
                cols.append(doc)
                data.append(value / norm)
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(self._ids), self._documents))
        matrix.sort_indices()
        self._indptr = matrix.indptr
        self._indices = matrix.indices
        self._data = matrix.data

    def similarities(self, tokens: Sequence[str]) -> np.ndarray:
        """Per entry, 0..1: the best cosine similarity between the question's pairs and one phrasing's."""
        best = np.zeros(self._size)
        pairs = stem_pairs(tokens)
        if not pairs or not self._documents:
            return best
        values = {p: (1 + math.log(n)) * self._idf.get(p, self._unseen_idf) for p, n in pairs.items()}
        norm = math.sqrt(math.fsum(v * v for v in values.values()))
        totals = np.zeros(self._documents)
        for pair, value in values.items():
            row = self._ids.get(pair)
            if row is not None:
                start, end = self._indptr[row], self._indptr[row + 1]
                totals[self._indices[start:end]] += (value / norm) * self._data[start:end]
        np.maximum.at(best, self._owners, totals)
        return best
