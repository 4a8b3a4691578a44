"""The music repository: the user's music library in the OS1 SQLite file (migration 8).

``music_tracks`` has one row per audio file: what its tags say (title, artist, album, track and disc
number, year, genre, embedded lyrics, other tags as JSON), what the file is (format, size, mtime,
duration, bitrate), why it cannot be played (``error``; NULL when fine), which better copy it
duplicates (``duplicate_of``), how it feels (``valence``/``arousal``/``features``, written by
:mod:`os1.skills.music.mood`) and a cached MiniLM vector of its title and first lyric lines
(``embedding``, derived: rebuilt, never exported). ``music_roots`` remembers the folders the user
chose; ``music_plays`` and ``music_feedback`` keep what was played and what the user said about it.

Every change to the set of tracks bumps :meth:`MusicStore.version`, so an in-memory index built
from the library (:mod:`os1.skills.music.resolve`) knows when to rebuild — in any process.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

VERSION_KEY = "music.library_version"
_WORD = re.compile(r"\w+", re.UNICODE)
_LYRIC_STOP_WORDS = """
a an the and or but of in on at to for with by from is are was were be been it its i you he she
we they me my your our his her their this that there so oh as like all
"""
LYRIC_STOP = frozenset(_LYRIC_STOP_WORDS.split())
_COLS = ("id, path, size, mtime, format, title, artist, album, album_artist, genre, year, track_no, "
         "disc_no, duration, bitrate, tags, error, duplicate_of, valence, arousal, tagless")


@dataclass
class Track:
    """One indexed audio file (lyrics are loaded separately: they can be long)."""

    id: int
    path: str
    size: int | None = None
    mtime: float | None = None
    format: str = ""
    title: str = ""
    artist: str = ""
    album: str = ""
    album_artist: str = ""
    genre: str = ""
    year: int | None = None
    track_no: int | None = None
    disc_no: int | None = None
    duration: float | None = None
    bitrate: int | None = None
    tags: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    duplicate_of: int | None = None
    valence: float | None = None
    arousal: float | None = None
    tagless: bool = False

    @property
    def label(self) -> str:
        """How OS1 names the track: “Lua” by Bright Eyes."""
        return f"“{self.title}” by {self.artist}" if self.artist else f"“{self.title}”"

    @property
    def playable(self) -> bool:
        return self.error is None


def _track(row: tuple[Any, ...]) -> Track:
    (tid, path, size, mtime, fmt, title, artist, album, album_artist, genre, year, track_no, disc_no,
     duration, bitrate, tags, error, duplicate_of, valence, arousal, tagless) = row
    return Track(int(tid), path, size, mtime, fmt or "", title, artist, album, album_artist, genre, year,
                 track_no, disc_no, duration, bitrate, json.loads(tags) if tags else {}, error,
                 duplicate_of, valence, arousal, bool(tagless))


@dataclass
class TrackInfo:
    """What reading one file found (see :mod:`os1.skills.music.tags`): a row to write."""

    path: str
    size: int
    mtime: float
    format: str = ""
    title: str = ""
    artist: str = ""
    album: str = ""
    album_artist: str = ""
    genre: str = ""
    year: int | None = None
    track_no: int | None = None
    disc_no: int | None = None
    duration: float | None = None
    bitrate: int | None = None
    sample_rate: int | None = None
    channels: int | None = None
    lyrics: str = ""
    tags: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    tagless: bool = False


_INFO_COLS = ("size", "mtime", "format", "title", "artist", "album", "album_artist", "genre", "year",
              "track_no", "disc_no", "duration", "bitrate", "sample_rate", "channels", "lyrics", "tags",
              "error", "tagless")


def _values(info: TrackInfo) -> tuple[Any, ...]:
    return (info.size, info.mtime, info.format, info.title, info.artist, info.album, info.album_artist,
            info.genre, info.year, info.track_no, info.disc_no, info.duration, info.bitrate,
            info.sample_rate, info.channels, info.lyrics,
            json.dumps(info.tags, ensure_ascii=False) if info.tags else None, info.error, int(info.tagless))


def under(root: str) -> tuple[str, str]:
    """A ``path >= ? AND path < ?`` range matching every path inside the folder ``root``."""
    prefix = root.rstrip(os.sep) + os.sep
    return prefix, prefix[:-1] + chr(ord(os.sep) + 1)


@dataclass(frozen=True)
class LightTrack:
    """What the in-memory request index needs of a track (lyrics cut to their first lines)."""

    id: int
    title: str
    artist: str
    album: str
    album_artist: str
    track_no: int | None
    disc_no: int | None
    duration: float | None
    duplicate_of: int | None
    lyrics_head: str
    path: str
    bitrate: int | None
    format: str
    year: int | None


class MusicStore:
    """Music on top of the shared :class:`~os1.storage.sqlite.SQLiteStore` (``runtime.store``)."""

    def __init__(self, db: Any) -> None:
        self._db = db

    @property
    def db(self) -> Any:
        return self._db

    # -- the library's version -------------------------------------------------------------
    def version(self) -> float:
        """Changes whenever tracks are added, changed or forgotten (cheap: one key lookup)."""
        return float(self._db.profile.get(VERSION_KEY) or 0.0)

    def bump(self) -> None:
        self._db.profile.set(VERSION_KEY, max(time.time(), self.version() + 1e-3))

    # -- folders ---------------------------------------------------------------------------
    def add_root(self, path: str) -> None:
        self._db.run("INSERT OR IGNORE INTO music_roots(path, added_at) VALUES (?, ?)", (path, time.time()))

    def mark_scanned(self, path: str) -> None:
        self._db.run("UPDATE music_roots SET scanned_at = ? WHERE path = ?", (time.time(), path))

    def roots(self) -> list[tuple[str, float | None]]:
        return [(r[0], r[1]) for r in self._db.all("SELECT path, scanned_at FROM music_roots ORDER BY path")]

    # -- scanning --------------------------------------------------------------------------
    def known_under(self, root: str) -> dict[str, tuple[int, int | None, float | None]]:
        """path -> (id, size, mtime) for every indexed file inside ``root``."""
        low, high = under(root)
        rows = self._db.all("SELECT path, id, size, mtime FROM music_tracks WHERE path >= ? AND path < ?",
                            (low, high))
        return {r[0]: (int(r[1]), r[2], r[3]) for r in rows}

    def save(self, infos: Iterable[TrackInfo]) -> list[int]:
        """Insert new files, or replace what was read from a changed one (its mood and vector are
        stale then: cleared, so they are worked out again). Returns the row ids."""
        now = time.time()
        ids: list[int] = []
        cols = ", ".join(_INFO_COLS)
        marks = ", ".join("?" * len(_INFO_COLS))
        sets = ", ".join(f"{c} = excluded.{c}" for c in _INFO_COLS)
        with self._db.transaction() as cur:
            for info in infos:
                cur.execute(
                    f"INSERT INTO music_tracks(path, {cols}, added_at) VALUES (?, {marks}, ?) "
                    f"ON CONFLICT(path) DO UPDATE SET {sets}, valence = NULL, arousal = NULL, "
                    "features = NULL, features_at = NULL, embedding = NULL, duplicate_of = NULL "
                    "RETURNING id",
                    (info.path, *_values(info), now))
                ids.append(int(cur.fetchone()[0]))
        return ids

    def move(self, moves: Iterable[tuple[int, str, float]]) -> None:
        """(id, new path, new mtime): the same file found somewhere else (keeps plays and ratings)."""
        with self._db.transaction() as cur:
            for tid, path, mtime in moves:
                cur.execute("DELETE FROM music_tracks WHERE path = ? AND id != ?", (path, tid))
                cur.execute("UPDATE music_tracks SET path = ?, mtime = ? WHERE id = ?", (path, mtime, tid))

    def remove(self, ids: Sequence[int]) -> None:
        """Forget tracks whose files are gone (their plays stay in the history)."""
        with self._db.transaction() as cur:
            cur.executemany("DELETE FROM music_tracks WHERE id = ?", [(i,) for i in ids])
            cur.executemany("UPDATE music_tracks SET duplicate_of = NULL WHERE duplicate_of = ?",
                            [(i,) for i in ids])

    def moved_candidates(self, ids: Sequence[int]) -> dict[tuple[Any, ...], int]:
        """(size, title, artist, album, duration rounded) -> id for tracks about to be forgotten:
        a new file with the same key is the same file, moved."""
        out: dict[tuple[Any, ...], int] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for tid, size, title, artist, album, duration in self._db.all(
                    "SELECT id, size, title, artist, album, duration FROM music_tracks "
                    f"WHERE id IN ({marks})",
                    tuple(chunk)):
                out[(size, title, artist, album, round(duration or 0.0, 1))] = int(tid)
        return out

    def set_duplicates(self, pairs: Iterable[tuple[int, int | None]]) -> None:
        """(id, id of the better copy it duplicates, or None)."""
        with self._db.transaction() as cur:
            cur.executemany("UPDATE music_tracks SET duplicate_of = ? WHERE id = ?",
                            [(dup, tid) for tid, dup in pairs])

    def duplicate_keys(self) -> list[tuple[Any, ...]]:
        """(id, artist, album_artist, title, duration, format, bitrate, size, duplicate_of) of every
        playable track."""
        return [tuple(r) for r in self._db.all(
            "SELECT id, artist, album_artist, title, duration, format, bitrate, size, duplicate_of "
            "FROM music_tracks WHERE error IS NULL")]

    # -- cached vectors ----------------------------------------------------------------------
    def without_embedding(self, limit: int = 100_000) -> list[tuple[int, str, str, str]]:
        """(id, title, artist, lyrics) of playable, non-duplicate tracks with no vector yet."""
        return [(int(r[0]), r[1], r[2], r[3]) for r in self._db.all(
            "SELECT id, title, artist, substr(lyrics, 1, 400) FROM music_tracks WHERE embedding IS NULL "
            "AND error IS NULL AND duplicate_of IS NULL ORDER BY id LIMIT ?", (limit,))]

    def set_embeddings(self, items: Iterable[tuple[int, bytes]]) -> None:
        with self._db.transaction() as cur:
            cur.executemany("UPDATE music_tracks SET embedding = ? WHERE id = ?", [(b, i) for i, b in items])

    def embeddings(self) -> list[tuple[int, bytes]]:
        return [(int(r[0]), r[1]) for r in self._db.all(
            "SELECT id, embedding FROM music_tracks WHERE embedding IS NOT NULL AND error IS NULL "
            "AND duplicate_of IS NULL")]

    # -- reading ---------------------------------------------------------------------------
    def get(self, track_id: int) -> Track | None:
        row = self._db.one(f"SELECT {_COLS} FROM music_tracks WHERE id = ?", (track_id,))
        return _track(row) if row else None

    def get_many(self, ids: Sequence[int]) -> list[Track]:
        """Tracks in the order of ``ids`` (missing ones left out)."""
        found: dict[int, Track] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self._db.all(f"SELECT {_COLS} FROM music_tracks WHERE id IN ({marks})", tuple(chunk)):
                found[int(row[0])] = _track(row)
        return [found[i] for i in ids if i in found]

    def by_path(self, path: str) -> Track | None:
        row = self._db.one(f"SELECT {_COLS} FROM music_tracks WHERE path = ?", (path,))
        return _track(row) if row else None

    def lyrics(self, track_id: int) -> str:
        row = self._db.one("SELECT lyrics FROM music_tracks WHERE id = ?", (track_id,))
        return str(row[0]) if row else ""

    def light(self, head_chars: int = 300) -> list[LightTrack]:
        """Every playable track, light, for the request index (one query, once per library version)."""
        rows = self._db.all(
            "SELECT id, title, artist, album, album_artist, track_no, disc_no, duration, duplicate_of, "
            "substr(lyrics, 1, ?), path, bitrate, format, year FROM music_tracks WHERE error IS NULL "
            "ORDER BY id", (head_chars,))
        return [LightTrack(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                           r[12] or "", r[13]) for r in rows]

    def search_lyrics(self, query: str, limit: int = 30) -> list[tuple[int, int]]:
        """Tracks whose lyrics hold the words of ``query``: (id, stage) — stage 0 has the exact phrase,
        1 all its content words, 2 some of them (BM25 order); duplicates of one song included."""
        words = [w.lower() for w in _WORD.findall(query)]
        content = [w for w in dict.fromkeys(words) if w not in LYRIC_STOP] or list(dict.fromkeys(words))
        if not words:
            return []
        found: dict[int, int] = {}
        queries = [(0, f'lyrics : "{" ".join(words)}"')]
        if len(content) > 1:
            queries.append((1, "lyrics : (" + " AND ".join(f'"{w}"' for w in content) + ")"))
        queries.append((2, "lyrics : (" + " OR ".join(f'"{w}"' for w in content) + ")"))
        for stage, match in queries:
            rows = self._db.all("SELECT rowid FROM music_fts WHERE music_fts MATCH ? "
                                "ORDER BY bm25(music_fts) LIMIT ?", (match, limit))
            for (rowid,) in rows:
                found.setdefault(int(rowid), stage)
            if len(found) >= limit:
                break
        return list(found.items())[:limit]

    def count(self) -> int:
        row = self._db.one("SELECT COUNT(*) FROM music_tracks")
        return int(row[0]) if row else 0

    def summary(self) -> dict[str, Any]:
        """Counts for ``status``: tracks, playable, unreadable, duplicates, tagless, artists, albums,
        hours of music, rated (mood known), with lyrics; and the reasons files could not be read."""
        row = self._db.one(
            "SELECT COUNT(*), SUM(error IS NULL), SUM(error IS NOT NULL), SUM(duplicate_of IS NOT NULL), "
            "SUM(tagless AND error IS NULL), COUNT(DISTINCT CASE WHEN error IS NULL THEN artist END), "
            "COUNT(DISTINCT CASE WHEN error IS NULL AND album != '' THEN album_artist || '|' || album END), "
            "SUM(CASE WHEN error IS NULL THEN duration END), SUM(features_at IS NOT NULL), "
            "SUM(lyrics != '') FROM music_tracks")
        keys = ("tracks", "playable", "unreadable", "duplicates", "tagless", "artists", "albums",
                "seconds", "rated", "with_lyrics")
        out: dict[str, Any] = {k: (row[i] or 0) if row else 0 for i, k in enumerate(keys)}
        out["errors"] = [(r[0], r[1]) for r in self._db.all(
            "SELECT path, error FROM music_tracks WHERE error IS NOT NULL ORDER BY path")]
        return out

    def album_tracks(self, album: str, artist: str = "") -> list[Track]:
        """An album's playable tracks in order (disc, then track number, then path)."""
        sql = f"SELECT {_COLS} FROM music_tracks WHERE album = ? AND error IS NULL"
        params: tuple[Any, ...] = (album,)
        if artist:
            sql += " AND (album_artist = ? OR artist = ?)"
            params += (artist, artist)
        rows = self._db.all(sql + " ORDER BY coalesce(disc_no, 1), coalesce(track_no, 9999), path", params)
        return [_track(r) for r in rows]

    # -- plays and feedback (written by the player and :mod:`taste`) ----------------------------
    def history(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest plays, newest first, with what was played."""
        rows = self._db.all(
            "SELECT p.id, p.track_id, p.started_at, p.ended_at, p.played_s, p.skipped, p.request, "
            "t.title, t.artist, t.album FROM music_plays p LEFT JOIN music_tracks t ON t.id = p.track_id "
            "ORDER BY p.started_at DESC, p.id DESC LIMIT ?", (limit,))
        keys = ("id", "track_id", "started_at", "ended_at", "played_s", "skipped", "request", "title",
                "artist", "album")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def play_counts(self) -> dict[int, int]:
        """track id -> times played for more than half a minute, or to the end, without a skip."""
        return {int(r[0]): int(r[1]) for r in self._db.all(
            "SELECT track_id, COUNT(*) FROM music_plays WHERE skipped = 0 AND "
            "(played_s IS NULL OR played_s >= 30) GROUP BY track_id")}

    def liked(self) -> set[int]:
        return {int(r[0]) for r in self._db.all(
            "SELECT DISTINCT track_id FROM music_feedback WHERE signal = 'like'")}

    def disliked(self) -> set[int]:
        return {int(r[0]) for r in self._db.all(
            "SELECT DISTINCT track_id FROM music_feedback WHERE signal = 'dislike'")}
