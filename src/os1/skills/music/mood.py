"""Mood requests: rate every track's mood, and pick the songs that fit a request and the user's mood.

- :func:`refresh` rates the tracks not rated yet (genre, tags, lyrics, and the audio when
  ``listen``) and stores ``valence``, ``arousal``, ``features`` and ``features_at``;
- :func:`is_mood_request` and :func:`target_for` (from :mod:`.mood_targets`) turn a request and
  the user's affect into a :class:`MoodTarget`;
- :func:`pick` ranks the whole library against a target in one pass of numpy over cached
  arrays (rebuilt only when the library changes), adds what the user's taste says
  (:mod:`.taste`), holds back what was played recently, and keeps the picks varied (not five
  songs from one album);
- :func:`explain` says in one line why a song was picked.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from os1.skills.music import features as audio_features
from os1.skills.music.mood_rating import THEMES, TRAITS, TrackMood, normalise_genre, rate
from os1.skills.music.mood_targets import KINDS, MoodTarget, is_mood_request, target_for
from os1.skills.music.taste import Taste, key_of

__all__ = ["KINDS", "Catalog", "MoodTarget", "Pick", "RefreshSummary", "catalog", "explain",
           "is_mood_request", "pick", "refresh", "target_for"]

log = logging.getLogger(__name__)

RECENT_WEIGHT = 0.9  # a track played a moment ago loses this much score
ALBUM_REPEAT, ARTIST_REPEAT = 0.6, 0.3  # held back once a pick came from the same album / artist
FAR = 0.6  # farther than this from the target, a pick is only "the closest I have"
GENRE_BONUS = 0.6  # for tracks of the genre a request names
JITTER = 0.04  # a little chance, so the same request does not always give the same song
BATCH = 25


# -- the catalogue: the library as arrays ----------------------------------------------------------
@dataclass
class Catalog:
    """Every track's mood and what picks need, as arrays in track-id order."""

    signature: tuple[Any, ...]
    ids: np.ndarray
    index: dict[int, int]
    valence: np.ndarray
    arousal: np.ndarray
    confidence: np.ndarray
    traits: np.ndarray  # (n, len(TRAITS)) 0/1
    themes: np.ndarray  # (n, len(THEMES)) 0..1
    has_lyrics: np.ndarray
    tempo: np.ndarray  # NaN where not listened to
    playable: np.ndarray
    artist_codes: np.ndarray
    album_artist_codes: np.ndarray
    album_codes: np.ndarray
    genre_codes: np.ndarray
    artists: list[str]  # artist keys (key_of), by code
    genres: list[str]  # normalised genres, by code
    # path, title, artist, album, genre
    info: list[tuple[str, str, str, str, str]] = field(repr=False, default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


# What changes when the library does: rows added or removed, rated (features_at), marked as copies, or
# anything a scan changed (the library's version in the profile). Indexed aggregates only: ~1 ms at 10k.
_SIGNATURE_SQL = ("SELECT (SELECT COUNT(*) FROM music_tracks), (SELECT MAX(id) FROM music_tracks), "
                  "(SELECT COUNT(features_at) FROM music_tracks), "
                  "(SELECT MAX(features_at) FROM music_tracks), "
                  "(SELECT COUNT(duplicate_of) FROM music_tracks), "
                  "(SELECT value FROM profile WHERE key = 'music.library_version')")
_cache: weakref.WeakKeyDictionary[Any, Catalog] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def catalog(db: Any) -> Catalog:
    """The library as arrays, cached per store until a track is added, changed, rated or removed."""
    signature = tuple(db.one(_SIGNATURE_SQL) or ())
    with _cache_lock:
        cached = _cache.get(db)
    if cached is not None and cached.signature == signature:
        return cached
    built = _build(db, signature)
    with _cache_lock:
        _cache[db] = built
    return built


class _Codes:
    def __init__(self) -> None:
        self.names: list[str] = []
        self._codes: dict[str, int] = {}

    def code(self, name: str) -> int:
        found = self._codes.get(name)
        if found is None:
            found = self._codes[name] = len(self.names)
            self.names.append(name)
        return found


def _build(db: Any, signature: tuple[Any, ...]) -> Catalog:
    rows = db.all(
        "SELECT id, path, title, artist, album_artist, album, genre, tags, "
        "(lyrics IS NOT NULL AND lyrics != ''), valence, arousal, features, error, duplicate_of "
        "FROM music_tracks ORDER BY id")
    n = len(rows)
    ids = np.zeros(n, dtype=np.int64)
    valence = np.zeros(n, dtype=np.float32)
    arousal = np.zeros(n, dtype=np.float32)
    confidence = np.zeros(n, dtype=np.float32)
    traits = np.zeros((n, len(TRAITS)), dtype=np.float32)
    themes = np.zeros((n, len(THEMES)), dtype=np.float32)
    has_lyrics = np.zeros(n, dtype=bool)
    tempo = np.full(n, np.nan, dtype=np.float32)
    playable = np.zeros(n, dtype=bool)
    artist_codes = np.zeros(n, dtype=np.int32)
    album_artist_codes = np.zeros(n, dtype=np.int32)
    album_codes = np.zeros(n, dtype=np.int32)
    genre_codes = np.zeros(n, dtype=np.int32)
    artists, albums, genres = _Codes(), _Codes(), _Codes()
    trait_index = {t: i for i, t in enumerate(TRAITS)}
    theme_index = {t: i for i, t in enumerate(THEMES)}
    info: list[tuple[str, str, str, str, str]] = []
    for i, (tid, path, title, artist, album_artist, album, genre, tags, lyrics, v, a, feats, error,
            duplicate_of) in enumerate(rows):
        ids[i] = tid
        playable[i] = error is None and duplicate_of is None
        has_lyrics[i] = bool(lyrics)
        data = _json(feats)
        if v is not None and a is not None and data:
            valence[i], arousal[i] = v, a
            confidence[i] = float(data.get("confidence", 0.5))
            track_traits = data.get("traits") or ()
            track_themes = data.get("themes") or {}
            audio = data.get("audio") or {}
            if audio.get("tempo"):
                tempo[i] = float(audio["tempo"])
        else:  # not rated yet: a quick estimate from genre and tags (no lyrics, no audio)
            mood: TrackMood = rate(genre or "", _json(tags), "", title or "", None, read_lyrics=False)
            valence[i], arousal[i], confidence[i] = mood.valence, mood.arousal, mood.confidence
            track_traits, track_themes = mood.traits, mood.themes
        for t in track_traits:
            if t in trait_index:
                traits[i, trait_index[t]] = 1.0
        for t, value in track_themes.items():
            if t in theme_index:
                themes[i, theme_index[t]] = float(value)
        artist_key = key_of(artist) or key_of(album_artist)
        artist_codes[i] = artists.code(artist_key)
        album_artist_codes[i] = artists.code(key_of(album_artist) or artist_key)
        album_codes[i] = albums.code(f"{key_of(album_artist) or artist_key}\x00{key_of(album)}" if album
                                     else f"\x00single\x00{tid}")
        genre_codes[i] = genres.code(normalise_genre(genre or ""))
        info.append((path, title or "", artist or album_artist or "", album or "", genre or ""))
    return Catalog(signature, ids, {int(t): i for i, t in enumerate(ids)}, valence, arousal, confidence,
                   traits, themes, has_lyrics, tempo, playable, artist_codes, album_artist_codes, album_codes,
                   genre_codes, artists.names, genres.names, info)


def _json(text: Any) -> dict[str, Any]:
    if not text:
        return {}
    if isinstance(text, dict):
        return text
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


# -- picking ---------------------------------------------------------------------------------------
@dataclass
class Pick:
    """A track chosen for a mood request, and why."""

    track_id: int
    path: str
    title: str
    artist: str
    album: str
    genre: str
    valence: float
    arousal: float
    score: float
    why: str
    target: MoodTarget

    @property
    def label(self) -> str:
        title = f"“{self.title}”" if self.title else "an untitled track"
        return f"{title} by {self.artist}" if self.artist else title

    def to_dict(self) -> dict[str, Any]:
        return {"track_id": self.track_id, "path": self.path, "title": self.title, "artist": self.artist,
                "album": self.album, "genre": self.genre, "valence": round(self.valence, 3),
                "arousal": round(self.arousal, 3), "score": round(self.score, 3), "why": self.why,
                "kind": self.target.kind}


def fit(cat: Catalog, target: MoodTarget) -> np.ndarray:
    """How well every track fits the target (higher is better; about −2 … 1.5)."""
    wv, wa = target.valence_weight, target.arousal_weight
    distance = np.sqrt((wv * (cat.valence - target.valence) ** 2 + wa * (cat.arousal - target.arousal) ** 2)
                       / (wv + wa))
    score = 1.0 - distance
    trait_index = {t: i for i, t in enumerate(TRAITS)}
    if target.traits:
        wanted = np.zeros(len(TRAITS), dtype=np.float32)
        wanted[[trait_index[t] for t in target.traits if t in trait_index]] = 1.0
        score += 0.35 * (cat.traits @ wanted) / len(target.traits)
    if target.avoid:
        unwanted = np.zeros(len(TRAITS), dtype=np.float32)
        unwanted[[trait_index[t] for t in target.avoid if t in trait_index]] = 1.0
        score -= 0.6 * ((cat.traits @ unwanted) > 0)
    if target.themes:
        theme_index = {t: i for i, t in enumerate(THEMES)}
        wanted = np.zeros(len(THEMES), dtype=np.float32)
        wanted[[theme_index[t] for t in target.themes if t in theme_index]] = 1.0
        score += 0.4 * (cat.themes @ wanted) / len(target.themes)
    if target.genre:  # "play some jazz": a strong preference, not a wall (few tracks may carry that tag)
        named = np.array([f" {target.genre} " in f" {name} " for name in cat.genres], dtype=bool)
        if named.size:
            score += GENRE_BONUS * named[cat.genre_codes]
    if target.instrumental:
        score -= 0.2 * cat.has_lyrics
    score -= 0.2 * (1.0 - cat.confidence)
    return score.astype(np.float32, copy=False)


def _artist_mask(cat: Catalog, artist: str) -> np.ndarray:
    wanted = key_of(artist)
    codes = [code for code, name in enumerate(cat.artists) if name == wanted]
    if not codes:  # "bright eyes" for "Conor Oberst & Bright Eyes"
        codes = [code for code, name in enumerate(cat.artists) if wanted and wanted in name]
    return np.isin(cat.artist_codes, codes) | np.isin(cat.album_artist_codes, codes)


def pick(db: Any, target: MoodTarget, artist: str | None = None, exclude: Iterable[int] = (), count: int = 1,
         seed: int | None = None) -> list[Pick]:
    """The ``count`` tracks that best fit ``target`` (only ``artist``'s, when given), best first, varied,
    leaving out ``exclude``, unplayable rows and duplicates; [] when nothing is left."""
    cat = catalog(db)
    if not len(cat) or count < 1:
        return []
    allowed = cat.playable.copy()
    if artist:
        allowed &= _artist_mask(cat, artist)
    for track_id in exclude:
        index = cat.index.get(int(track_id))
        if index is not None:
            allowed[index] = False
    if not allowed.any():
        return []
    taste = Taste.load(db)
    rng = np.random.default_rng(seed)
    score = (fit(cat, target) + taste.adjustments(cat, target.kind)
             - RECENT_WEIGHT * taste.recent_penalty(cat)
             + rng.normal(0.0, JITTER, len(cat)).astype(np.float32))
    score = np.where(allowed, score, -np.inf)
    chosen = _varied(cat, score, count, same_artist_ok=bool(artist))
    return [_pick(cat, i, float(score[i]), target) for i in chosen]


def _varied(cat: Catalog, score: np.ndarray, count: int, same_artist_ok: bool) -> list[int]:
    """Greedy: the best track, then the best of the rest after holding back its album and artist."""
    allowed = int(np.isfinite(score).sum())
    count = min(count, allowed)
    pool_size = min(allowed, max(64, count * 16))
    if pool_size < len(score):
        pool = np.argpartition(-score, pool_size - 1)[:pool_size]
    else:
        pool = np.arange(len(score))
    pool = pool[np.isfinite(score[pool])]
    base = score[pool].astype(np.float64)
    albums = cat.album_codes[pool]
    artists = cat.artist_codes[pool]
    held = np.zeros(len(pool), dtype=np.float64)
    taken = np.zeros(len(pool), dtype=bool)
    chosen: list[int] = []
    for _ in range(count):
        adjusted = np.where(taken, -np.inf, base - held)
        best = int(np.argmax(adjusted))
        if not np.isfinite(adjusted[best]):
            break
        taken[best] = True
        chosen.append(int(pool[best]))
        held += ALBUM_REPEAT * (albums == albums[best])
        if not same_artist_ok:
            held += ARTIST_REPEAT * (artists == artists[best])
    return chosen


def _pick(cat: Catalog, i: int, score: float, target: MoodTarget) -> Pick:
    path, title, artist, album, genre = cat.info[i]
    return Pick(int(cat.ids[i]), path, title, artist, album, genre, float(cat.valence[i]),
                float(cat.arousal[i]), score, _why(cat, i, target), target)


# -- explaining ------------------------------------------------------------------------------------
def character(valence: float, arousal: float) -> str:
    """A track's feel in a few words, from where it sits on the valence–arousal plane."""
    if arousal < -0.15:
        return "gentle and warm" if valence > 0.1 else "quiet and sad" if valence < -0.2 else "soft and calm"
    if arousal <= 0.3:
        return "warm and easygoing" if valence > 0.25 else "bittersweet" if valence < -0.2 else "mellow"
    return "bright and upbeat" if valence > 0.3 else "intense and dark" if valence < -0.2 else "driving"


_THEME_WORDS = {"together": "about being with someone", "love": "a love song",
                "heartbreak": "about heartbreak", "hope": "hopeful", "party": "made for dancing",
                "lonely": "about loneliness"}


def _why(cat: Catalog, i: int, target: MoodTarget) -> str:
    traits = {t for t, on in zip(TRAITS, cat.traits[i], strict=True) if on}
    genre = cat.info[i][4].strip()
    genre = genre if genre.isupper() or len(genre) <= 3 else genre.lower()  # "EDM", "R&B" stay as they are
    if "acoustic" in traits and ("gentle" in traits or "soft" in traits or cat.arousal[i] < -0.2):
        sound = "soft acoustic"
    elif "instrumental" in traits and target.instrumental:
        sound = f"instrumental {genre}".strip() if genre else "instrumental"
    else:
        sound = genre if genre and len(genre) <= 30 else ""
    if target.kind in ("energy", "party") and np.isfinite(cat.tempo[i]) and cat.tempo[i] > 0:
        sound = f"{sound} at about {round(float(cat.tempo[i]))} BPM".strip()
    theme = ""
    strengths = {t: float(v) for t, v in zip(THEMES, cat.themes[i], strict=True)}
    wanted = [t for t in target.themes if strengths.get(t, 0.0) >= 0.15]
    strongest = max(strengths, key=lambda t: strengths[t]) if strengths else ""
    if wanted:
        theme = _THEME_WORDS[max(wanted, key=lambda t: strengths[t])]
    elif strongest and strengths[strongest] >= 0.3 and strongest != "lonely":
        theme = _THEME_WORDS[strongest]
    middle = ", ".join(part for part in (sound, theme) if part)
    feel = character(float(cat.valence[i]), float(cat.arousal[i]))
    if not target.because:
        return f"It's {feel} — {middle}." if middle else f"It's {feel}."
    wv, wa = target.valence_weight, target.arousal_weight
    distance = math.sqrt((wv * (cat.valence[i] - target.valence) ** 2
                          + wa * (cat.arousal[i] - target.arousal) ** 2) / (wv + wa))
    if distance > FAR and target.kind != "any":  # honest: nothing in the library really fits
        return (f"It's {feel} — {middle} — the closest I have to what you asked for." if middle
                else f"It's {feel}, the closest I have to what you asked for.")
    if middle:
        return f"It's {feel} — {middle} — which seemed right {target.because}."
    return f"It's {feel}, which seemed right {target.because}."


def explain(chosen: Pick) -> str:
    """One line on why this song was picked."""
    return chosen.why


# -- rating the library ----------------------------------------------------------------------------
@dataclass
class RefreshSummary:
    """What :func:`refresh` did."""

    rated: int = 0
    listened: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, why the audio was not analysed)
    seconds: float = 0.0
    listen_seconds: float = 0.0  # time spent decoding and analysing audio (includes the one-time warm-up)

    @property
    def text(self) -> str:
        if not self.rated:
            return "Every track already has a mood."
        line = f"Rated the mood of {self.rated} track{'s' if self.rated != 1 else ''}"
        if self.listened:
            line += f" (listened to {self.listened})"
        line += "."
        if self.failed:
            shown = "; ".join(f"{path}: {why}" for path, why in self.failed[:5])
            more = f" and {len(self.failed) - 5} more" if len(self.failed) > 5 else ""
            line += f" Could not listen to {len(self.failed)}: {shown}{more}."
        return line

    def to_dict(self) -> dict[str, Any]:
        return {"rated": self.rated, "listened": self.listened, "failed": [list(f) for f in self.failed],
                "seconds": round(self.seconds, 2), "listen_seconds": round(self.listen_seconds, 2)}


def refresh(db: Any, progress: Callable[[int, int, str], None] | None = None, listen: bool = True,
            limit: int | None = None) -> RefreshSummary:
    """Rate every track whose mood is unknown (``features_at IS NULL``); with ``listen``, also analyse the
    audio of tracks rated without listening. ``progress(done, total, path)`` after each track.
    A file that cannot be decoded is rated from its tags alone and reported in ``failed``."""
    start = time.perf_counter()
    summary = RefreshSummary()
    where = "features_at IS NULL"
    if listen:
        where += " OR (duplicate_of IS NULL AND json_extract(features, '$.listened') = 0)"
    rows = db.all(f"SELECT id, path, title, genre, tags, lyrics, duplicate_of FROM music_tracks "
                  f"WHERE error IS NULL AND ({where}) ORDER BY id" + (" LIMIT ?" if limit else ""),
                  (int(limit),) if limit else ())
    total = len(rows)
    pending: list[tuple[float, float, str, float, int]] = []
    for done, (tid, path, title, genre, tags, lyrics, duplicate_of) in enumerate(rows, start=1):
        audio, audio_error, listened = None, "", False
        if listen and duplicate_of is None:
            began = time.perf_counter()
            if not audio_features._warm:
                audio_features.warm_up()
            audio, audio_error = audio_features.analyse(path)
            summary.listen_seconds += time.perf_counter() - began
            listened = True
            if audio is not None:
                summary.listened += 1
            else:
                summary.failed.append((path, audio_error))
        try:
            mood = rate(genre or "", _json(tags), lyrics or "", title or "", audio)
        except Exception as exc:  # a rating bug must not stop a scan: rate from genre and tags alone
            log.warning("could not rate %s: %s", path, exc, exc_info=True)
            mood = rate(genre or "", _json(tags), "", title or "", None, read_lyrics=False)
        pending.append((mood.valence, mood.arousal, mood.to_json(audio, audio_error, listened), time.time(),
                        tid))
        summary.rated += 1
        if len(pending) >= BATCH:
            _write(db, pending)
        if progress is not None:
            progress(done, total, path)
    _write(db, pending)
    summary.seconds = time.perf_counter() - start
    return summary


def _write(db: Any, pending: list[tuple[float, float, str, float, int]]) -> None:
    if not pending:
        return
    with db.transaction() as cur:
        cur.executemany("UPDATE music_tracks SET valence = ?, arousal = ?, features = ?, features_at = ? "
                        "WHERE id = ?",
                        [(round(v, 4), round(a, 4), f, at, tid) for v, a, f, at, tid in pending])
    pending.clear()
