"""The library in memory, shaped for answering requests fast: built once per library version.

Requests must resolve in a few milliseconds among tens of thousands of tracks, so nothing is scanned
in SQL per request. The index holds every playable track that is not a worse copy of another
("songs"), its folded title without version words, its artist and album keys and how they sound
(metaphone), the unique keys as lists for ``rapidfuzz.process.extract``, each album's tracks in order
(duplicates included: they are still track 3 of that album), and the MiniLM vectors of titles and
first lyric lines as one matrix. It is rebuilt when :meth:`MusicStore.version` changes (after a scan,
in any process) — one cheap key lookup per request tells.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from os1.skills.music import names
from os1.skills.music.finder import NameFinder
from os1.skills.music.store import LightTrack, MusicStore
from os1.skills.music.tags import UNKNOWN_ARTIST


@dataclass(frozen=True)
class Song:
    """One playable, non-duplicate track as the resolver sees it."""

    id: int
    title: str
    artist: str
    album: str
    base: str  # folded title without version words, subtitles or a leading article
    full: str  # … with its leading article
    written: str  # folded title as written (subtitles kept; version words left out)
    versions: frozenset[str]
    artist_key: str
    album_key: str
    track_no: int | None
    disc_no: int | None
    duration: float | None
    year: int | None
    lyrics_head: str


@dataclass(frozen=True)
class LyricLine:
    """One line of a song's lyrics, as written and folded, with its words (for matching fragments)."""

    text: str
    folded: str
    words: frozenset[str]


def lyric_lines(lyrics: str) -> list[LyricLine]:
    out = []
    for line in lyrics.splitlines():
        line = line.strip()
        if line:
            folded = names.fold(line)
            out.append(LyricLine(line, folded, frozenset(folded.split())))
    return out


def artist_key(name: str) -> str:
    return names.drop_articles(names.fold(name))


@dataclass
class MusicIndex:
    version: float
    songs: list[Song] = field(default_factory=list)
    by_id: dict[int, Song] = field(default_factory=dict)
    original: dict[int, int] = field(default_factory=dict)  # duplicate id -> id of the copy to play
    title_keys: list[str] = field(default_factory=list)  # unique bases
    title_songs: list[list[int]] = field(default_factory=list)  # per title key: indexes into songs
    artist_keys: list[str] = field(default_factory=list)
    artist_names: list[str] = field(default_factory=list)  # as the library spells it
    artist_sounds: list[str] = field(default_factory=list)
    artist_songs: list[list[int]] = field(default_factory=list)
    artist_lookup: dict[str, int] = field(default_factory=dict)
    album_keys: list[str] = field(default_factory=list)
    album_names: list[str] = field(default_factory=list)
    album_bare: list[str] = field(default_factory=list)  # keys without a leading article
    album_tracks: list[dict[str, list[int]]] = field(default_factory=list)  # per album key: artist key -> ids
    album_artists: list[dict[str, str]] = field(default_factory=list)  # artist key -> display name
    vector_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), dtype=np.float32))
    vector_row: dict[int, int] = field(default_factory=dict)
    max_artist_words: int = 1
    titles: NameFinder | None = None
    albums: NameFinder | None = None
    lyric_lines: dict[int, list[LyricLine]] = field(default_factory=dict)  # filled as lyrics are looked at

    def __len__(self) -> int:
        return len(self.songs)

    def song_of(self, track_id: int) -> Song | None:
        """The song a track id plays (a duplicate's better copy)."""
        return self.by_id.get(self.original.get(track_id, track_id))


def _song(t: LightTrack) -> Song:
    base, versions = names.split_title(t.title)
    return Song(t.id, t.title, t.artist, t.album, names.drop_articles(base), base,
                names.written_title(t.title), versions,
                artist_key(t.artist), names.fold(t.album), t.track_no, t.disc_no, t.duration, t.year,
                names.fold(t.lyrics_head))


def build(store: MusicStore) -> MusicIndex:
    """Read the library once (two queries) and shape it for requests."""
    version = store.version()
    rows = store.light()
    index = MusicIndex(version=version)
    titles: dict[str, list[int]] = defaultdict(list)
    artists: dict[str, list[int]] = defaultdict(list)
    spelled: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    albums: dict[str, dict[str, list[LightTrack]]] = defaultdict(lambda: defaultdict(list))
    album_spelled: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    album_artist_spelled: dict[tuple[str, str], str] = {}
    for row in rows:
        if row.duplicate_of is not None:
            index.original[row.id] = row.duplicate_of
        if row.album:
            who = row.album_artist or row.artist
            akey = artist_key(who)
            albums[names.fold(row.album)][akey].append(row)
            album_spelled[names.fold(row.album)][row.album] += 1
            album_artist_spelled[(names.fold(row.album), akey)] = who
        if row.duplicate_of is not None:
            continue
        song = _song(row)
        position = len(index.songs)
        index.songs.append(song)
        index.by_id[song.id] = song
        titles[song.base].append(position)
        for who in {row.artist, row.album_artist} - {"", UNKNOWN_ARTIST}:
            key = artist_key(who)
            if key and (not artists[key] or artists[key][-1] != position):
                artists[key].append(position)
                spelled[key][who] += 1
    for duplicate, best in list(index.original.items()):  # chains (a copy of a copy) end at a song
        seen = 0
        while best in index.original and seen < 10:
            best, seen = index.original[best], seen + 1
        index.original[duplicate] = best
    for key, members in titles.items():
        index.title_keys.append(key)
        index.title_songs.append(members)
    for key, members in artists.items():
        index.artist_lookup[key] = len(index.artist_keys)
        index.artist_keys.append(key)
        index.artist_names.append(max(spelled[key].items(), key=lambda kv: kv[1])[0])
        index.artist_sounds.append(names.sound(key))
        index.artist_songs.append(members)
        index.max_artist_words = max(index.max_artist_words, len(key.split()))
    for key, by_artist in albums.items():
        index.album_keys.append(key)
        index.album_bare.append(names.drop_articles(key))
        index.album_names.append(max(album_spelled[key].items(), key=lambda kv: kv[1])[0])
        ordered: dict[str, list[int]] = {}
        shown: dict[str, str] = {}
        for akey, tracks in by_artist.items():
            tracks.sort(key=lambda t: (t.disc_no or 1, 9999 if t.track_no is None else t.track_no, t.path))
            ordered[akey] = [t.id for t in tracks]
            shown[akey] = album_artist_spelled[(key, akey)]
        index.album_tracks.append(ordered)
        index.album_artists.append(shown)
    index.titles = NameFinder(index.title_keys)
    index.albums = NameFinder(index.album_bare)
    _load_vectors(store, index)
    return index


def _load_vectors(store: MusicStore, index: MusicIndex) -> None:
    pairs = [(tid, blob) for tid, blob in store.embeddings() if tid in index.by_id and blob]
    if not pairs:
        return
    index.vector_ids = np.array([tid for tid, _ in pairs], dtype=np.int64)
    index.vectors = np.vstack([np.frombuffer(blob, dtype=np.float32) for _, blob in pairs])
    index.vector_row = {int(tid): row for row, tid in enumerate(index.vector_ids)}


_cache: dict[str, MusicIndex] = {}
_lock = threading.Lock()


def current(db: Any) -> MusicIndex:
    """The index of ``db``'s library, rebuilt only when the library changed since it was built."""
    store = MusicStore(db)
    key = str(getattr(db, "path", id(db)))
    version = store.version()
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.version == version:
            return cached
        fresh = build(store)
        if len(_cache) > 4:
            _cache.clear()
        _cache[key] = fresh
        return fresh


def forget(db: Any) -> None:
    """Drop the cached index of ``db`` (tests, a closed database)."""
    with _lock:
        _cache.pop(str(getattr(db, "path", id(db))), None)
