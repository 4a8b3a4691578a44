"""The dense index: every memory's embedding in one NumPy matrix, searched by dot product.

Embeddings live in the database (so every process and a later PostgreSQL/pgvector
backend share them); this class mirrors them in memory and stays in step by
comparing a cheap fingerprint (count, max id) before each search, so memories
written or deleted by another process are seen.
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
        fingerprint = self.repo.stats()
        with self._lock:
            if fingerprint == self._fingerprint:
                return
            count, _, with_vectors = fingerprint
            known_max = int(self._ids[-1]) if len(self._ids) else 0
            grew_only = (self._fingerprint is not None and with_vectors >= len(self._ids)
                         and count >= self._fingerprint[0])
            if grew_only:
                ids, rows = self._load_after(known_max)
                if len(self._ids) + len(ids) == with_vectors:
                    if ids:
                        self._ids = np.concatenate([self._ids, np.array(ids, dtype=np.int64)])
                        self._matrix = np.vstack([self._matrix, np.stack(rows)])
                    self._fingerprint = fingerprint
                    return
            ids, rows = self._load_after(0)  # deletions or gaps: reload everything
            self._ids = np.array(ids, dtype=np.int64)
            self._matrix = np.stack(rows) if rows else np.zeros((0, DIM), dtype=np.float32)
            self._fingerprint = fingerprint

    def search(self, query: np.ndarray, limit: int = 50,
               allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
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
