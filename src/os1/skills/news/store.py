"""The news repository (migration 10): the user's feeds, their stories, and what the user asked to see
less or more of, in the OS1 SQLite file.

- ``news_feeds``: one row per feed ever added; removing one marks it (``removed_at``) so undo brings it
  back with its stories; the ETag / Last-Modified (or a file's size and time) of the last good answer
  make the next fetch conditional; ``ok_at`` is when it was last read, ``error`` why the last try failed.
- ``news_items``: one row per story of a feed, keyed by its guid (else its link, else a hash of its words),
  so a refresh never repeats a story; ``said_count``/``said_at`` and ``opened_at`` (the user asked for
  more) are what ranking learns from. ``embedding`` is a MiniLM vector cache (not exported).
- ``news_filters``: what the user asked for ("skip the tabloid stuff", "less about football"), one row
  per change, marked ``removed_at`` when undone or reset, so either can be undone in turn.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from os1.skills.news.feeds import Fetched, Story, describe_location

KEEP_PER_FEED = 500  # stories kept per feed (the newest); older ones go at refresh
_FEED_COLS = "id, location, title, added_at, removed_at, etag, last_modified, checked_at, ok_at, error"
_ITEM_COLS = ("i.id, i.feed_id, i.key, i.link, i.title, i.summary, i.tags, i.published_at, i.first_seen, "
              "i.said_count, i.said_at, i.opened_at, f.title, f.location")
_FILTER_COLS = "id, kind, value, weight, origin, item_id, created_at, removed_at"


@dataclass
class Feed:
    id: int
    location: str
    title: str
    added_at: float
    removed_at: float | None
    etag: str | None
    last_modified: str | None
    checked_at: float | None
    ok_at: float | None
    error: str

    @property
    def name(self) -> str:
        """How OS1 names the feed: its own title, else its host or file name."""
        return self.title or describe_location(self.location)


@dataclass
class Item:
    id: int
    feed_id: int
    key: str
    link: str
    title: str
    summary: str
    tags: list[str]
    published_at: float
    first_seen: float
    said_count: int
    said_at: float | None
    opened_at: float | None
    source: str  # the feed's name
    location: str  # the feed's address

    @property
    def text(self) -> str:
        """What the story is about, for matching: title, tags and the start of its summary."""
        return f"{self.title}. {' '.join(self.tags)} {self.summary[:400]}".strip()


@dataclass
class FilterRow:
    id: int
    kind: str  # tabloid | word | source | topic
    value: str
    weight: float
    origin: str  # tabloid | dismiss | less | more | asked
    item_id: int | None
    created_at: float
    removed_at: float | None


def _feed(row: tuple[Any, ...]) -> Feed:
    return Feed(*row[:9], error=row[9] or "")


def _item(row: tuple[Any, ...]) -> Item:
    (iid, feed_id, key, link, title, summary, tags, published, first_seen, said_count, said_at, opened_at,
     feed_title, location) = row
    return Item(iid, feed_id, key, link, title, summary, [t for t in (tags or "").split("\x1f") if t],
                published, first_seen, said_count, said_at, opened_at,
                feed_title or describe_location(location), location)


class NewsStore:
    """News on top of the shared :class:`~os1.storage.sqlite.SQLiteStore` (``runtime.store``)."""

    def __init__(self, db: Any) -> None:
        self._db = db

    # -- feeds ------------------------------------------------------------------------------------
    def feeds(self, include_removed: bool = False) -> list[Feed]:
        where = "" if include_removed else " WHERE removed_at IS NULL"
        return [_feed(r) for r in self._db.all(f"SELECT {_FEED_COLS} FROM news_feeds{where} ORDER BY id")]

    def feed(self, feed_id: int) -> Feed | None:
        row = self._db.one(f"SELECT {_FEED_COLS} FROM news_feeds WHERE id = ?", (feed_id,))
        return _feed(row) if row else None

    def feed_at(self, location: str) -> Feed | None:
        row = self._db.one(f"SELECT {_FEED_COLS} FROM news_feeds WHERE location = ?", (location,))
        return _feed(row) if row else None

    def add_feed(self, location: str, title: str = "") -> tuple[Feed, bool]:
        """The feed at ``location``, added (or brought back if it was removed); True if it is new to
        the list."""
        existing = self.feed_at(location)
        if existing is not None and existing.removed_at is None:
            return existing, False
        now = time.time()
        if existing is not None:
            self._db.run("UPDATE news_feeds SET removed_at = NULL, title = coalesce(nullif(?, ''), title) "
                         "WHERE id = ?", (title, existing.id))
            feed = self.feed(existing.id)
        else:
            with self._db.transaction() as cur:
                cur.execute("INSERT INTO news_feeds(location, title, added_at) VALUES (?, ?, ?)",
                            (location, title, now))
                fid = int(cur.lastrowid or 0)
            feed = self.feed(fid)
        assert feed is not None
        return feed, True

    def remove_feed(self, feed_id: int) -> None:
        self._db.run("UPDATE news_feeds SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                     (time.time(), feed_id))

    def restore_feed(self, feed_id: int) -> None:
        self._db.run("UPDATE news_feeds SET removed_at = NULL WHERE id = ?", (feed_id,))

    def record_fetch(self, feed_id: int, fetched: Fetched) -> int:
        """Save what one look at a feed found; returns how many of its stories are new."""
        now = time.time()
        if fetched.status == "failed":
            self._db.run("UPDATE news_feeds SET checked_at = ?, error = ? WHERE id = ?",
                         (now, fetched.problem, feed_id))
            return 0
        new = 0
        with self._db.transaction() as cur:
            cur.execute(
                "UPDATE news_feeds SET checked_at = ?, ok_at = ?, error = '', "
                "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
                "title = coalesce(nullif(?, ''), title) WHERE id = ?",
                (now, now, fetched.etag, fetched.last_modified, fetched.title, feed_id))
            for story in fetched.stories:
                new += self._upsert(cur, feed_id, story, now)
            cur.execute(
                "DELETE FROM news_items WHERE feed_id = ? AND id NOT IN (SELECT id FROM news_items "
                "WHERE feed_id = ? ORDER BY published_at DESC LIMIT ?)", (feed_id, feed_id, KEEP_PER_FEED))
        return new

    @staticmethod
    def _upsert(cur: Any, feed_id: int, story: Story, now: float) -> int:
        """Insert a story (1), or refresh the words of one the feed already had (0): the same key, or
        the same link under a new key (some feeds change their guids)."""
        found = cur.execute("SELECT id, title FROM news_items WHERE feed_id = ? AND key = ?",
                            (feed_id, story.key)).fetchone()
        if found is None and story.link:
            found = cur.execute("SELECT id, title FROM news_items WHERE feed_id = ? AND link = ?",
                                (feed_id, story.link)).fetchone()
        if found is not None:
            cur.execute("UPDATE news_items SET title = ?, summary = ?, tags = ?, "
                        "embedding = CASE WHEN title = ? THEN embedding END WHERE id = ?",
                        (story.title, story.summary, "\x1f".join(story.tags), story.title, found[0]))
            return 0
        published = min(story.published_at, now) if story.published_at is not None else now
        cur.execute(
            "INSERT INTO news_items(feed_id, key, link, title, summary, tags, published_at, first_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (feed_id, story.key, story.link, story.title, story.summary, "\x1f".join(story.tags),
             published, now))
        return 1

    # -- stories ---------------------------------------------------------------------------------
    def items(self, limit: int = 400, since: float | None = None) -> list[Item]:
        """Stories of the feeds the user follows, newest first."""
        sql = (f"SELECT {_ITEM_COLS} FROM news_items i JOIN news_feeds f ON f.id = i.feed_id "
               "WHERE f.removed_at IS NULL")
        params: list[Any] = []
        if since is not None:
            sql += " AND i.published_at >= ?"
            params.append(since)
        sql += " ORDER BY i.published_at DESC, i.id DESC LIMIT ?"
        params.append(limit)
        return [_item(r) for r in self._db.all(sql, tuple(params))]

    def item(self, item_id: int) -> Item | None:
        row = self._db.one(f"SELECT {_ITEM_COLS} FROM news_items i JOIN news_feeds f ON f.id = i.feed_id "
                           "WHERE i.id = ?", (item_id,))
        return _item(row) if row else None

    def items_by_id(self, ids: Sequence[int]) -> list[Item]:
        found = {i: self.item(i) for i in dict.fromkeys(ids)}
        return [found[i] for i in ids if found.get(i) is not None]  # type: ignore[misc]

    def count_items(self, feed_id: int | None = None) -> int:
        if feed_id is None:
            row = self._db.one("SELECT COUNT(*) FROM news_items")
        else:
            row = self._db.one("SELECT COUNT(*) FROM news_items WHERE feed_id = ?", (feed_id,))
        return int(row[0]) if row else 0

    def newest_of(self, feed_id: int) -> float | None:
        row = self._db.one("SELECT MAX(first_seen) FROM news_items WHERE feed_id = ?", (feed_id,))
        return float(row[0]) if row and row[0] is not None else None

    def mark_said(self, ids: Iterable[int]) -> None:
        now = time.time()
        with self._db.transaction() as cur:
            cur.executemany("UPDATE news_items SET said_count = said_count + 1, said_at = ? WHERE id = ?",
                            [(now, i) for i in ids])

    def mark_opened(self, item_id: int) -> None:
        self._db.run("UPDATE news_items SET opened_at = ? WHERE id = ?", (time.time(), item_id))

    def history(self, days: float = 60.0) -> list[tuple[int, str, str, int, float | None]]:
        """(feed id, title, summary start, times said, opened at) of stories said in the last ``days``."""
        since = time.time() - days * 86400
        rows = self._db.all("SELECT feed_id, title, substr(summary, 1, 300), said_count, opened_at "
                            "FROM news_items WHERE said_at >= ?", (since,))
        return [(int(a), str(b), str(c), int(d), e) for a, b, c, d, e in rows]

    # -- the MiniLM cache ---------------------------------------------------------------------------
    def embeddings(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        out: dict[int, np.ndarray] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for iid, blob in self._db.all(
                    f"SELECT id, embedding FROM news_items WHERE embedding IS NOT NULL AND id IN ({marks})",
                    tuple(chunk)):
                out[int(iid)] = np.frombuffer(blob, dtype=np.float32)
        return out

    def save_embeddings(self, pairs: Iterable[tuple[int, np.ndarray]]) -> None:
        with self._db.transaction() as cur:
            cur.executemany("UPDATE news_items SET embedding = ? WHERE id = ?",
                            [(np.asarray(v, dtype=np.float32).tobytes(), i) for i, v in pairs])

    # -- what the user asked for -------------------------------------------------------------------
    def add_filters(self, rows: Iterable[tuple[str, str, float, str, int | None]]) -> list[int]:
        """(kind, value, weight, origin, item id) rows; returns their ids (for undo)."""
        now = time.time()
        ids: list[int] = []
        with self._db.transaction() as cur:
            for kind, value, weight, origin, item_id in rows:
                cur.execute("INSERT INTO news_filters(kind, value, weight, origin, item_id, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (kind, value, weight, origin, item_id, now))
                ids.append(int(cur.lastrowid or 0))
        return ids

    def filters(self) -> list[FilterRow]:
        rows = self._db.all(f"SELECT {_FILTER_COLS} FROM news_filters WHERE removed_at IS NULL ORDER BY id")
        return [FilterRow(*r) for r in rows]

    def remove_filters(self, ids: Sequence[int]) -> None:
        with self._db.transaction() as cur:
            cur.executemany("UPDATE news_filters SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                            [(time.time(), i) for i in ids])

    def restore_filters(self, ids: Sequence[int]) -> None:
        with self._db.transaction() as cur:
            cur.executemany("UPDATE news_filters SET removed_at = NULL WHERE id = ?", [(i,) for i in ids])

