"""The embedded storage backend: one SQLite file in the user's data directory.

WAL mode lets a terminal chat and a server read and write the same file at
once; ``busy_timeout`` makes a second writer wait instead of failing. Every
sqlite error is turned into a :class:`StorageError` that says what happened
and what to do, so no caller shows a traceback for a locked or broken file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from os1.storage.base import (
    Conversation,
    Grant,
    JournalEntry,
    StorageError,
    StoredMessage,
)
from os1.storage.migrations import MIGRATIONS
from os1.storage.sqlite_affect import AffectRepo
from os1.storage.sqlite_memory import FactRepo, GrowthRepo, MemoryRepo, PeopleRepo

BUSY_TIMEOUT_MS = 5000


def _explain(exc: sqlite3.Error, path: Path) -> StorageError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StorageError(
            f"The database {path} is busy: another OS1 process is writing to it "
            f"(waited up to {BUSY_TIMEOUT_MS // 1000} s). Try again in a moment."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StorageError(
            f"The database {path} is damaged ({exc}). Nothing was changed. Move it aside "
            f"(mv '{path}' '{path}.broken') and OS1 will start a fresh one; "
            f"`sqlite3 '{path}.broken' .recover` may rescue what is in it."
        )
    if "readonly" in text or "unable to open" in text or "disk i/o" in text:
        return StorageError(f"The database {path} cannot be written ({exc}). Check its folder.")
    return StorageError(f"Database error in {path}: {exc}")


class _Repo:
    def __init__(self, db: SQLiteStore) -> None:
        self._db = db


class _ProfileRepo(_Repo):
    def get(self, key: str, default: Any = None) -> Any:
        row = self._db.one("SELECT value FROM profile WHERE key = ?", (key,))
        return json.loads(row[0]) if row else default

    def set(self, key: str, value: Any) -> None:
        self._db.run(
            "INSERT INTO profile(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    def all(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self._db.all("SELECT key, value FROM profile")}

    def clear(self) -> None:
        self._db.run("DELETE FROM profile")


class _ConversationRepo(_Repo):
    _COLS = "id, title, created_at, updated_at"

    def create(self, title: str = "") -> Conversation:
        now = time.time()
        cid = uuid.uuid4().hex
        self._db.run(
            "INSERT INTO conversations(id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (cid, title, now, now),
        )
        return Conversation(cid, title, now, now)

    def latest(self) -> Conversation | None:
        row = self._db.one(
            f"SELECT {self._COLS} FROM conversations ORDER BY updated_at DESC LIMIT 1"
        )
        return Conversation(*row) if row else None

    def get(self, conversation_id: str) -> Conversation | None:
        row = self._db.one(
            f"SELECT {self._COLS} FROM conversations WHERE id = ?", (conversation_id,)
        )
        return Conversation(*row) if row else None

    def list(self, limit: int = 50) -> list[Conversation]:
        rows = self._db.all(
            f"SELECT {self._COLS} FROM conversations ORDER BY updated_at DESC LIMIT ?", (limit,)
        )
        return [Conversation(*r) for r in rows]

    def add_message(
        self, conversation_id: str, role: str, content: str, status: str = "complete"
    ) -> StoredMessage:
        now = time.time()
        with self._db.transaction() as cur:
            cur.execute(
                "INSERT INTO messages(conversation_id, role, content, status, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (conversation_id, role, content, status, now),
            )
            mid = cur.lastrowid
            cur.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id)
            )
        return StoredMessage(int(mid or 0), conversation_id, role, content, now, status)

    def amend_message(self, message_id: int, content: str, status: str) -> None:
        """Replace a stored message's words (a spoken reply the user cut off: keep what they heard)."""
        self._db.run("UPDATE messages SET content = ?, status = ? WHERE id = ?",
                     (content, status, message_id))

    def messages(self, conversation_id: str, limit: int | None = None) -> list[StoredMessage]:
        sql = (
            "SELECT id, conversation_id, role, content, created_at, status FROM messages "
            "WHERE conversation_id = ? ORDER BY id DESC"
        )
        params: tuple[Any, ...] = (conversation_id,)
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        rows = self._db.all(sql, params)
        return [StoredMessage(*r) for r in reversed(rows)]

    def find_messages(self, words: list[str], limit: int = 10_000) -> list[StoredMessage]:
        """Messages containing every one of ``words`` (case-insensitive substring match)."""
        if not words:
            return []
        where = " AND ".join("instr(lower(content), ?) > 0" for _ in words)
        rows = self._db.all(
            "SELECT id, conversation_id, role, content, created_at, status FROM messages "
            f"WHERE {where} ORDER BY id LIMIT ?", (*[w.lower() for w in words], limit))
        return [StoredMessage(*r) for r in rows]

    def delete_messages(self, ids: list[int]) -> int:
        with self._db.transaction() as cur:
            cur.executemany("DELETE FROM messages WHERE id = ?", [(i,) for i in ids])
            return len(ids)

    def set_pending(self, conversation_id: str, pending: dict[str, Any] | None) -> None:
        self._db.run(
            "UPDATE conversations SET pending = ? WHERE id = ?",
            (json.dumps(pending) if pending else None, conversation_id),
        )

    def pending(self, conversation_id: str) -> dict[str, Any] | None:
        row = self._db.one("SELECT pending FROM conversations WHERE id = ?", (conversation_id,))
        return json.loads(row[0]) if row and row[0] else None


class _ConsentRepo(_Repo):
    def get(self, scope: str) -> Grant | None:
        row = self._db.one("SELECT scope, granted, updated_at FROM consent WHERE scope = ?", (scope,))
        return Grant(row[0], bool(row[1]), row[2]) if row else None

    def set(self, scope: str, granted: bool) -> None:
        self._db.run(
            "INSERT INTO consent(scope, granted, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(scope) DO UPDATE SET granted = excluded.granted, "
            "updated_at = excluded.updated_at",
            (scope, int(granted), time.time()),
        )

    def list(self) -> list[Grant]:
        rows = self._db.all("SELECT scope, granted, updated_at FROM consent ORDER BY scope")
        return [Grant(r[0], bool(r[1]), r[2]) for r in rows]


class _JournalRepo(_Repo):
    _COLS = "id, skill, tool, summary, undo, created_at, undone_at"

    @staticmethod
    def _entry(row: tuple[Any, ...]) -> JournalEntry:
        return JournalEntry(
            row[0], row[1], row[2], row[3], json.loads(row[4]) if row[4] else None, row[5], row[6]
        )

    def record(self, skill: str, tool: str, summary: str, undo: dict[str, Any] | None) -> int:
        with self._db.transaction() as cur:
            cur.execute(
                "INSERT INTO journal(skill, tool, summary, undo, created_at) VALUES (?, ?, ?, ?, ?)",
                (skill, tool, summary, json.dumps(undo) if undo else None, time.time()),
            )
            return int(cur.lastrowid or 0)

    def last_undoable(self) -> JournalEntry | None:
        row = self._db.one(
            f"SELECT {self._COLS} FROM journal WHERE undo IS NOT NULL AND undone_at IS NULL "
            "ORDER BY id DESC LIMIT 1"
        )
        return self._entry(row) if row else None

    def mark_undone(self, entry_id: int) -> None:
        self._db.run("UPDATE journal SET undone_at = ? WHERE id = ?", (time.time(), entry_id))

    def list(self, limit: int = 50) -> list[JournalEntry]:
        rows = self._db.all(f"SELECT {self._COLS} FROM journal ORDER BY id DESC LIMIT ?", (limit,))
        return [self._entry(r) for r in rows]


class SQLiteStore:
    """All repositories over one SQLite file. Safe to share between threads."""

    DERIVED_COLUMNS = frozenset({"embedding", "content_hash"})  # rebuilt, not exported
    EXPORT_TABLES = ("profile", "conversations", "messages", "memories", "memory_sources", "facts",
                     "people", "growth", "consent", "journal", "affect", "prosody_baseline",
                     "contacts", "mail", "mail_sync",  # mail: metadata and text (raw bytes stay out)
                     "file_roots", "files", "initiatives",
                     "news_feeds", "news_items", "news_filters", "calendar_events", "calendar_reminders",
                     "music_roots", "music_tracks", "music_plays", "music_feedback")

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._use_wal()
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise _explain(exc, path) from exc
        except OSError as exc:
            raise StorageError(f"Cannot open the database {path}: {exc}") from exc
        self.profile = _ProfileRepo(self)
        self.conversations = _ConversationRepo(self)
        self.memories = MemoryRepo(self)
        self.facts = FactRepo(self)
        self.people = PeopleRepo(self)
        self.growth = GrowthRepo(self)
        self.affect = AffectRepo(self)
        self.consent = _ConsentRepo(self)
        self.journal = _JournalRepo(self)

    # -- plumbing -----------------------------------------------------------
    def _use_wal(self) -> None:
        """Switch to WAL. SQLite answers "locked" at once, without waiting, while another process
        is creating the same new database, so wait here (bounded) instead of failing."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        cur = self._conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > len(MIGRATIONS):
                raise StorageError(
                    f"The database {self.path} was written by a newer OS1 "
                    f"(schema {version}, this one knows {len(MIGRATIONS)}). Upgrade OS1."
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _split_sql(script):
                    cur.execute(statement)
                cur.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (str(number),),
                )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    @property
    def schema_version(self) -> int:
        row = self.one("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(row[0]) if row else 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
                yield cur
                cur.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise _explain(exc, self.path) from exc
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        with self.transaction() as cur:
            cur.execute(sql, params)

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchone()
            except sqlite3.Error as exc:
                raise _explain(exc, self.path) from exc

    def all(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise _explain(exc, self.path) from exc

    # -- whole-store operations ----------------------------------------------
    def export(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        with self._lock:
            for table in self.EXPORT_TABLES:
                cur = self._conn.execute(f"SELECT * FROM {table}")
                cols = [d[0] for d in cur.description]
                out[table] = [
                    {c: v for c, v in zip(cols, row, strict=True) if c not in self.DERIVED_COLUMNS}
                    for row in cur.fetchall()
                ]
        return out

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf: list[str] = []
    for line in script.strip().splitlines():
        buf.append(line)
        candidate = "\n".join(buf).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements


def open_store(path: Path) -> SQLiteStore:
    return SQLiteStore(path)
