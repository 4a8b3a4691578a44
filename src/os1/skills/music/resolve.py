"""Which track the user means: exact requests resolved among thousands of songs, or one short question.

Every reading of the request (:mod:`os1.skills.music.phrasing`) is scored against the in-memory
library (:mod:`os1.skills.music.index`):

- titles by spelling (``rapidfuzz``: whole-string, word-order-free and partial scorers, over the
  unique folded titles, so typos and partial titles work), and by sound (metaphone keys of every
  word, for speech-recognition mishearings like "bright ice");
- artists and albums the same way; "Lua bright eyes" finds the artist at either end of the words;
- versions: "Lua" means the studio "Lua" over "Lua (live)", "the live one" the other way round;
- lyrics (FTS5 over the lyrics, then the best passage by partial match) and meaning (MiniLM vectors
  of titles and first lyric lines), for "that song about the first day of my life" — and as a
  fallback when nothing else fits. Without the encoder this still works, on words alone.

The best target wins when it is clearly ahead; when two or three are about as good ("Lua" by two
artists, one title on two albums), the answer is a question naming them, and :func:`choose` reads the
reply ("the first one", "the live one", "the one by Cat Power", a title).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, LCSseq

from os1.skills.music import index as library_index
from os1.skills.music import names
from os1.skills.music.finder import STOP
from os1.skills.music.index import MusicIndex, Song, artist_key
from os1.skills.music.phrasing import Reading, parse
from os1.skills.music.store import LYRIC_STOP, MusicStore, Track

FLOOR = 62.0  # below this nothing is a match
SUGGEST = 50.0  # …but above this the best is offered as a question ("Did you mean …?")
MARGIN = 4.0  # a runner-up this close makes the request ambiguous
TYPO_POINTS = 70.0  # one slip in a name of n letters costs ~100/n points: closer than that is a tie
NOT_EXACT = 0.96  # a near miss stays clearly behind the name itself ("Shining Father" for "Shining Feather")
GOOD = 88.0  # a title this good needs no lyrics or meaning pass
MEANING_BELOW = 85.0  # "that song about …": meaning (MiniLM) is asked only when words found nothing this good
ARTIST_CUTOFF = 72.0
TITLE_CANDIDATES = 40
MAX_OPTIONS = 3
ABOUT_LYRICS = 40


@dataclass
class Target:
    kind: str  # song | album | artist
    key: tuple[Any, ...]  # ("song", id) / ("album", album index, artist key) / ("artist", artist index)
    score: float
    why: str
    label: str
    reading: Reading | None = None
    ids: list[int] = field(default_factory=list)


@dataclass
class Option:
    """One choice offered in a question, with the words that tell it apart."""

    kind: str
    ids: list[int]
    label: str
    title: str = ""
    artist: str = ""
    album: str = ""
    versions: list[str] = field(default_factory=list)
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "ids": self.ids, "label": self.label, "title": self.title,
                "artist": self.artist, "album": self.album, "versions": self.versions, "year": self.year}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Option:
        return cls(str(data["kind"]), [int(i) for i in data["ids"]], str(data["label"]),
                   str(data.get("title", "")), str(data.get("artist", "")), str(data.get("album", "")),
                   list(data.get("versions", [])), data.get("year"))


@dataclass
class Resolution:
    kind: str  # track | album | artist | question | none
    request: str
    tracks: list[Track] = field(default_factory=list)
    artist: str = ""  # artist mode: as the library spells it
    album: str = ""
    question: str = ""
    why: str = ""
    score: float = 0.0
    options: list[Option] = field(default_factory=list)
    text: str = ""  # what to say when nothing (or nothing playable) was found
    ms: float = 0.0

    @property
    def track_ids(self) -> list[int]:
        return [t.id for t in self.tracks]


# -- scoring helpers ------------------------------------------------------------------------------------
def similarity(said: str, key: str) -> float:
    """How well folded words ``said`` match a folded name ``key`` (0–99; 100 is for equal names):
    typos, word order, and a part of a longer name (scored below the whole name, higher when its
    words are there exactly)."""
    if not said or not key:
        return 0.0
    if said == key:
        return 100.0
    # edits (a swap or a wrong key is one slip, as people make them; short names are not punished for
    # being short), or the same words in another order
    edits = OSA.distance(said, key)
    score = max(100.0 * (1 - edits / max(len(said), len(key), 8)), fuzz.token_sort_ratio(said, key) - 4)
    said_words, key_words = said.split(), key.split()
    if len(said_words) < len(key_words) or (len(said) < len(key) and len(said) >= 6):
        part = fuzz.token_set_ratio(said, key)
        if len(said) >= 5:
            part = max(part, fuzz.partial_ratio(said, key) - 2)
        present = set(key_words)
        coverage = sum(w in present for w in said_words) / len(said_words)
        share = min(len(said) / len(key), 1.0)
        in_one_run = f" {said} " in f" {key} "  # "my first day": in "my first day back", not "day of my life"
        score = max(score, part * (0.78 + 0.12 * share) + 6 * coverage + (4 if in_one_run else 0))
    return min(score, 99.0) * NOT_EXACT


def sound_similarity(said: str, key_sound: str) -> float:
    """The same by sound (metaphone keys), below a spelled match (a sound key drops the vowels, so
    it confuses more); short names don't count."""
    said_sound = names.sound(said)
    if len(said_sound.replace(" ", "")) < 3 or len(key_sound.replace(" ", "")) < 3:
        return short_sound(said, key_sound)
    if said_sound == key_sound:
        return 86.0
    return fuzz.ratio(said_sound, key_sound) * 0.82


def short_sound(said: str, key_sound: str) -> float:
    """Short names ("blew" for "Blue") by sound: only an exact match counts, and not for much."""
    return 78.0 if key_sound and names.sound(said) == key_sound else 0.0


def version_fit(reading: Reading, song: Song) -> float:
    """Penalty for a version the user didn't ask for ("Lua (live)" for "Lua"), or one they did but
    this isn't."""
    if reading.plain:
        return -12.0 * len(song.versions)
    missing = reading.versions - song.versions
    extra = song.versions - reading.versions
    return -18.0 * len(missing) - 7.0 * len(extra)


class _Scorer:
    def __init__(self, index: MusicIndex, store: MusicStore, encoder: Any) -> None:
        self.index = index
        self.store = store
        self.encoder = encoder
        self.targets: dict[tuple[Any, ...], Target] = {}
        self._scores: dict[tuple[str, int], tuple[float, str]] = {}  # readings repeat (title, song) pairs
        self._artists: dict[tuple[str, float], list[tuple[int, float]]] = {}

    def offer(self, target: Target) -> None:
        have = self.targets.get(target.key)
        if have is None or target.score > have.score:
            self.targets[target.key] = target

    def best_score(self) -> float:
        return max((t.score for t in self.targets.values()), default=0.0)

    # -- artists and albums ----------------------------------------------------------------------------
    def artists(self, text: str, cutoff: float = ARTIST_CUTOFF) -> list[tuple[int, float]]:
        known = self._artists.get((text, cutoff))
        if known is None:
            known = self._artists[(text, cutoff)] = self._find_artists(text, cutoff)
        return known

    def _find_artists(self, text: str, cutoff: float) -> list[tuple[int, float]]:
        said = artist_key(text)
        if not said:
            return []
        found: dict[int, float] = {}
        exact = self.index.artist_lookup.get(said)
        if exact is not None:
            found[exact] = 100.0
        for _key, score, i in process.extract(said, self.index.artist_keys, scorer=fuzz.ratio, limit=5,
                                              score_cutoff=cutoff):
            found[i] = max(found.get(i, 0.0), min(float(score), 99.0) * NOT_EXACT)
        if len(said) >= 4:
            for _key, score, i in process.extract(names.sound(said), self.index.artist_sounds,
                                                  scorer=fuzz.ratio, limit=5, score_cutoff=85):
                found[i] = max(found.get(i, 0.0), (93.0 if score >= 100 else float(score) * 0.9))
        return sorted(found.items(), key=lambda kv: -kv[1])

    def albums(self, text: str, cutoff: float = 70.0) -> list[tuple[int, float]]:
        said = names.drop_articles(names.fold(text))
        if not said:
            return []
        keys = self.index.album_bare
        assert self.index.albums is not None
        scored = [(i, similarity(said, keys[i])) for i in self.index.albums.candidates(said, 20)]
        return sorted([(i, s) for i, s in scored if s >= cutoff], key=lambda kv: -kv[1])

    # -- songs by title ----------------------------------------------------------------------------------
    def title_keys(self, said: str) -> list[int]:
        """Indexes of title keys worth scoring for ``said`` (spelling, sound and words)."""
        assert self.index.titles is not None
        return self.index.titles.candidates(said, TITLE_CANDIDATES)

    def song_score(self, said: str, song: Song, key_index: int | None = None) -> tuple[float, str]:
        known = self._scores.get((said, song.id))
        if known is None:
            known = self._scores[(said, song.id)] = self._song_score(said, song, key_index)
        return known

    def _song_score(self, said: str, song: Song, key_index: int | None = None) -> tuple[float, str]:
        bare = names.drop_articles(said)
        if said == song.written:
            spelled = 100.0
        elif said == song.full or bare == song.base:
            # "first day" for "The First Day", "Take It Easy" for "Take It Easy (Love Nothing)": close,
            # but a song called just that is closer
            spelled = 95.0
        else:
            spelled = max(similarity(said, song.written), similarity(said, song.full),
                          similarity(bare, song.base))
            if any(w.isdigit() for w in f"{said} {song.written}".split()):  # "four" heard for "for"
                spelled = max(spelled, similarity(names.spoken(said), names.spoken(song.written)))
        sound_key = (self.index.titles.sounds[key_index] if key_index is not None and self.index.titles
                     else names.sound(song.base))
        heard = sound_similarity(bare, sound_key)
        if heard <= spelled:
            return spelled, "title"
        return (spelled + heard) / 2, "sound of the title"  # sounds alike: halfway between spelling and sound

    def by_title(self, reading: Reading) -> None:
        said = names.fold(reading.title)
        if not said:
            return
        if reading.artist == "*":
            self._artist_at_either_end(reading, said)
            return
        if reading.artist and not reading.source:
            for artist, a_score in self.artists(reading.artist):
                self._songs(reading, said, self.index.artist_songs[artist], 0.35 * (100 - a_score),
                            f"title and artist ({self.index.artist_names[artist]})")
            return
        if reading.source:
            self._from_source(reading, said)
            return
        for key in self.title_keys(names.drop_articles(said)):
            self._songs(reading, said, self.index.title_songs[key], 0.0, "title", key)

    def _songs(self, reading: Reading, said: str, members: list[int], penalty: float, why: str,
               key: int | None = None) -> None:
        for position in members:
            song = self.index.songs[position]
            score, how = self.song_score(said, song, key)
            if score < SUGGEST - 10:
                continue
            total = score + version_fit(reading, song) - penalty + reading.prior
            label = f"“{song.title}” by {song.artist}"
            self.offer(Target("song", ("song", song.id), total, why if how == "title" else how, label,
                              reading, [song.id]))

    def _artist_at_either_end(self, reading: Reading, said: str) -> None:
        words = said.split()
        longest = self.index.max_artist_words + 1
        for cut in range(1, len(words)):
            for span, rest in ((words[:cut], words[cut:]), (words[cut:], words[:cut])):
                if len(span) > longest or all(w in STOP for w in span):
                    continue
                text = " ".join(span)
                for artist, a_score in self.artists(text, cutoff=85.0):
                    title = " ".join(rest)
                    self._songs(reading, title, self.index.artist_songs[artist], 0.35 * (100 - a_score),
                                f"title and artist ({self.index.artist_names[artist]})")

    def _from_source(self, reading: Reading, said: str) -> None:
        """"Lua from Lifted" (an album) or "Lua from Bright Eyes" (an artist)."""
        wanted = {self.index.artist_keys[i] for i, _s in self.artists(reading.artist)} if reading.artist \
            else set()
        for album, al_score in self.albums(reading.source, cutoff=75.0):
            members = [self.index.by_id[i] for akey, ids in self.index.album_tracks[album].items()
                       for i in ids if i in self.index.by_id and (not wanted or akey in wanted)]
            for song in members:
                score, _how = self.song_score(said, song)
                total = score + version_fit(reading, song) - 0.35 * (100 - al_score) + reading.prior
                self.offer(Target("song", ("song", song.id), total, f"title and album ({song.album})",
                                  f"“{song.title}” by {song.artist}", reading, [song.id]))
        if reading.artist:
            return
        for artist, a_score in self.artists(reading.source):
            self._songs(reading, said, self.index.artist_songs[artist], 0.35 * (100 - a_score),
                        f"title and artist ({self.index.artist_names[artist]})")

    # -- albums, positions, artists ---------------------------------------------------------------------
    def _album_choices(self, reading: Reading) -> list[tuple[int, str, float]]:
        """(album index, artist key, score) for the album (and artist) named."""
        out = []
        wanted = self.artists(reading.artist) if reading.artist else []
        for album, al_score in self.albums(reading.album):
            for akey in self.index.album_tracks[album]:
                score = al_score
                if wanted:
                    a_scores = [s for i, s in wanted if self.index.artist_keys[i] == akey]
                    if not a_scores:
                        continue
                    score -= 0.35 * (100 - a_scores[0])
                out.append((album, akey, score))
        return out

    def by_album(self, reading: Reading) -> None:
        for album, akey, score in self._album_choices(reading):
            ids = self.index.album_tracks[album][akey]
            who = self.index.album_artists[album][akey]
            name = self.index.album_names[album]
            self.offer(Target("album", ("album", album, akey), score + reading.prior, "album name",
                              f"the album {name} by {who}", reading, list(ids)))

    def by_position(self, reading: Reading) -> None:
        for album, akey, score in self._album_choices(reading):
            ids = self.index.album_tracks[album][akey]
            chosen = _at_position(self.store, ids, reading.position)
            name = self.index.album_names[album]
            if chosen is None:
                self.offer(Target("album", ("missing", album, akey), score - 30, f"{name} is shorter",
                                  f"the album {name}", reading, []))
                continue
            song = self.index.song_of(chosen)
            title = song.title if song else "that track"
            self.offer(Target("song", ("song", chosen), score + reading.prior,
                              f"track {_ordinal(reading.position)} of {name}",
                              f"“{title}”, track {_ordinal(reading.position)} of {name}", reading, [chosen]))

    def by_artist(self, reading: Reading) -> None:
        for artist, a_score in self.artists(reading.artist, cutoff=80.0):
            name = self.index.artist_names[artist]
            ids = [self.index.songs[p].id for p in self.index.artist_songs[artist]]
            self.offer(Target("artist", ("artist", artist), a_score + reading.prior, "artist name",
                              f"some {name}", reading, ids))

    # -- lyrics and meaning ------------------------------------------------------------------------------
    def by_about(self, reading: Reading, explicit: bool = True) -> None:
        said = names.drop_articles(names.fold(reading.about))
        if len(said) < 3:
            return
        for key in self.title_keys(said):
            for position in self.index.title_songs[key]:
                song = self.index.songs[position]
                score, _how = self.song_score(said, song, key)
                self.offer(Target("song", ("song", song.id), score + reading.prior - 2, "title",
                                  f"“{song.title}” by {song.artist}", reading, [song.id]))
        for tid, passage, score in self._lyrics(reading.about, said):
            song = self.index.song_of(tid)
            if song is None:
                continue
            self.offer(Target("song", ("song", song.id), score + reading.prior, f"lyrics: “{passage}”",
                              f"“{song.title}” by {song.artist}", reading, [song.id]))
        if self.best_score() >= (MEANING_BELOW if explicit else FLOOR + 8):
            return  # the words found it: no need to ask the encoder
        for tid, cosine in self._meaning(reading.about):
            song = self.index.song_of(tid)
            if song is None:
                continue
            score = min(40.0 + 60.0 * cosine, 90.0)
            self.offer(Target("song", ("song", song.id), score + reading.prior, "what it's about",
                              f"“{song.title}” by {song.artist}", reading, [song.id]))

    def _lyrics(self, text: str, said: str) -> list[tuple[int, str, float]]:
        hits = dict(self.store.search_lyrics(text, ABOUT_LYRICS))
        if not hits:
            return []
        cache = self.index.lyric_lines
        missing = [tid for tid in hits if tid not in cache]
        if missing:
            marks = ",".join("?" * len(missing))
            for tid, lyrics in self.store.db.all(f"SELECT id, lyrics FROM music_tracks WHERE id IN ({marks})",
                                                 tuple(missing)):
                cache[int(tid)] = library_index.lyric_lines(lyrics or "")
        wanted = _weighted(said.split())
        content = {w for w in said.split() if w not in LYRIC_STOP} or set(said.split())
        out = []
        for tid, stage in hits.items():
            score, line = _lyric_match(said, wanted, content, cache.get(tid, []))
            if score <= 0:
                continue
            if stage == 0:  # the exact phrase is in there
                score += 8.0
            if len(said) < 12:  # a few short words match too much to be sure
                score *= 0.85
            out.append((tid, line, min(score, 97.0)))
        return out

    def _meaning(self, text: str) -> list[tuple[int, float]]:
        if self.encoder is None or not len(self.index.vector_ids):
            return []
        try:
            query = np.asarray(self.encoder.encode([text]), dtype=np.float32)[0]
        except Exception:  # the encoder can't load: words only
            return []
        sims = self.index.vectors @ query
        top = np.argpartition(-sims, min(10, len(sims) - 1))[:10]
        return [(int(self.index.vector_ids[i]), float(sims[i])) for i in top]


def _weighted(words: list[str]) -> list[str]:
    """Words as tokens, content words twice: an in-order match then counts what matters most."""
    out: list[str] = []
    for word in words:
        out.append(word)
        if word not in LYRIC_STOP:
            out.append(word + "\u0001")
    return out


def _lyric_match(said: str, wanted: list[str], content: set[str],
                 lines: list[library_index.LyricLine]) -> tuple[float, str]:
    """How well the folded words ``said`` match a line (or two lines running on) of a song's lyrics
    (0–90), and that line as written. Words in order count, content words double; a misheard word
    still counts through a character-level partial match. Only lines sharing a word are compared."""
    best, where = 0.0, ""

    size = len(said.split()) + 2  # the words must come close together, not spread over a verse

    def match(text: str) -> float:
        words = text.split()
        in_order = 0.0
        for start in range(0, max(len(words) - size, 0) + 1):
            window = _weighted(words[start:start + size])
            in_order = max(in_order, LCSseq.similarity(wanted, window) / len(wanted))
        spelled = fuzz.partial_ratio(said, text) / 100 * 0.95 if len(said) >= 8 else 0.0
        return max(in_order, spelled) * 90.0

    if not wanted:
        return 0.0, ""
    for i, line in enumerate(lines):
        if not (line.words & content):
            continue
        score = match(line.folded)
        if score > best:
            best, where = score, line.text
        if i + 1 < len(lines) and lines[i + 1].words & content:  # a phrase running on to the next line
            score = match(f"{line.folded} {lines[i + 1].folded}") - 0.5
            if score > best:
                best, where = score, f"{line.text} / {lines[i + 1].text}"
    return best, where[:90]


def _at_position(store: MusicStore, ids: list[int], position: int) -> int | None:
    """The track at ``position`` (1-based; -1 last) of an album's ordered ids: by track number when
    the tags have them, else by order."""
    if not ids:
        return None
    if position < 0:
        return ids[position] if -position <= len(ids) else None
    numbered = {t.track_no: t.id for t in store.get_many(ids) if t.track_no and (t.disc_no or 1) == 1}
    if numbered:
        return numbered.get(position)
    return ids[position - 1] if position <= len(ids) else None


def _ordinal(n: int) -> str:
    if n == -1:
        return "last"
    if n == -2:
        return "second to last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# -- deciding ---------------------------------------------------------------------------------------------
def _distinct(index: MusicIndex, ranked: list[Target]) -> list[Target]:
    """Targets that are really different things (an album and its only matching song count as one)."""
    out: list[Target] = []
    for target in ranked[:12]:
        if any(target.ids and set(target.ids) == set(o.ids) for o in out):
            continue
        out.append(target)
    return out


def _option(index: MusicIndex, target: Target) -> Option:
    if target.kind == "song":
        song = index.song_of(target.ids[0])
        if song is not None:
            return Option("song", target.ids, target.label, song.title, song.artist, song.album,
                          sorted(song.versions), song.year)
    if target.kind == "album":
        _kind, album, akey = target.key
        return Option("album", target.ids, target.label, album=index.album_names[album],
                      artist=index.album_artists[album].get(akey, ""))
    if target.kind == "artist":
        return Option("artist", target.ids, target.label, artist=index.artist_names[target.key[1]])
    return Option(target.kind, target.ids, target.label)


def describe_options(options: list[Option]) -> list[str]:
    """Each option in the fewest words that tell it from the others."""
    out = []
    titles = {o.title for o in options if o.kind == "song"}
    artists = {o.artist for o in options}
    albums = {o.album for o in options if o.kind == "song"}
    kinds = {o.kind for o in options}
    for o in options:
        if o.kind == "album":
            out.append(f"the album {o.album}" + (f" by {o.artist}" if len(artists) > 1 else ""))
            continue
        if o.kind == "artist":
            out.append(f"some {o.artist}")
            continue
        text = f"“{o.title}”"
        if len(kinds) > 1:
            text = f"the song {text}"
        if len(artists) > 1:
            text += f" by {o.artist}"
        elif len(titles) == 1 and len(albums) > 1 and o.album:
            text += f" from {o.album}"
        elif len(titles) == 1 and o.year:
            text += f" ({o.year})"
        out.append(text)
    return out


def question_for(options: list[Option]) -> str:
    parts = describe_options(options)
    if len(parts) == 1:
        return f"Did you mean {parts[0]}?"
    return f"Do you mean {', '.join(parts[:-1])}, or {parts[-1]}?"


def resolve(db: Any, request: str, *, encoder: Any = None) -> Resolution:
    """The track, album or artist ``request`` means — or a question when that isn't clear.

    ``encoder``: None for the shared MiniLM encoder, False for none, or an object with ``encode``."""
    from os1.mind.encoder import chosen_encoder

    started = time.perf_counter()
    store = MusicStore(db)
    index = library_index.current(db)
    result = _resolve(store, index, request, chosen_encoder(encoder))
    result.ms = (time.perf_counter() - started) * 1000
    return result


def _resolve(store: MusicStore, index: MusicIndex, request: str, encoder: Any) -> Resolution:
    if not len(index):
        return Resolution("none", request, text="I don't know any of your music yet. Tell me where it is, "
                                                 "like “scan my music in ~/Music”.")
    parsed = parse(request)
    if not parsed.text:
        return Resolution("none", request, text="What would you like to hear?")
    scorer = _Scorer(index, store, encoder)
    later: list[Reading] = []
    for reading in parsed.readings:
        if reading.mode == "title":
            scorer.by_title(reading)
        elif reading.mode == "album":
            scorer.by_album(reading)
        elif reading.mode == "position":
            scorer.by_position(reading)
        elif reading.mode == "artist":
            scorer.by_artist(reading)
        elif reading.mode == "about":
            later.append(reading)
    for reading in later:  # lyrics and meaning: when asked outright, or when nothing else fits well
        if parsed.explicit == "about" or scorer.best_score() < GOOD:
            scorer.by_about(reading, explicit=parsed.explicit == "about")
    return _decide(store, index, request, scorer, parsed.text)


def _decide(store: MusicStore, index: MusicIndex, request: str, scorer: _Scorer,
            said: str = "") -> Resolution:
    ranked = _distinct(index, sorted(scorer.targets.values(), key=lambda t: -t.score))
    if not ranked or ranked[0].score < SUGGEST:
        return Resolution("none", request, text=f"I couldn't find anything like “{request}” in your music.")
    best = ranked[0]
    if best.key[0] == "missing":
        return Resolution("none", request, text=f"That's more tracks than {best.label} has.")
    if best.score < FLOOR:
        option = _option(index, best)
        return Resolution("question", request, question=question_for([option]), options=[option],
                          score=best.score, why="closest match", tracks=store.get_many(option.ids[:1]))
    margin = min(MARGIN, max(1.5, TYPO_POINTS / max(len(said or request), 8)))  # about one slip's worth
    close = [t for t in ranked[1:MAX_OPTIONS] if best.score - t.score < margin and t.key[0] != "missing"]
    if close:
        options = [_option(index, t) for t in [best, *close]]
        return Resolution("question", request, question=question_for(options), options=options,
                          score=best.score, why="more than one fits")
    tracks = store.get_many(best.ids)
    if best.kind == "song":
        return Resolution("track", request, tracks=tracks, why=best.why, score=best.score)
    if best.kind == "album":
        _kind, album, akey = best.key
        return Resolution("album", request, tracks=tracks, album=index.album_names[album],
                          artist=index.album_artists[album].get(akey, ""), why=best.why, score=best.score)
    return Resolution("artist", request, tracks=tracks, artist=index.artist_names[best.key[1]],
                      why=best.why, score=best.score)


# -- answers to a question ------------------------------------------------------------------------------
_ORDINAL_ANSWERS = [
    (re.compile(r"\b(first|1st|number one|#1|top|former)\b|^(one|1|the one)$"), 0),
    (re.compile(r"\b(second|2nd|number two|#2)\b|^(two|2)$"), 1),
    (re.compile(r"\b(third|3rd|number three|#3)\b|^(three|3)$"), 2),
    (re.compile(r"\b(last|final|latter)\b"), -1),
    (re.compile(r"\b(other)\b"), -2),
]
_FILLER_WORDS = """
the one a an song track version recording from by on off of please play i mean meant want
wanted that this it its one yes yeah no not oh um uh like put just lets let me you
"""
_FILLER = frozenset(_FILLER_WORDS.split())
_PLAIN = frozenset({"studio", "original", "normal", "regular", "album", "plain", "usual"})


_LEAD_IN = re.compile(r"^(?:(?:i mean|i meant|i want|play|yes|no)[, ]+)*(?:the )?"
                      r"(?:one|song|version|track)?\s*(?:by|from|on|off|with|that'?s)?\s+", re.I)


def choose(options: list[Option], answer: str) -> int | None:
    """Which option the reply to a question picks (an index), or None if it picks none of them."""
    text = answer.lower().strip(" .!?")
    named = names.drop_articles(names.fold(_LEAD_IN.sub("", f" {text}").strip() or text))
    exact = [i for i, o in enumerate(options)  # "The Friends" is the artist The Friends, not Fast Friends
             if named and named in {names.drop_articles(names.fold(v)) for v in (o.artist, o.album, o.title)
                                    if v}]
    if len(exact) == 1:  # a name first: "Final Signal" is an artist, not "the final one"
        return exact[0]
    hits = [index for pattern, index in _ORDINAL_ANSWERS if pattern.search(text)]
    if len(hits) == 1:
        hit = hits[0]
        if hit == -2:
            return 1 if len(options) == 2 else None
        return hit if hit >= 0 and hit < len(options) else (len(options) - 1 if hit == -1 else None)
    words = [w for w in names.fold(text).split() if w not in _FILLER]
    if not words:
        return None
    vocabularies = [set(names.fold(" ".join([o.title, o.artist, o.album, " ".join(o.versions),
                                             str(o.year or ""), o.kind])).split()) for o in options]
    shared = set.intersection(*vocabularies) if vocabularies else set()  # words all options have: no help
    scores = []
    for option, vocabulary in zip(options, vocabularies, strict=True):
        telling = vocabulary - shared
        score = 0.0
        for word in words:
            if word in _PLAIN:
                score += 1.0 if not option.versions and option.kind == "song" else 0.0
                continue
            tag = names.VERSION_WORDS.get(word)
            if tag:
                score += 1.0 if tag in option.versions else -0.5
                continue
            if len(word) < 4:  # short words only count when they are there exactly
                score += 1.0 if word in telling else 0.0
                continue
            best = max((fuzz.ratio(word, v) for v in telling), default=0.0)
            score += 1.0 if best >= 85 else 0.5 if best >= 75 else 0.0
        scores.append(score)
    top = max(scores)
    if top < max(0.5, len(words) / 2) or scores.count(top) > 1:  # most of the reply must point at it
        return None
    return scores.index(top)
