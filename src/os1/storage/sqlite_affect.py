"""SQLite repository for feeling: the affect of each user turn (the mood timeline) and the
user's prosody baseline.

An affect row belongs to the user message it was estimated for: forgetting that message
(``forget`` deletes transcript lines) removes its affect too (foreign key cascade).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from os1.perception.affect import AffectEstimate
    from os1.perception.prosody import ProsodyFeatures
    from os1.storage.sqlite import SQLiteStore


@dataclass(frozen=True)
class AffectRecord:
    """One stored affect estimate."""

    id: int
    message_id: int | None
    conversation_id: str | None
    occurred_at: float
    state: str
    confidence: float
    scores: dict[str, float]
    cues: list[str]
    levels: dict[str, float]
    prosody: dict[str, Any] | None
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "message_id": self.message_id, "conversation_id": self.conversation_id,
                "occurred_at": self.occurred_at, "state": self.state, "confidence": self.confidence,
                "scores": self.scores, "cues": self.cues, "levels": self.levels, "prosody": self.prosody,
                "source": self.source}


class AffectRepo:
    COLS = ("id, message_id, conversation_id, occurred_at, state, confidence, scores, cues, levels, prosody, "
            "source")

    def __init__(self, db: SQLiteStore) -> None:
        self._db = db

    @staticmethod
    def _row(r: tuple[Any, ...]) -> AffectRecord:
        return AffectRecord(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6] or "{}"),
                            json.loads(r[7] or "[]"), json.loads(r[8] or "{}"),
                            json.loads(r[9]) if r[9] else None, r[10])

    def add(self, estimate: AffectEstimate, *, message_id: int | None = None,
            conversation_id: str | None = None, occurred_at: float | None = None,
            prosody: ProsodyFeatures | None = None) -> AffectRecord:
        """Store one turn's estimate."""
        at = time.time() if occurred_at is None else occurred_at
        values = (message_id, conversation_id, at, estimate.state, float(estimate.confidence),
                  json.dumps(estimate.scores), json.dumps(list(estimate.cues)), json.dumps(estimate.levels),
                  json.dumps(prosody.to_dict()) if prosody is not None else None, estimate.source)
        with self._db.transaction() as cur:
            cur.execute(
                "INSERT INTO affect(message_id, conversation_id, occurred_at, state, confidence, scores, "
                "cues, levels, prosody, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
            row_id = int(cur.lastrowid or 0)
        return self._row((row_id, *values))

    def get(self, affect_id: int) -> AffectRecord | None:
        row = self._db.one(f"SELECT {self.COLS} FROM affect WHERE id = ?", (affect_id,))
        return self._row(row) if row else None

    def for_message(self, message_id: int) -> AffectRecord | None:
        row = self._db.one(f"SELECT {self.COLS} FROM affect WHERE message_id = ? ORDER BY id DESC LIMIT 1",
                           (message_id,))
        return self._row(row) if row else None

    def latest(self, conversation_id: str | None = None) -> AffectRecord | None:
        if conversation_id is None:
            row = self._db.one(f"SELECT {self.COLS} FROM affect ORDER BY id DESC LIMIT 1")
        else:
            row = self._db.one(f"SELECT {self.COLS} FROM affect WHERE conversation_id = ? "
                               "ORDER BY id DESC LIMIT 1", (conversation_id,))
        return self._row(row) if row else None

    def between(self, start: float, end: float | None = None, limit: int = 100_000) -> list[AffectRecord]:
        """Estimates with ``start <= occurred_at < end``, oldest first."""
        rows = self._db.all(
            f"SELECT {self.COLS} FROM affect WHERE occurred_at >= ? AND occurred_at < ? "
            "ORDER BY occurred_at, id LIMIT ?", (start, end if end is not None else float("inf"), limit))
        return [self._row(r) for r in rows]

    def count(self) -> int:
        row = self._db.one("SELECT COUNT(*) FROM affect")
        return int(row[0]) if row else 0

    def clear(self) -> None:
        """Forget every estimate and the voice baseline."""
        with self._db.transaction() as cur:
            cur.execute("DELETE FROM affect")
            cur.execute("DELETE FROM prosody_baseline")

    # -- the voice baseline (os1.perception.prosody.Baseline) ------------------------------
    def baseline(self, speaker: str = "user") -> dict[str, tuple[int, float, float]]:
        rows = self._db.all("SELECT feature, n, mean, m2 FROM prosody_baseline WHERE speaker = ?", (speaker,))
        return {r[0]: (int(r[1]), float(r[2]), float(r[3])) for r in rows}

    def save_baseline(self, stats: Mapping[str, tuple[int, float, float]], speaker: str = "user") -> None:
        now = time.time()
        with self._db.transaction() as cur:
            cur.executemany(
                "INSERT INTO prosody_baseline(speaker, feature, n, mean, m2, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(speaker, feature) DO UPDATE SET "
                "n = excluded.n, mean = excluded.mean, m2 = excluded.m2, updated_at = excluded.updated_at",
                [(speaker, name, int(n), float(mean), float(m2), now)
                 for name, (n, mean, m2) in stats.items()])
