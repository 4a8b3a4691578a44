"""The dense index: every memory's embedding in one NumPy matrix, searched by dot product.

Embeddings live in the database (so every process and a later PostgreSQL/pgvector
backend share them); this class mirrors them in memory and stays in step by
reading change counters that triggers keep (added, removed, re-embedded) before
each search, so memories written or deleted by another process are seen.
"""

from __future__ import annotations

import threading

import numpy as np

from os1.storage.base import MemoryRepo

DIM = 384


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


class VectorIndex:
    def __init__(self, repo: MemoryRepo) -> None:
        self.repo = repo
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, DIM), dtype=np.float32)
        self._fingerprint: tuple[int, int, int] | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return int(self._ids.shape[0])

    def _load_after(self, after_id: int) -> tuple[list[int], list[np.ndarray]]:
        ids: list[int] = []
        rows: list[np.ndarray] = []
        while True:
            batch = self.repo.embeddings_after(after_id, 20_000)
            if not batch:
                return ids, rows
            for mid, blob in batch:
                vector = from_blob(blob)
                if vector.shape[0] == DIM:
                    ids.append(mid)
                    rows.append(vector)
            after_id = batch[-1][0]

    def sync(self) -> None:
        """Catch up with the database: append new rows; reload after deletions or re-embedding."""
        fingerprint = self.repo.stats()  # (added, removed, re-embedded) counters
        with self._lock:
            if fingerprint == self._fingerprint:
                return
            only_added = (self._fingerprint is not None
                          and fingerprint[1:] == self._fingerprint[1:])
            if only_added:
                known_max = int(self._ids[-1]) if len(self._ids) else 0
                ids, rows = self._load_after(known_max)
                if ids:
                    self._ids = np.concatenate([self._ids, np.array(ids, dtype=np.int64)])
                    self._matrix = np.vstack([self._matrix, np.stack(rows)])
            else:
                ids, rows = self._load_after(0)
                self._ids = np.array(ids, dtype=np.int64)
                self._matrix = np.stack(rows) if rows else np.zeros((0, DIM), dtype=np.float32)
            self._fingerprint = fingerprint

    def search(self, query: np.ndarray, limit: int = 50, allowed: np.ndarray | None = None,
               sync: bool = True) -> list[tuple[int, float]]:
        if sync:
            self.sync()
        if not len(self._ids):
            return []
        scores = self._matrix @ np.asarray(query, dtype=np.float32)
        if allowed is not None:
            scores = np.where(np.isin(self._ids, allowed), scores, -np.inf)
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top])]
        return [(int(self._ids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]
