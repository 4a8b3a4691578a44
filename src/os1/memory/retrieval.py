"""Hybrid retrieval: lexical (FTS5/BM25) and dense (MiniLM) fused by reciprocal rank,
then re-weighted by importance, recency and the time the question asks about.

Each choice here is measured by ``os1 bench memory`` on LoCoMo; see BENCHMARKS.md.
"""

from __future__ import annotations

import math
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from os1.memory import timeparse
from os1.memory.vectors import VectorIndex
from os1.mind.encoder import Encoder, EncoderUnavailable
from os1.storage.base import Memory, MemoryRepo

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="os1-recall")


@dataclass
class Weights:
    """How much each signal counts; the defaults are what ``os1 bench memory`` kept (BENCHMARKS.md)."""

    lexical: float = 2.0  # BM25 alone beat MiniLM alone on LoCoMo (0.58 vs 0.41 recall_any@5)
    dense: float = 1.0
    rrf_k: int = 20
    named_speaker: float = 0.3  # memories said by the one person the question names
    importance: float = 0.05
    recency: float = 0.02
    recency_half_life_days: float = 30.0
    in_window: float = 0.5
    candidates: int = 200


@dataclass
class Hit:
    memory: Memory
    score: float
    why: dict[str, float] = field(default_factory=dict)


def embed_text(memory_text: str, speaker: str = "", following: str = "") -> str:
    """What the dense index embeds for a memory: who said it, what, and the reply that followed.

    The reply often says what the turn was about ("That's a lovely name for a dog!"); on LoCoMo one
    embedding of turn + next turn did as well as three (turn, with previous, with next).
    """
    text = f"{speaker}: {memory_text}" if speaker else memory_text
    return f"{text}\n{following}" if following else text


class Retriever:
    def __init__(self, repo: MemoryRepo, encoder: Encoder | None, index: VectorIndex | None = None,
                 weights: Weights | None = None) -> None:
        self.repo = repo
        self.encoder = encoder
        self.index = index or VectorIndex(repo)
        self.weights = weights or Weights()

    def _query_vector(self, query: str) -> np.ndarray | None:
        if self.encoder is None:
            return None
        try:
            return self.encoder.encode([query])[0]
        except EncoderUnavailable:
            self.encoder = None
            return None

    def search(self, query: str, k: int = 10, now: datetime | None = None,
               kinds: tuple[str, ...] | None = None, candidates: int | None = None) -> list[Hit]:
        """The ``k`` best memories; ``candidates`` (default from the weights) bounds the work."""
        w = self.weights
        pool = candidates or w.candidates
        ranks: dict[int, dict[str, float]] = {}
        vector = self._query_vector(query)
        dense: list[tuple[int, float]] = []
        if vector is not None:
            self.index.sync()
            # SQLite's BM25 and NumPy's matrix product both release the GIL: run them side by side
            lexical = _POOL.submit(self.repo.lexical, query, pool, kinds)
            dense = self.index.search(vector, pool, sync=False)
            found = lexical.result()
        else:
            found = self.repo.lexical(query, pool, kinds)
        for rank, (mid, _) in enumerate(found):
            ranks.setdefault(mid, {})["lexical"] = w.lexical / (w.rrf_k + rank + 1)
        for rank, (mid, _) in enumerate(dense):
            ranks.setdefault(mid, {})["dense"] = w.dense / (w.rrf_k + rank + 1)
        span = timeparse.window(query, now)
        if span is not None:
            for memory in self.repo.between(span.start, span.end, pool):
                ranks.setdefault(memory.id, {}).setdefault("lexical", 0.0)
        if not ranks:
            return []
        memories = {m.id: m for m in self.repo.get_many(list(ranks))}
        best = max(sum(parts.values()) for parts in ranks.values()) or 1.0
        named = self._named_speaker(query, memories.values())
        now_ts = (now or datetime.now()).timestamp() if now else time.time()
        hits = []
        for mid, parts in ranks.items():
            memory = memories.get(mid)
            if memory is None or (kinds and memory.kind not in kinds):
                continue
            why = {"fused": sum(parts.values()) / best}
            if named and memory.speaker.lower() == named:
                why["named_speaker"] = w.named_speaker
            why["importance"] = w.importance * memory.importance
            age_days = max(0.0, (now_ts - memory.occurred_at) / 86400)
            why["recency"] = w.recency * math.pow(0.5, age_days / w.recency_half_life_days)
            if span is not None and span.start <= memory.occurred_at < span.end:
                why["in_window"] = w.in_window
            hits.append(Hit(memory, sum(why.values()), why))
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits[:k]

    @staticmethod
    def _named_speaker(query: str, memories: object) -> str | None:
        """The one speaker among the candidates whom the question names, if exactly one."""
        words = set(re.findall(r"\w+", query.lower()))
        speakers = {m.speaker.lower() for m in memories if m.speaker}  # type: ignore[attr-defined]
        named = [s for s in speakers if s in words]
        return named[0] if len(named) == 1 else None
