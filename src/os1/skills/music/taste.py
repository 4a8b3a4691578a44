"""What the user likes, learned from "not this one", likes, skips, whole listens and memory.

Every signal is kept with the kind of request it answered (``mood_targets.KINDS``): a song that
was wrong for "calm me down" may be just right for "something for my run", so a signal counts
fully for its own kind and only a little (``OTHER_KINDS``) for the others. A signal moves the
track itself most, its artist less and its genre least. Old signals fade (``HALF_LIFE_DAYS``).

Skips come from the play history: a track the user moved on from before ``SKIP_S`` seconds or
half its length counts as a mild "not this one". A track listened to the end is a mild "yes".
Facts in memory ("the user likes Bright Eyes", "dislikes metal") lift or lower an artist or genre.

This module also writes the play history (``music_plays``) the player reports.
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from os1.skills.music.mood_rating import normalise_genre
from os1.skills.music.mood_targets import KINDS, MoodTarget, target_for

if TYPE_CHECKING:
    from os1.skills.music.mood import Catalog

log = logging.getLogger(__name__)

SIGNALS: tuple[str, ...] = ("dislike", "like", "skip")
SIGNAL_WEIGHT = {"dislike": -1.0, "like": 0.6, "skip": -0.35, "listened": 0.06}
OTHER_KINDS = 0.3  # how much a signal given for one kind of request counts for the others
ANY_KIND = 0.7  # a signal given without a request ("I love this song") counts this much everywhere
ARTIST_SHARE, GENRE_SHARE = 0.3, 0.12
HALF_LIFE_DAYS = 120.0
SKIP_S = 30.0
RECENT_HOURS = 6.0  # a track played this recently is held back
RECENT_PLAYS = 25  # … and so is any of the last plays
MEMORY_LIKE, MEMORY_DISLIKE = 0.25, -0.5


def key_of(text: str | None) -> str:
    """How artists are compared: case-folded, spaces collapsed."""
    return " ".join((text or "").casefold().split())


def request_kind(request: str | MoodTarget | None) -> str:
    """The kind of request a signal answered: a MoodTarget's kind, a kind name, or a request text's kind."""
    if isinstance(request, MoodTarget):
        return request.kind
    text = (request or "").strip()
    if not text:
        return ""
    if text in KINDS:
        return text
    return target_for(text).kind


# -- writing -------------------------------------------------------------------------------------
def record_feedback(db: Any, track_id: int, signal: str, request: str | MoodTarget = "") -> int:
    """Keep "not this one" (``dislike``), ``like`` or ``skip`` for a track, with the request kind."""
    if signal not in SIGNALS:
        raise ValueError(f"signal must be one of {SIGNALS}, not {signal!r}")
    with db.transaction() as cur:
        cur.execute("INSERT INTO music_feedback(track_id, signal, request, created_at) VALUES (?, ?, ?, ?)",
                    (int(track_id), signal, request_kind(request), time.time()))
        return int(cur.lastrowid or 0)


def undo_feedback(db: Any, feedback_id: int) -> None:
    db.run("DELETE FROM music_feedback WHERE id = ?", (int(feedback_id),))


def start_play(db: Any, track_id: int | None, request: str | MoodTarget = "", conversation_id: str = "",
               at: float | None = None) -> int:
    """A row in the play history for a track that just started; returns its id."""
    with db.transaction() as cur:
        cur.execute("INSERT INTO music_plays(track_id, started_at, ended_at, played_s, skipped, request, "
                    "conversation_id) VALUES (?, ?, NULL, 0, 0, ?, ?)",
                    (track_id, at or time.time(), request_kind(request), conversation_id or None))
        return int(cur.lastrowid or 0)


def finish_play(db: Any, play_id: int, played_s: float, skipped: bool, at: float | None = None) -> None:
    """The track stopped: how long it played and whether the user skipped it."""
    db.run("UPDATE music_plays SET ended_at = ?, played_s = ?, skipped = ? WHERE id = ?",
           (at or time.time(), round(max(0.0, played_s), 2), 1 if skipped else 0, int(play_id)))


def is_negative_skip(played_s: float, duration: float | None, skipped: bool) -> bool:
    """A skip early enough to say "not this one": before 30 s, or before half of a short track."""
    if not skipped:
        return False
    limit = min(SKIP_S, duration / 2) if duration and duration > 0 else SKIP_S
    return played_s < limit


# -- reading -------------------------------------------------------------------------------------
def _decay(age_s: float) -> float:
    return 0.5 ** (max(0.0, age_s) / (HALF_LIFE_DAYS * 86400))


@dataclass
class Taste:
    """Signals gathered per (kind, track), (kind, artist key) and (kind, genre key); kind "" = any."""

    tracks: dict[tuple[str, int], float] = field(default_factory=lambda: defaultdict(float))
    artists: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    genres: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    memory_likes: set[str] = field(default_factory=set)
    memory_dislikes: set[str] = field(default_factory=set)
    recent: dict[int, float] = field(default_factory=dict)  # track id → penalty 0..1

    @classmethod
    def load(cls, db: Any, now: float | None = None) -> Taste:
        now = now or time.time()
        taste = cls()
        feedback = db.all(
            "SELECT f.track_id, f.signal, f.request, f.created_at, t.artist, t.album_artist, t.genre "
            "FROM music_feedback f LEFT JOIN music_tracks t ON t.id = f.track_id")
        for track_id, signal, kind, created, artist, album_artist, genre in feedback:
            weight = SIGNAL_WEIGHT.get(signal, 0.0) * _decay(now - (created or now))
            taste._add(kind or "", track_id, artist or album_artist, genre, weight)
        plays = db.all(
            "SELECT p.track_id, p.played_s, p.skipped, p.request, p.started_at, t.duration, t.artist, "
            "t.album_artist, t.genre FROM music_plays p JOIN music_tracks t ON t.id = p.track_id "
            "WHERE p.ended_at IS NOT NULL ORDER BY p.id DESC LIMIT 5000")
        for track_id, played, skipped, kind, started, duration, artist, album_artist, genre in plays:
            age = now - (started or now)
            if is_negative_skip(played or 0.0, duration, bool(skipped)):
                taste._add(kind or "", track_id, artist or album_artist, genre,
                           SIGNAL_WEIGHT["skip"] * _decay(age))
            elif not skipped and duration and (played or 0.0) >= 0.8 * duration:
                taste._add(kind or "", track_id, None, None, SIGNAL_WEIGHT["listened"] * _decay(age))
        recent = db.all("SELECT track_id, MAX(started_at) FROM music_plays WHERE track_id IS NOT NULL "
                        "AND started_at > ? GROUP BY track_id", (now - RECENT_HOURS * 3600,))
        for track_id, started in recent:
            taste.recent[int(track_id)] = math.exp(-(now - started) / (RECENT_HOURS * 3600 / 2))
        for (track_id,) in db.all("SELECT track_id FROM music_plays WHERE track_id IS NOT NULL "
                                  "ORDER BY id DESC LIMIT ?", (RECENT_PLAYS,)):
            taste.recent[int(track_id)] = max(taste.recent.get(int(track_id), 0.0), 0.4)
        taste._read_memory(db)
        return taste

    def _add(self, kind: str, track_id: int | None, artist: str | None, genre: str | None,
             weight: float) -> None:
        if not weight:
            return
        if track_id is not None:
            self.tracks[(kind, int(track_id))] += weight
        if artist:
            self.artists[(kind, key_of(artist))] += weight * ARTIST_SHARE
        if genre:
            self.genres[(kind, normalise_genre(genre))] += weight * GENRE_SHARE

    def _read_memory(self, db: Any) -> None:
        facts = getattr(db, "facts", None)
        if facts is None:
            return
        try:
            for predicate, into in (("likes", self.memory_likes), ("dislikes", self.memory_dislikes)):
                for fact in facts.current(subject="user", predicate=predicate):
                    thing = key_of(fact.object)
                    for tail in (" music", " songs", " albums", " records"):
                        thing = thing.removesuffix(tail)
                    if thing:
                        into.add(thing)
        except Exception:  # memory is a bonus: never let it break a pick
            log.debug("could not read likes from memory", exc_info=True)

    @staticmethod
    def _share(kind: str, signal_kind: str) -> float:
        if signal_kind == kind:
            return 1.0
        return ANY_KIND if signal_kind == "" else OTHER_KINDS

    def adjustments(self, catalog: Catalog, kind: str) -> np.ndarray:
        """A score adjustment per catalog track for a request of this kind (0 where nothing is known)."""
        out = np.zeros(len(catalog.ids), dtype=np.float32)
        for (signal_kind, track_id), value in self.tracks.items():
            index = catalog.index.get(track_id)
            if index is not None:
                out[index] += value * self._share(kind, signal_kind)
        artist_adjust = np.zeros(len(catalog.artists), dtype=np.float32)
        artist_code = {name: code for code, name in enumerate(catalog.artists)}
        for (signal_kind, artist), value in self.artists.items():
            code = artist_code.get(artist)
            if code is not None:
                artist_adjust[code] += value * self._share(kind, signal_kind)
        for code, name in enumerate(catalog.artists):
            if name in self.memory_likes:
                artist_adjust[code] += MEMORY_LIKE
            if name in self.memory_dislikes:
                artist_adjust[code] += MEMORY_DISLIKE
        genre_adjust = np.zeros(len(catalog.genres), dtype=np.float32)
        genre_code = {name: code for code, name in enumerate(catalog.genres)}
        for (signal_kind, genre), value in self.genres.items():
            code = genre_code.get(genre)
            if code is not None:
                genre_adjust[code] += value * self._share(kind, signal_kind)
        if self.memory_likes or self.memory_dislikes:
            for code, name in enumerate(catalog.genres):
                words = f" {name} "
                if any(f" {liked} " in words for liked in self.memory_likes):
                    genre_adjust[code] += MEMORY_LIKE * 0.6
                if any(f" {disliked} " in words for disliked in self.memory_dislikes):
                    genre_adjust[code] += MEMORY_DISLIKE * 0.6
        out += np.clip(artist_adjust, -0.9, 0.5)[catalog.artist_codes]
        out += np.clip(genre_adjust, -0.6, 0.3)[catalog.genre_codes]
        return out

    def recent_penalty(self, catalog: Catalog) -> np.ndarray:
        """0..1 per catalog track: how recently it was played (held back so picks do not repeat)."""
        out = np.zeros(len(catalog.ids), dtype=np.float32)
        for track_id, value in self.recent.items():
            index = catalog.index.get(track_id)
            if index is not None:
                out[index] = value
        return out


def recent_plays(db: Any, limit: int = 20) -> list[dict[str, Any]]:
    """The last plays, newest first, with what was played (for "what was that song?")."""
    rows = db.all(
        "SELECT p.id, p.track_id, p.started_at, p.ended_at, p.played_s, p.skipped, p.request, t.title, "
        "t.artist, t.album FROM music_plays p LEFT JOIN music_tracks t ON t.id = p.track_id "
        "ORDER BY p.id DESC LIMIT ?", (int(limit),))
    keys = ("id", "track_id", "started_at", "ended_at", "played_s", "skipped", "request", "title", "artist",
            "album")
    return [dict(zip(keys, row, strict=True)) for row in rows]
