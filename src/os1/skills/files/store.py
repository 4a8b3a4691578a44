"""The files repository: what OS1 knows about the user's files, in the OS1 SQLite file (migration 6).

``files`` has one row per file: the metadata of the fast pass (path, size, mtime, inode), what
the slower content pass found (text, the date a photo was taken, camera, duration …; NULL
``extracted_at`` means "not read yet, or changed since"), and hashes cached for the duplicate
search (a change of size or mtime clears them). ``files_fts`` indexes name and text. ``file_roots``
remembers the folders the user chose, so a re-scan knows where to look.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

_COLS = ("id, path, name, ext, kind, size, mtime, ctime, inode, taken_at, meta, extracted_at, "
         "extract_error, partial_hash, full_hash")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class FileRow:
    """One indexed file (its text is loaded separately: it can be long)."""

    id: int
    path: str
    name: str
    ext: str
    kind: str
    size: int
    mtime: float
    ctime: float | None = None
    inode: int | None = None
    taken_at: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    extracted_at: float | None = None
    extract_error: str | None = None
    partial_hash: str | None = None
    full_hash: str | None = None

    @property
    def when(self) -> float:
        """The file's date for "in 2019": when a photo was taken, else when the file last changed."""
        return self.taken_at if self.taken_at is not None else self.mtime


def _row(row: tuple[Any, ...]) -> FileRow:
    (fid, path, name, ext, kind, size, mtime, ctime, inode, taken_at, meta, extracted_at, error,
     partial, full) = row
    return FileRow(fid, path, name, ext, kind, size, mtime, ctime, inode, taken_at,
                   json.loads(meta) if meta else {}, extracted_at, error, partial, full)


@dataclass(frozen=True)
class Seen:
    """A file as the metadata pass saw it."""

    path: str
    name: str
    ext: str
    kind: str
    size: int
    mtime: float
    ctime: float
    inode: int


def under(root: str) -> tuple[str, str]:
    """A ``path >= ? AND path < ?`` range matching every path inside the folder ``root``."""
    prefix = root.rstrip(os.sep) + os.sep
    return prefix, prefix[:-1] + chr(ord(os.sep) + 1)


def fts_query(text: str) -> str:
    """A safe FTS5 query from free text: every word quoted, any of them may match."""
    words = [w.lower() for w in _WORD.findall(text)]
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(words))


class FileStore:
    """Files on top of the shared :class:`~os1.storage.sqlite.SQLiteStore` (``runtime.store``)."""

    def __init__(self, db: Any) -> None:
        self._db = db

    # -- folders ---------------------------------------------------------------------------
    def add_root(self, path: str) -> None:
        self._db.run("INSERT OR IGNORE INTO file_roots(path, added_at) VALUES (?, ?)", (path, time.time()))

    def mark_scanned(self, path: str) -> None:
        self._db.run("UPDATE file_roots SET scanned_at = ? WHERE path = ?", (time.time(), path))

    def roots(self) -> list[tuple[str, float | None]]:
        return [(r[0], r[1]) for r in self._db.all("SELECT path, scanned_at FROM file_roots ORDER BY path")]

    # -- the metadata pass -----------------------------------------------------------------
    def known_under(self, root: str) -> dict[str, tuple[int, int, float, int | None]]:
        """path -> (id, size, mtime, inode) for every indexed file inside ``root``."""
        low, high = under(root)
        rows = self._db.all("SELECT path, id, size, mtime, inode FROM files WHERE path >= ? AND path < ?",
                            (low, high))
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}

    def add_many(self, items: Iterable[Seen]) -> int:
        now = time.time()
        count = 0
        with self._db.transaction() as cur:
            for s in items:
                cur.execute(
                    "INSERT INTO files(path, name, ext, kind, size, mtime, ctime, inode, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO NOTHING",
                    (s.path, s.name, s.ext, s.kind, s.size, s.mtime, s.ctime, s.inode, now))
                count += cur.rowcount
        return count

    def update_changed(self, items: Iterable[tuple[int, Seen]]) -> None:
        """New metadata for files that changed: what was read from them is stale now."""
        with self._db.transaction() as cur:
            cur.executemany(
                "UPDATE files SET size = ?, mtime = ?, ctime = ?, inode = ?, kind = ?, text = '', "
                "taken_at = NULL, meta = NULL, extracted_at = NULL, extract_error = NULL, "
                "partial_hash = NULL, full_hash = NULL WHERE id = ?",
                [(s.size, s.mtime, s.ctime, s.inode, s.kind, fid) for fid, s in items])

    def remove(self, ids: Sequence[int]) -> None:
        with self._db.transaction() as cur:
            cur.executemany("DELETE FROM files WHERE id = ?", [(i,) for i in ids])

    def remove_path(self, path: str) -> None:
        self._db.run("DELETE FROM files WHERE path = ?", (path,))

    # -- the content pass ------------------------------------------------------------------
    def pending(self, kinds: Sequence[str], limit: int = 500, after_id: int = 0) -> list[FileRow]:
        """Files of these kinds whose content has not been read (in id order, resumable)."""
        marks = ",".join("?" * len(kinds))
        rows = self._db.all(
            f"SELECT {_COLS} FROM files WHERE extracted_at IS NULL AND kind IN ({marks}) AND id > ? "
            "ORDER BY id LIMIT ?", (*kinds, after_id, limit))
        return [_row(r) for r in rows]

    def count_pending(self, kinds: Sequence[str]) -> int:
        marks = ",".join("?" * len(kinds))
        row = self._db.one(f"SELECT COUNT(*) FROM files WHERE extracted_at IS NULL AND kind IN ({marks})",
                           tuple(kinds))
        return int(row[0]) if row else 0

    def save_content(self, items: Iterable[tuple[int, str, float | None, dict[str, Any], str | None]],
                     ) -> None:
        """(id, text, taken_at, meta, error) for files just read."""
        now = time.time()
        with self._db.transaction() as cur:
            cur.executemany(
                "UPDATE files SET text = ?, taken_at = ?, meta = ?, extract_error = ?, extracted_at = ? "
                "WHERE id = ?",
                [(text, taken, json.dumps(meta, ensure_ascii=False) if meta else None, error, now, fid)
                 for fid, text, taken, meta, error in items])

    # -- reading ---------------------------------------------------------------------------
    def get(self, file_id: int) -> FileRow | None:
        row = self._db.one(f"SELECT {_COLS} FROM files WHERE id = ?", (file_id,))
        return _row(row) if row else None

    def get_many(self, ids: Sequence[int]) -> list[FileRow]:
        found: dict[int, FileRow] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self._db.all(f"SELECT {_COLS} FROM files WHERE id IN ({marks})", tuple(chunk)):
                found[row[0]] = _row(row)
        return [found[i] for i in ids if i in found]

    def by_path(self, path: str) -> FileRow | None:
        row = self._db.one(f"SELECT {_COLS} FROM files WHERE path = ?", (path,))
        return _row(row) if row else None

    def text(self, file_id: int, chars: int = 2000) -> str:
        row = self._db.one("SELECT substr(text, 1, ?) FROM files WHERE id = ?", (chars, file_id))
        return str(row[0]) if row else ""

    def texts(self, ids: Sequence[int], chars: int = 600) -> dict[int, str]:
        out: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for fid, text in self._db.all(f"SELECT id, substr(text, 1, ?) FROM files WHERE id IN ({marks})",
                                          (chars, *chunk)):
                out[int(fid)] = str(text)
        return out

    def of_kind(self, kind: str) -> list[FileRow]:
        return [_row(r) for r in self._db.all(f"SELECT {_COLS} FROM files WHERE kind = ? ORDER BY path",
                                              (kind,))]

    def in_window(self, start: float | None, end: float | None, slack: float = 0.0,
                  limit: int = 5000) -> list[FileRow]:
        """Files made (taken, else modified) between ``start`` and ``end``, give or take ``slack``."""
        low = (start if start is not None else 0.0) - slack
        high = (end if end is not None else 4e9) + slack
        rows = self._db.all(f"SELECT {_COLS} FROM files WHERE coalesce(taken_at, mtime) >= ? AND "
                            "coalesce(taken_at, mtime) < ? ORDER BY coalesce(taken_at, mtime) DESC LIMIT ?",
                            (low, high, limit))
        return [_row(r) for r in rows]

    def recent_with_text(self, limit: int = 150) -> list[FileRow]:
        """The most recently changed files that have text."""
        rows = self._db.all(f"SELECT {_COLS} FROM files WHERE extracted_at IS NOT NULL AND text != '' "
                            "ORDER BY mtime DESC LIMIT ?", (limit,))
        return [_row(r) for r in rows]

    def names(self) -> list[tuple[int, str]]:
        return [(int(r[0]), str(r[1])) for r in self._db.all("SELECT id, name FROM files")]

    def count(self) -> int:
        row = self._db.one("SELECT COUNT(*) FROM files")
        return int(row[0]) if row else 0

    def summary(self) -> dict[str, Any]:
        """Counts and bytes per kind, files still to read, and read errors."""
        rows = self._db.all("SELECT kind, COUNT(*), SUM(size) FROM files GROUP BY kind "
                            "ORDER BY COUNT(*) DESC")
        kinds = {k: (int(n), int(b or 0)) for k, n, b in rows}
        row = self._db.one("SELECT COUNT(*) FROM files WHERE extracted_at IS NOT NULL AND text != ''")
        errors = self._db.one("SELECT COUNT(*) FROM files WHERE extract_error IS NOT NULL")
        return {"kinds": kinds, "with_text": int(row[0]) if row else 0,
                "read_errors": int(errors[0]) if errors else 0}

    def largest(self, limit: int = 20, min_size: int = 0) -> list[FileRow]:
        rows = self._db.all(f"SELECT {_COLS} FROM files WHERE size >= ? ORDER BY size DESC LIMIT ?",
                            (min_size, limit))
        return [_row(r) for r in rows]

    def untouched_since(self, before: float, limit: int = 10_000) -> list[FileRow]:
        """Files not changed since ``before`` (a timestamp), biggest first."""
        rows = self._db.all(f"SELECT {_COLS} FROM files WHERE mtime < ? ORDER BY size DESC LIMIT ?",
                            (before, limit))
        return [_row(r) for r in rows]

    def same_size_groups(self, min_size: int = 1) -> list[list[FileRow]]:
        """Files that share their size with another file (the first cut of the duplicate search)."""
        rows = self._db.all(
            f"SELECT {_COLS} FROM files WHERE size >= ? AND size IN "
            "(SELECT size FROM files WHERE size >= ? GROUP BY size HAVING COUNT(*) > 1) "
            "ORDER BY size DESC, path",
            (min_size, min_size))
        groups: dict[int, list[FileRow]] = {}
        for r in rows:
            row = _row(r)
            groups.setdefault(row.size, []).append(row)
        return list(groups.values())

    def set_hashes(self, items: Iterable[tuple[int, str | None, str | None]]) -> None:
        """(id, partial hash, full hash); None keeps what is there."""
        with self._db.transaction() as cur:
            cur.executemany("UPDATE files SET partial_hash = coalesce(?, partial_hash), "
                            "full_hash = coalesce(?, full_hash) WHERE id = ?",
                            [(p, f, i) for i, p, f in items])

    def search_text(self, query: str, limit: int = 100) -> list[tuple[int, float]]:
        """BM25 over name and text: ``(id, score)``, best first (higher is better)."""
        match = fts_query(query)
        if not match:
            return []
        rows = self._db.all(
            "SELECT rowid, -bm25(files_fts, 3.0, 1.0) AS score FROM files_fts WHERE files_fts MATCH ? "
            "ORDER BY score DESC LIMIT ?", (match, limit))
        return [(int(r[0]), float(r[1])) for r in rows]

    # -- moving ----------------------------------------------------------------------------
    def moved(self, moves: Iterable[tuple[str, str]]) -> None:
        """Files moved on disk from the first path to the second."""
        with self._db.transaction() as cur:
            for src, dst in moves:
                cur.execute("DELETE FROM files WHERE path = ?", (dst,))
                cur.execute("UPDATE files SET path = ?, name = ? WHERE path = ?",
                            (dst, os.path.basename(dst), src))
