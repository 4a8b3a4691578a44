"""Finding the few names worth a careful look among thousands, in about a millisecond.

A careful comparison (:func:`os1.skills.music.resolve.similarity`) costs microseconds per name, too
much for every title in a big library on every request; ``rapidfuzz``'s richest scorer over 8,000
titles costs ~25 ms. So candidates come from three cheap looks, and only they are scored carefully:

- spelling of the whole name (``fuzz.ratio``, SIMD-fast with a cutoff): typos in a full title;
- sound of the whole name (the same over metaphone keys): mishearings;
- words: an inverted index from each word to the names holding it, every query word (or, for a
  misspelt word, its nearest words in the vocabulary) adding its rarity (IDF) to those names — partial
  titles, other word orders, and typos inside longer titles.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from rapidfuzz import fuzz, process

from os1.skills.music import names

_STOP_WORDS = """
a an the and or but of in on at to for with by from is are was were be it its i you me my your
we our this that so oh
"""

STOP = frozenset(_STOP_WORDS.split())


class NameFinder:
    """Candidate names for what was said (indexes into ``keys``: folded names)."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.sounds = [names.sound(k) for k in keys]
        postings: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(keys):
            for word in set(key.split()):
                postings[word].append(i)
        self.vocab = list(postings)
        self.word_index = {w: i for i, w in enumerate(self.vocab)}
        self.postings = [np.array(postings[w], dtype=np.int64) for w in self.vocab]
        total = max(len(keys), 1)
        self.idf = np.array([math.log(1 + total / len(postings[w])) for w in self.vocab], dtype=np.float64)

    def __len__(self) -> int:
        return len(self.keys)

    def candidates(self, said: str, limit: int = 60) -> list[int]:
        if not said or not self.keys:
            return []
        found = {i for _k, _s, i in process.extract(said, self.keys, scorer=fuzz.ratio, limit=20,
                                                    score_cutoff=55)}
        heard = names.sound(said)
        if len(heard.replace(" ", "")) >= 3:
            found |= {i for _k, _s, i in process.extract(heard, self.sounds, scorer=fuzz.ratio, limit=10,
                                                         score_cutoff=80)}
        found |= set(self._by_words(said, limit))
        return list(found)

    def _by_words(self, said: str, limit: int) -> list[int]:
        words = [w for w in dict.fromkeys(said.split()) if w not in STOP] or said.split()
        weights = np.zeros(len(self.keys), dtype=np.float64)
        for word in words:
            exact = self.word_index.get(word)
            if exact is not None:
                near = [(exact, 1.0)]
            elif len(word) >= 3:
                near = [(j, s / 100) for _w, s, j in process.extract(word, self.vocab, scorer=fuzz.ratio,
                                                                     limit=3, score_cutoff=75)]
            else:
                near = []
            for j, closeness in near:
                weights[self.postings[j]] += self.idf[j] * closeness
        hit = int(np.count_nonzero(weights))
        if not hit:
            return []
        k = min(limit, hit)
        top = np.argpartition(-weights, k - 1)[:k]
        return [int(i) for i in top if weights[i] > 0]
