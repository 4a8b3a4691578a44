"""Shipped linear text models, run with numpy alone: saved TF-IDF vocabularies and their weights.

The emotion classifier and the junk-mail classifier are both trained with scikit-learn by a
script and saved as an ``.npz`` (no pickle) with a JSON ``meta`` entry; at run time this module
turns n-grams into the same L2-normalised TF-IDF rows scikit-learn would.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np


def load_weights(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Every array in a saved model, and its ``meta`` decoded (raises OSError/KeyError/ValueError)."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    return arrays, json.loads(bytes(arrays["meta"]).decode("utf-8"))


def decode_terms(blob: np.ndarray) -> dict[str, int]:
    """A vocabulary saved as newline-separated UTF-8 terms → term: column."""
    terms = bytes(blob).decode("utf-8").split("\n") if blob.size else []
    return {term: index for index, term in enumerate(terms)}


class SavedTfidf:
    """scikit-learn's TfidfVectorizer.transform over a saved vocabulary, for n-grams made elsewhere."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray, offset: int = 0,
                 sublinear_tf: bool = True) -> None:
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float64)
        self.offset = offset  # where this block's columns start in the stacked feature vector
        self.sublinear_tf = sublinear_tf

    def row_of(self, grams: list[str]) -> tuple[list[int], list[float]]:
        """The sparse, L2-normalised row: (columns, values)."""
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for gram in grams:
            column = vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return [], []
        columns = list(counts)
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(columns))
        if self.sublinear_tf:
            tf = 1.0 + np.log(tf)
        values = tf * self.idf[columns]
        values /= math.sqrt(float(values @ values))
        return [c + self.offset for c in columns], values.tolist()
