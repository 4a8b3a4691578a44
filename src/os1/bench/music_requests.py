"""Phrased requests with known answers for ``os1 bench music``, made from the synthetic library's truth.

The requests are written the way people say them, with the generator's own simple text edits (typos:
a swapped, dropped, doubled or neighbouring key; mishearings from a homophone table; spoken numbers),
never with the resolver's normalisation. A request only counts as unambiguous when the truth says so:

- a title alone names one song only if no other song (by anyone, on any album; a duplicate copy is
  the same song) has that exact title, case aside;
- a typo'd name must stay closer, by plain edit distance, to what was meant than to any other name;
- a partial title must be a run of words that occurs in no other title, and must not be one slip
  away from another whole title, a leading "the" aside ("Bright Mountains" with a song "Bright
  Mountain" is a fair question); an artist asked for by name alone must not also be a title or album;
  a lyric fragment must occur in no other song's lyrics (with a word left out: not even with one
  other word in its place);
- "the same song" means same artist, same title (version included) and lengths within 2 s — the
  issue's definition of a duplicate; two recordings further apart are two songs, and a request that
  can't tell them apart expects a question (then the follow-up answer must pick the right one).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from os1.bench.music_library import SynthLibrary, SynthTrack

ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
                 8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth"}
SPOKEN = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
          9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}
HOMOPHONES = {
    "eyes": "ice", "night": "knight", "sea": "see", "blue": "blew", "road": "rode", "rain": "reign",
    "sun": "son", "hour": "our", "know": "no", "right": "write", "one": "won", "to": "two", "for": "four",
    "whole": "hole", "heart": "hart", "dear": "deer", "tale": "tail", "wait": "weight", "way": "weigh",
    "peace": "piece", "flower": "flour", "morning": "mourning", "alone": "a loan", "tonight": "to night",
    "mary": "marry", "break": "brake", "weather": "whether", "where": "wear", "through": "threw",
    "bored": "board", "knight": "night", "dream": "dreem", "soul": "sole", "stairs": "stares",
    "sail": "sale", "hear": "here", "plane": "plain", "red": "read", "new": "knew", "nowhere": "no where",
    "wild": "whiled", "sons": "suns", "son": "sun", "golden": "goldin", "mirror": "mirra",
    "silver": "silva", "lonely": "lonley", "shadow": "shadoe", "river": "rivver", "letter": "ledder",
    "water": "wader", "heaven": "hevin", "city": "citty", "bottom": "bottum", "train": "trane",
    "oranges": "orange is", "easy": "eazy", "cars": "cards", "switch": "swich", "ladder": "latter",
}
KEYBOARD = {"a": "qs", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
            "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "w",
            "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "x"}
_STOP_WORDS = """
a an the of in on at to for and or but by with from
"""
STOP = frozenset(_STOP_WORDS.split())
_VERSION = re.compile(r"\s*\((live|demo|acoustic)\)\s*$", re.I)


@dataclass
class Case:
    category: str
    request: str
    expect: str  # track | album | artist | question
    ids: frozenset[int] = frozenset()  # acceptable track ids (a song and its duplicate copies)
    album: str = ""
    artist: str = ""
    choices: tuple[frozenset[int], ...] = ()  # question: the songs it must offer (each a set of ids)
    answer: str = ""  # question: the follow-up reply …
    answer_ids: frozenset[int] = frozenset()  # … and what it must pick


@dataclass
class Song:
    """One recording (a track and its duplicate copies)."""

    ids: set[int] = field(default_factory=set)
    track: SynthTrack | None = None


def songs_of(lib: SynthLibrary, ids: list[int]) -> list[Song]:
    """Recordings: tracks of one artist with the same title and lengths within 2 s are one song."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, track in enumerate(lib.tracks):
        by_key[(track.artist.lower(), track.title.lower())].append(index)
    songs: list[Song] = []
    for members in by_key.values():
        members.sort(key=lambda i: lib.tracks[i].duration)
        current: Song | None = None
        first = 0.0
        for i in members:
            t = lib.tracks[i]
            if current is None or t.duration - first > 2.0:
                current, first = Song(track=t), t.duration
                songs.append(current)
            current.ids.add(ids[i])
    return songs


def _bare(name: str) -> str:
    """A name as a listener hears it: lower case, without a leading "the"/"a"."""
    return re.sub(r"^(?:the|a|an)\s+", "", name.lower().strip())


def _typo(word: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    if len(letters) < 3:
        return word
    i = rng.choice(letters[1:])  # people rarely get the first letter wrong
    kind = rng.choice(["swap", "drop", "double", "near"])
    if kind == "swap" and i + 1 < len(word) and word[i + 1].isalpha() and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    near = KEYBOARD.get(word[i].lower(), "")
    return word[:i] + (rng.choice(near) if near else word[i]) + word[i + 1:]


def _mishear(text: str, rng: random.Random) -> str | None:
    words = text.lower().replace(",", "").split()
    spots = [i for i, w in enumerate(words) if w in HOMOPHONES or w in ("ii", "2", "4", "&")]
    if not spots:
        return None
    for i in rng.sample(spots, min(len(spots), rng.choice([1, 2]))):
        w = words[i]
        words[i] = {"ii": "two", "2": "two", "4": "four", "&": "and"}.get(w) or HOMOPHONES[w]
    return " ".join(words)


class _Maker:
    def __init__(self, lib: SynthLibrary, ids: list[int], seed: int) -> None:
        self.lib = lib
        self.rng = random.Random(seed * 7919 + 1)
        self.songs = songs_of(lib, ids)
        self.by_title: dict[str, list[Song]] = defaultdict(list)
        for song in self.songs:
            assert song.track is not None
            self.by_title[song.track.title.lower()].append(song)
        self.titles = sorted(self.by_title)
        self.artists = sorted({t.artist for t in lib.tracks if t.album_artist != "Various Artists"})
        self.artist_names = {a.lower() for a in self.artists}
        self.by_artist: dict[str, list[Song]] = defaultdict(list)
        for song in self.songs:
            assert song.track is not None
            self.by_artist[song.track.artist].append(song)
        self.lyrics_lc = [(s, (s.track.lyrics or "").lower()) for s in self.songs
                          if s.track and s.track.lyrics]
        self.ids = ids

    # -- helpers ---------------------------------------------------------------------------------------------
    def unique_title(self, song: Song) -> bool:
        """The title alone names this song: no other song has it, and no artist is called that."""
        assert song.track is not None
        title = song.track.title.lower()
        return len(self.by_title[title]) == 1 and title not in self.artist_names

    def pick(self, pool: list[Song], want: int, test) -> list[Song]:  # type: ignore[no-untyped-def]
        out: list[Song] = []
        for song in self.rng.sample(pool, len(pool)):
            if test(song):
                out.append(song)
                if len(out) >= want:
                    break
        return out

    def closest_is(self, said: str, meant: str, others: list[str]) -> bool:
        mine = Levenshtein.distance(said.lower(), meant.lower())
        return all(Levenshtein.distance(said.lower(), o.lower()) > mine
                   for o in others if o.lower() != meant.lower())

    def say(self, text: str) -> str:
        """A request the way someone would type or say it."""
        forms = ["play {}", "{}", "put on {}", "can you play {}", "I want to hear {}", "play {} please",
                 "could you put on {} for me"]
        return self.rng.choice(forms).format(text)

    def case(self, category: str, request: str, song: Song) -> Case:
        return Case(category, request, "track", frozenset(song.ids))

    # -- categories ------------------------------------------------------------------------------------------
    def exact(self, n: int) -> list[Case]:
        out = []
        for song in self.pick(self.songs, n, self.unique_title):
            t = song.track
            assert t is not None
            out.append(self.case("exact", self.say(t.title), song))
        return out

    def artist_title(self, n: int) -> list[Case]:
        out = []
        forms = ["play {t} by {a}", "{t} by {a}", "play {t} {a}", "{a} {t}", "play {a}'s {t}",
                 "put on {t} by {a}", "play {t} from {al}"]

        def distinct(song: Song) -> bool:  # with the artist, is it one song?
            assert song.track is not None
            same = [s for s in self.by_title[song.track.title.lower()]
                    if s.track and s.track.artist == song.track.artist]
            return len(same) == 1

        for song in self.pick(self.songs, n, distinct):
            t = song.track
            assert t is not None
            form = self.rng.choice(forms)
            album = t.album
            if "{al}" in form:
                same_album_title = [s for s in self.by_title[t.title.lower()]
                                    if s.track and s.track.album == album]
                if len(same_album_title) != 1:
                    form = forms[0]
            out.append(self.case("artist_title", form.format(t=t.title, a=t.artist, al=album), song))
        return out

    def typos(self, n: int) -> list[Case]:
        out: list[Case] = []
        tries = 0
        while len(out) < n and tries < n * 40:
            tries += 1
            song = self.rng.choice(self.songs)
            t = song.track
            assert t is not None
            if self.rng.random() < 0.5 and self.unique_title(song):  # the title misspelt, alone
                words = t.title.split()
                longish = [i for i, w in enumerate(words) if len(w) >= 4]
                if not longish:
                    continue
                i = self.rng.choice(longish)
                words[i] = _typo(words[i], self.rng)
                said = " ".join(words)
                if said.lower() == t.title.lower() or not self.closest_is(said, t.title, self.titles):
                    continue
                out.append(self.case("typos", self.say(said), song))
            else:  # the artist (and maybe the title) misspelt, with "by"
                same = [s for s in self.by_title[t.title.lower()] if s.track and s.track.artist == t.artist]
                if len(same) != 1:
                    continue
                artist = " ".join(_typo(w, self.rng) if len(w) >= 5 else w for w in t.artist.split())
                if artist == t.artist or not self.closest_is(artist, t.artist, self.artists):
                    continue
                title = t.title
                if self.rng.random() < 0.4 and len(title) >= 4:
                    own = [s.track.title for s in self.by_artist[t.artist] if s.track]
                    candidate = _typo(title, self.rng)
                    if candidate != title and self.closest_is(candidate, title, own):
                        title = candidate
                out.append(self.case("typos", f"play {title} by {artist}", song))
        lua = self.bright("Lua")
        own = [s.track.title for s in self.by_artist.get("Bright Eyes", []) if s.track]
        if lua is not None and self.closest_is("Lau", "Lua", own):
            out.append(self.case("typos", "play Lau by Bright Eyes", lua))
        if lua is not None and self.closest_is("Brihgt Eyes", "Bright Eyes", self.artists):
            out.append(self.case("typos", "play Lua by Brihgt Eyes", lua))
        return out

    def partial(self, n: int) -> list[Case]:
        out: list[Case] = []
        for song in self.rng.sample(self.songs, len(self.songs)):
            t = song.track
            assert t is not None
            words = _VERSION.sub("", t.title).split()
            if len(words) < 4 or len(out) >= n:
                continue
            size = self.rng.randint(max(2, len(words) // 2), len(words) - 1)
            start = self.rng.randint(0, len(words) - size)
            part = " ".join(words[start:start + size])
            if len(part) < 8 or {words[start].lower(), words[start + size - 1].lower()} & STOP:
                continue  # people remember "Waiting for the Raven", not "for the Raven at the"
            pattern = re.compile(r"(^|\s)" + re.escape(part.lower()) + r"($|\s|,)")
            holders = [s for title, songs in self.by_title.items() if pattern.search(title) for s in songs]
            if holders != [song]:
                continue
            # … and is not one slip away from another whole title, a leading "the" aside ("Bright Mountains"
            # and a song "Bright Mountain"; "Faded Sailors" and "The Faded Sailor")
            if any(Levenshtein.distance(_bare(part), _bare(title)) <= 1 for title in self.titles
                   if title != t.title.lower()):
                continue
            out.append(self.case("partial", self.say(part), song))
        return out

    def album_positions(self, n: int) -> list[Case]:
        out: list[Case] = []
        album_names: dict[str, int] = defaultdict(int)
        for album, _artist in self.lib.albums:
            album_names[album.lower()] += 1
        keys = [k for k in self.lib.albums if len(self.lib.albums[k]) >= 3 and k[1] != "Various Artists"]
        for album, artist in self.rng.sample(keys, len(keys)):
            if len(out) >= n:
                break
            members = self.lib.albums[(album, artist)]
            position = self.rng.randint(1, len(members))
            index = members[position - 1]
            assert self.lib.tracks[index].track_no == position
            by = f" by {artist}" if album_names[album.lower()] > 1 or self.rng.random() < 0.25 else ""
            said_album = album
            if album.startswith("Lifted or"):
                said_album = "Lifted"
            if position == len(members) and self.rng.random() < 0.5:
                request = f"play the last track on {said_album}{by}"
            else:
                form = self.rng.choice(["the {o} track of {al}{by}", "play track {n} on {al}{by}",
                                        "play the {o} song from {al}{by}", "song number {s} on {al}{by}",
                                        "put on the {o} track from {al}{by}"])
                request = form.format(o=ORDINAL_WORDS.get(position, f"{position}th"), n=position,
                                      s=SPOKEN.get(position, str(position)), al=said_album, by=by)
            out.append(Case("album_position", request, "track", frozenset({self.ids[index]})))
        return out

    def albums(self, n: int) -> list[Case]:
        out: list[Case] = []
        album_names: dict[str, int] = defaultdict(int)
        for album, _artist in self.lib.albums:
            album_names[album.lower()] += 1
        keys = [k for k in self.lib.albums if k[1] != "Various Artists"]
        for album, artist in self.rng.sample(keys, min(n, len(keys))):
            by = f" by {artist}" if album_names[album.lower()] > 1 else ""
            form = self.rng.choice(["play the album {al}{by}", "put on the whole {al} album{by}",
                                    "play the record {al}{by}", "I want to hear the album {al}{by}"])
            out.append(Case("album", form.format(al=album, by=by), "album", album=album, artist=artist))
        return out

    def lyrics(self, n: int) -> list[Case]:
        out: list[Case] = []
        pool = list(self.lyrics_lc)
        self.rng.shuffle(pool)
        for song, lyrics in pool:
            if len(out) >= n:
                break
            t = song.track
            assert t is not None
            lines = [ln for ln in lyrics.splitlines() if ln.strip() and t.title.lower() not in ln]
            if not lines:
                continue
            words = self.rng.choice(lines).split()
            size = min(len(words), self.rng.randint(5, 8))
            start = self.rng.randint(0, len(words) - size)
            fragment = " ".join(words[start:start + size])
            holders = [s for s, text in self.lyrics_lc if fragment in text]
            if holders != [song]:
                continue
            if self.rng.random() < 0.25 and size >= 6:  # misremembered: one word left out …
                drop = self.rng.randint(1, size - 2)
                kept = fragment.split()[:drop] + fragment.split()[drop + 1:]
                gappy = re.compile(r"\b" + r"\s+(?:\S+\s+)?".join(re.escape(w) for w in kept) + r"\b")
                if [s for s, text in self.lyrics_lc if gappy.search(text)] == [song]:  # … still only its
                    fragment = " ".join(kept)
            form = self.rng.choice(["play the song that goes {f}", "the one that goes {f}",
                                    "play that song with the line {f}", "play {f}",
                                    "what's the song that goes {f}"])
            out.append(self.case("lyrics", form.format(f=fragment), song))
        first = self.bright("First Day of My Life")
        if first is not None:
            out.append(self.case("lyrics", "that song about the first day of my life", first))
        return out

    def phonetic(self, n: int) -> list[Case]:
        out: list[Case] = []
        lua = self.bright("Lua")
        if lua is not None:
            out.append(self.case("phonetic", "play lua by bright ice", lua))
        for song in self.rng.sample(self.songs, len(self.songs)):
            if len(out) >= n:
                break
            t = song.track
            assert t is not None
            same = [s for s in self.by_title[t.title.lower()] if s.track and s.track.artist == t.artist]
            if len(same) != 1:
                continue
            with_artist = self.rng.random() < 0.5 or not self.unique_title(song)
            heard = _mishear(t.title, self.rng)
            if heard is None:
                continue
            if with_artist:
                artist = _mishear(t.artist, self.rng) or t.artist.lower()
                request = f"play {heard} by {artist}"
            else:
                if not self.closest_is(heard, t.title, self.titles):
                    continue
                request = f"play {heard}"
            out.append(self.case("phonetic", request, song))
        return out

    def ambiguous(self, n: int) -> list[Case]:
        out: list[Case] = []
        shared = [(title, songs) for title, songs in self.by_title.items()
                  if 2 <= len(songs) <= 3 and title not in self.artist_names]
        self.rng.shuffle(shared)
        for _title, songs in shared[:n]:
            t0 = songs[0].track
            assert t0 is not None
            target = self.rng.choice(songs)
            t = target.track
            assert t is not None
            artists = {s.track.artist for s in songs if s.track}
            if len(artists) == len(songs):
                answer = self.rng.choice([f"the one by {t.artist}", t.artist])
            else:
                albums = {s.track.album for s in songs if s.track}
                if len(albums) != len(songs):
                    continue
                answer = f"the one from {t.album}"
            out.append(Case("ambiguous", self.say(t0.title), "question",
                            choices=tuple(frozenset(s.ids) for s in songs), answer=answer,
                            answer_ids=frozenset(target.ids)))
        return out

    def artist_mode(self, n: int) -> list[Case]:
        out: list[Case] = []
        titles = {_bare(t) for t in self.by_title}  # "Wild Echo" is also the song "The Wild Echo"
        albums = {_bare(a) for a, _ in self.lib.albums}
        pool = [a for a in self.artists if _bare(a) not in titles and _bare(a) not in albums]
        for artist in self.rng.sample(pool, min(n, len(pool))):
            form = self.rng.choice(["play some {a}", "something by {a}", "play anything by {a}", "play {a}",
                                    "put on some {a}", "I want to hear some {a}"])
            said = artist
            if self.rng.random() < 0.2 and len(artist) > 6:
                typo = " ".join(_typo(w, self.rng) if len(w) >= 5 else w for w in artist.split())
                if self.closest_is(typo, artist, self.artists):
                    said = typo
            out.append(Case("artist", form.format(a=said), "artist", artist=artist))
        out.append(Case("artist", "play some Bright Eyes", "artist", artist="Bright Eyes"))
        return out

    def bright(self, title: str) -> Song | None:
        return next((s for s in self.by_artist.get("Bright Eyes", []) if s.track and s.track.title == title
                     and "(Live" not in s.track.album), None)


CATEGORIES = ("exact", "artist_title", "typos", "partial", "album_position", "album", "lyrics", "phonetic",
              "ambiguous", "artist")


def make_cases(lib: SynthLibrary, ids: list[int], seed: int = 7, per_category: int = 40) -> list[Case]:
    """``per_category`` requests of each kind (fewer where the library has fewer that qualify)."""
    maker = _Maker(lib, ids, seed)
    out: list[Case] = []
    out += maker.exact(per_category)
    out += maker.artist_title(per_category)
    out += maker.typos(per_category)
    out += maker.partial(per_category)
    out += maker.album_positions(per_category)
    out += maker.albums(per_category // 2)
    out += maker.lyrics(per_category)
    out += maker.phonetic(per_category)
    out += maker.ambiguous(per_category)
    out += maker.artist_mode(per_category // 2)
    return out
