"""SQLite repositories for what OS1 knows: memories, facts, people and its own growth.

Memories are indexed three ways: the row itself, the FTS5 table (kept in step by
triggers) and an optional embedding blob that :mod:`os1.memory.vectors` reads.
Deleting a memory removes it from all three, the facts derived from it (foreign
key cascade) and the reflections that cite it.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from os1.storage.base import Memory

if TYPE_CHECKING:
    from os1.storage.sqlite import SQLiteStore

MAX_MEMORY_CHARS = 20_000
LARGE_STORE = 20_000  # above this many memories, lexical search tries an AND-query first
_STOPWORDS = """
a an the and or but if of to in on at by for with about from as is are was were be been being
do does did have has had i you he she it we they me him her us them my your his its our their
this that these those what which who whom whose when where why how there here not no so than
too very can could would should will just also any some all mine yours
"""
_STOP = frozenset(_STOPWORDS.split())


@dataclass(frozen=True)
class Fact:
    id: int
    subject: str
    predicate: str
    object: str
    text: str
    memory_id: int | None
    confidence: float
    valid_from: float
    valid_to: float | None
    superseded_by: int | None
    created_at: float

    @property
    def current(self) -> bool:
        return self.valid_to is None


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    relation: str
    note: str
    mentions: int
    first_seen: float
    last_seen: float


@dataclass(frozen=True)
class GrowthEntry:
    id: int
    kind: str  # reflection | trait | journal
    text: str
    data: dict[str, Any]
    created_at: float


def fts_query(text: str, stopwords: bool = True, join: str = "OR") -> str:
    """An FTS5 query (OR, or AND) of the words in ``text`` (stopwords dropped when others remain)."""
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1 or w.isdigit()]
    if stopwords:
        content = [w for w in words if w not in _STOP]
        words = content or words
    return f" {join} ".join(f'"{w}"' for w in dict.fromkeys(words))


def content_hash(kind: str, source: str, speaker: str, text: str, occurred_at: float | None,
                 conversation_id: str | None) -> str:
    key = json.dumps([kind, source, speaker, text, round(occurred_at or 0, 3), conversation_id])
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


class _Repo:
    def __init__(self, db: SQLiteStore) -> None:
        self._db = db


class MemoryRepo(_Repo):
    COLS = ("id, kind, text, source, created_at, speaker, conversation_id, occurred_at, "
            "importance, emotion, meta")

    @staticmethod
    def row(r: tuple[Any, ...]) -> Memory:
        return Memory(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] if r[7] is not None else r[4],
                      r[8], r[9], json.loads(r[10]) if r[10] else {})

    def add(self, text: str, kind: str = "note", source: str = "user", *, speaker: str = "",
            conversation_id: str | None = None, occurred_at: float | None = None,
            importance: float = 0.3, emotion: str | None = None,
            meta: dict[str, Any] | None = None, embedding: bytes | None = None) -> Memory:
        """Store one memory; the same memory ingested twice is stored once (the first is returned)."""
        return self.add_many([dict(text=text, kind=kind, source=source, speaker=speaker,
                                   conversation_id=conversation_id, occurred_at=occurred_at,
                                   importance=importance, emotion=emotion, meta=meta,
                                   embedding=embedding)])[0]

    def add_many(self, items: list[dict[str, Any]]) -> list[Memory]:
        """Store many memories in one transaction (ingest); duplicates map to the stored ones."""
        now = time.time()
        out: list[int] = []
        with self._db.transaction() as cur:
            for item in items:
                text = str(item["text"])[:MAX_MEMORY_CHARS]
                kind = item.get("kind", "note")
                source = item.get("source", "user")
                speaker = item.get("speaker", "") or ""
                occurred = item.get("occurred_at") or now
                conv = item.get("conversation_id")
                digest = content_hash(kind, source, speaker, text, occurred, conv)
                meta = item.get("meta")
                cur.execute(
                    "INSERT OR IGNORE INTO memories(kind, text, source, created_at, speaker, "
                    "conversation_id, occurred_at, importance, emotion, meta, embedding, content_hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (kind, text, source, now, speaker, conv, occurred,
                     float(item.get("importance", 0.3)), item.get("emotion"),
                     json.dumps(meta) if meta else None, item.get("embedding"), digest),
                )
                if cur.rowcount:
                    out.append(int(cur.lastrowid or 0))
                else:
                    found = cur.execute(
                        "SELECT id FROM memories WHERE content_hash = ?", (digest,)).fetchone()
                    out.append(int(found[0]))
        by_id = {m.id: m for m in self.get_many(out)}
        return [by_id[i] for i in out]

    def get(self, memory_id: int) -> Memory | None:
        found = self.get_many([memory_id])
        return found[0] if found else None

    def get_many(self, ids: list[int]) -> list[Memory]:
        if not ids:
            return []
        out: list[Memory] = []
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.all(f"SELECT {self.COLS} FROM memories WHERE id IN ({marks})", tuple(chunk))
            out.extend(self.row(r) for r in rows)
        order = {mid: i for i, mid in enumerate(unique)}
        return sorted(out, key=lambda m: order[m.id])

    def delete(self, memory_id: int) -> bool:
        """Delete a memory, what was derived from it (facts, reflections citing it) and its indexes."""
        return self.delete_many([memory_id]) > 0

    def delete_many(self, ids: list[int]) -> int:
        removed = 0
        with self._db.transaction() as cur:
            pending = list(dict.fromkeys(ids))
            seen: set[int] = set()
            while pending:
                mid = pending.pop()
                if mid in seen:
                    continue
                seen.add(mid)
                derived = cur.execute(
                    "SELECT memory_id FROM memory_sources WHERE source_id = ?", (mid,)).fetchall()
                pending.extend(int(r[0]) for r in derived)
                # facts that this memory's facts had superseded are what is known again
                cur.execute(
                    "UPDATE facts SET valid_to = NULL, superseded_by = NULL WHERE superseded_by IN "
                    "(SELECT id FROM facts WHERE memory_id = ?)", (mid,))
                cur.execute("DELETE FROM memories WHERE id = ?", (mid,))
                removed += cur.rowcount
                # the growth journal's copies of reflections built on it go too
                cur.execute(
                    "DELETE FROM growth WHERE kind IN ('reflection', 'journal') AND ("
                    "json_extract(data, '$.memory_id') = ? OR EXISTS ("
                    "SELECT 1 FROM json_each(growth.data, '$.cites') WHERE value = ?))", (mid, mid))
        return removed

    def list(self, kind: str | None = None, limit: int = 100, offset: int = 0) -> list[Memory]:
        where, params = ("WHERE kind = ?", (kind,)) if kind else ("", ())
        rows = self._db.all(
            f"SELECT {self.COLS} FROM memories {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [self.row(r) for r in rows]

    def count(self, kind: str | None = None) -> int:
        if kind:
            row = self._db.one("SELECT count(*) FROM memories WHERE kind = ?", (kind,))
        else:
            row = self._db.one("SELECT count(*) FROM memories")
        return int(row[0]) if row else 0

    def lexical(self, query: str, limit: int = 50, kinds: tuple[str, ...] | None = None
                ) -> list[tuple[int, float]]:
        """(memory id, BM25 score — higher is better) for the words of ``query``.

        BM25 over an OR of the words scores every memory holding any of them: in a large store
        that is tens of thousands of rows for common words. There, memories holding *all* the
        words are tried first (a cheap intersection), and the OR runs only if they are too few.
        """
        if len(re.findall(r"\w+", query)) > 1 and self._large():
            found = self._bm25(fts_query(query, join="AND"), limit, kinds)
            if len(found) >= max(10, limit // 4):
                return found
        return self._bm25(fts_query(query), limit, kinds)

    def _large(self) -> bool:
        added, removed, _ = self.stats()
        return added - removed > LARGE_STORE

    def _bm25(self, match: str, limit: int, kinds: tuple[str, ...] | None) -> list[tuple[int, float]]:
        if not match:
            return []
        sql = ("SELECT f.rowid, -bm25(memories_fts) AS score FROM memories_fts f "
               "WHERE memories_fts MATCH ?")
        params: tuple[Any, ...] = (match,)
        if kinds:
            sql = ("SELECT f.rowid, -bm25(memories_fts) AS score FROM memories_fts f "
                   "JOIN memories m ON m.id = f.rowid WHERE memories_fts MATCH ? AND m.kind IN ("
                   + ",".join("?" * len(kinds)) + ")")
            params += tuple(kinds)
        sql += " ORDER BY bm25(memories_fts) LIMIT ?"
        return [(int(r[0]), float(r[1])) for r in self._db.all(sql, (*params, limit))]

    def search(self, query: str, limit: int = 10) -> list[Memory]:
        return self.get_many([mid for mid, _ in self.lexical(query, limit)])

    def between(self, start: float, end: float, limit: int = 200) -> list[Memory]:
        rows = self._db.all(
            f"SELECT {self.COLS} FROM memories WHERE occurred_at >= ? AND occurred_at < ? "
            "ORDER BY occurred_at LIMIT ?", (start, end, limit))
        return [self.row(r) for r in rows]

    def embeddings_after(self, after_id: int, limit: int = 5000) -> list[tuple[int, bytes]]:
        rows = self._db.all(
            "SELECT id, embedding FROM memories WHERE id > ? AND embedding IS NOT NULL "
            "ORDER BY id LIMIT ?", (after_id, limit))
        return [(int(r[0]), r[1]) for r in rows]

    def missing_embeddings(self, limit: int = 500) -> list[tuple[int, str]]:
        rows = self._db.all(
            "SELECT id, text FROM memories WHERE embedding IS NULL ORDER BY id LIMIT ?", (limit,))
        return [(int(r[0]), r[1]) for r in rows]

    def set_embeddings(self, pairs: list[tuple[int, bytes]]) -> None:
        with self._db.transaction() as cur:
            cur.executemany("UPDATE memories SET embedding = ? WHERE id = ?",
                            [(blob, mid) for mid, blob in pairs])

    def stats(self) -> tuple[int, int, int]:
        """(added, removed, re-embedded) counters kept by triggers: a fingerprint of the memories
        that costs one indexed read however many there are."""
        rows = dict(self._db.all(
            "SELECT key, value FROM meta WHERE key IN "
            "('memories_added', 'memories_removed', 'memories_reembedded')"))
        return (int(rows.get("memories_added", 0)), int(rows.get("memories_removed", 0)),
                int(rows.get("memories_reembedded", 0)))

    def cite(self, memory_id: int, source_ids: list[int]) -> None:
        with self._db.transaction() as cur:
            cur.executemany("INSERT OR IGNORE INTO memory_sources(memory_id, source_id) VALUES (?, ?)",
                            [(memory_id, s) for s in source_ids])

    def sources(self, memory_id: int) -> list[int]:
        rows = self._db.all("SELECT source_id FROM memory_sources WHERE memory_id = ? ORDER BY source_id",
                            (memory_id,))
        return [int(r[0]) for r in rows]


class FactRepo(_Repo):
    COLS = ("id, subject, predicate, object, text, memory_id, confidence, valid_from, valid_to, "
            "superseded_by, created_at")

    def add(self, subject: str, predicate: str, obj: str, text: str, memory_id: int | None,
            confidence: float = 0.6, valid_from: float | None = None) -> Fact:
        now = time.time()
        with self._db.transaction() as cur:
            cur.execute(
                f"INSERT INTO facts({self.COLS.replace('id, ', '', 1)}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
                (subject, predicate, obj, text, memory_id, confidence, valid_from or now, now))
            fid = int(cur.lastrowid or 0)
        fact = self.get(fid)
        assert fact is not None
        return fact

    def get(self, fact_id: int) -> Fact | None:
        row = self._db.one(f"SELECT {self.COLS} FROM facts WHERE id = ?", (fact_id,))
        return Fact(*row) if row else None

    def current(self, subject: str | None = None, predicate: str | None = None) -> list[Fact]:
        sql, params = f"SELECT {self.COLS} FROM facts WHERE valid_to IS NULL", []
        if subject is not None:
            sql += " AND subject = ? COLLATE NOCASE"
            params.append(subject)
        if predicate is not None:
            sql += " AND predicate = ?"
            params.append(predicate)
        return [Fact(*r) for r in self._db.all(sql + " ORDER BY id", tuple(params))]

    def history(self, subject: str | None = None) -> list[Fact]:
        if subject is None:
            rows = self._db.all(f"SELECT {self.COLS} FROM facts ORDER BY id")
        else:
            rows = self._db.all(f"SELECT {self.COLS} FROM facts WHERE subject = ? COLLATE NOCASE "
                                "ORDER BY id", (subject,))
        return [Fact(*r) for r in rows]

    def supersede(self, old_id: int, new_id: int | None, at: float | None = None) -> None:
        self._db.run("UPDATE facts SET valid_to = ?, superseded_by = ? WHERE id = ? AND valid_to IS NULL",
                     (at or time.time(), new_id, old_id))

    def reopen(self, fact_id: int) -> bool:
        """Make a superseded fact current again (undoing the change that closed it)."""
        with self._db.transaction() as cur:
            cur.execute("UPDATE facts SET valid_to = NULL, superseded_by = NULL WHERE id = ?", (fact_id,))
            return cur.rowcount > 0

    def delete(self, fact_id: int) -> bool:
        with self._db.transaction() as cur:
            cur.execute("DELETE FROM facts WHERE id = ?", (fact_id,))
            return cur.rowcount > 0

    def by_memory(self, memory_id: int) -> list[Fact]:
        rows = self._db.all(f"SELECT {self.COLS} FROM facts WHERE memory_id = ?", (memory_id,))
        return [Fact(*r) for r in rows]


class PeopleRepo(_Repo):
    COLS = "id, name, relation, note, mentions, first_seen, last_seen"

    def upsert(self, name: str, relation: str | None = None, note: str | None = None,
               seen_at: float | None = None) -> Person:
        at = seen_at or time.time()
        with self._db.transaction() as cur:
            cur.execute(
                "INSERT INTO people(name, mentions, first_seen, last_seen) VALUES (?, 1, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET mentions = mentions + 1, "
                "first_seen = min(first_seen, excluded.first_seen), "
                "last_seen = max(last_seen, excluded.last_seen)",
                (name, at, at))
            if relation is not None:  # the newest explicit relation wins (corrections)
                cur.execute("UPDATE people SET relation = ? WHERE name = ? COLLATE NOCASE",
                            (relation, name))
            if note is not None:
                cur.execute("UPDATE people SET note = ? WHERE name = ? COLLATE NOCASE", (note, name))
        person = self.get(name)
        assert person is not None
        return person

    def get(self, name: str) -> Person | None:
        row = self._db.one(f"SELECT {self.COLS} FROM people WHERE name = ? COLLATE NOCASE", (name,))
        return Person(*row) if row else None

    def list(self) -> list[Person]:
        return [Person(*r) for r in self._db.all(
            f"SELECT {self.COLS} FROM people ORDER BY mentions DESC, name")]

    def delete(self, name: str) -> bool:
        with self._db.transaction() as cur:
            cur.execute("DELETE FROM people WHERE name = ? COLLATE NOCASE", (name,))
            return cur.rowcount > 0


class GrowthRepo(_Repo):
    def add(self, kind: str, text: str, data: dict[str, Any] | None = None) -> GrowthEntry:
        now = time.time()
        with self._db.transaction() as cur:
            cur.execute("INSERT INTO growth(kind, text, data, created_at) VALUES (?, ?, ?, ?)",
                        (kind, text, json.dumps(data or {}), now))
            gid = int(cur.lastrowid or 0)
        return GrowthEntry(gid, kind, text, data or {}, now)

    def list(self, kind: str | None = None, limit: int = 100) -> list[GrowthEntry]:
        if kind:
            rows = self._db.all("SELECT id, kind, text, data, created_at FROM growth WHERE kind = ? "
                                "ORDER BY id DESC LIMIT ?", (kind, limit))
        else:
            rows = self._db.all("SELECT id, kind, text, data, created_at FROM growth "
                                "ORDER BY id DESC LIMIT ?", (limit,))
        return [GrowthEntry(r[0], r[1], r[2], json.loads(r[3] or "{}"), r[4]) for r in rows]
