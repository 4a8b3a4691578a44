"""A seeded synthetic music library for ``os1 bench music``: tags only, written straight into a store.

About 10,000 tracks by several hundred artists (names, albums and titles from word lists), albums with
track numbers, lyrics for about a third of the tracks (made-up lines, the title in the chorus), live
and demo versions, re-recordings on a second album, compilations that duplicate album tracks, common
titles shared by different artists — and one artist, Bright Eyes, with 150+ songs with look-alike
titles ("Lua", "Lua (live)", "Lua (demo)", "Lua II", "First Day of My Life", "The First Day" …).
Every lyric is invented here; nothing is copied from real songs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

_NOUNS_WORDS = """
heart night river road fire rain window city ocean mountain garden letter morning summer winter
shadow mirror train station bridge island desert forest harbor highway kitchen radio telephone
candle lantern feather sparrow raven wolf horse tiger lion dove ghost angel stranger soldier
sailor dancer painter poet widow daughter brother sister mother father neighbor lover friend
enemy diamond silver gold copper iron glass paper stone sand water thunder lightning storm
cloud sky star moon sun planet comet galaxy orbit satellite signal echo whisper silence song
melody chorus anthem ballad lullaby hymn prayer promise secret lie truth dream memory story
chapter page picture photograph postcard suitcase ticket passport border country kingdom empire
castle tower chapel church temple market carnival circus parade festival wedding funeral
birthday holiday weekend evening midnight sunrise sunset twilight horizon valley canyon meadow
orchard vineyard cathedral lighthouse avenue boulevard alley rooftop basement attic hallway
doorway staircase
"""
NOUNS = _NOUNS_WORDS.split()
_ADJECTIVES_WORDS = """
blue red golden silver black white green broken lonely quiet restless wild gentle bitter sweet
electric neon velvet paper hollow empty crowded distant secret sacred holy lost found last
first final early late slow fast young old new strange simple perfect tired hungry lucky heavy
light dark bright cold warm frozen burning falling rising wandering sleeping dreaming dancing
crying midnight summer winter autumn spring endless little tiny giant faded shining shattered
tender
"""
ADJECTIVES = _ADJECTIVES_WORDS.split()
_VERBS_WORDS = """
run fall rise dance sing cry wait hold break burn drive fly walk dream sleep wake remember
forget follow lead breathe shine call whisper scream hide chase carry bury build leave stay
return
"""
VERBS = _VERBS_WORDS.split()
GERUNDS = [v + ("ning" if v in ("run",) else "ing") if not v.endswith("e") else v[:-1] + "ing" for v in VERBS]
_PLACES_WORDS = """
Memphis Berlin Paris Lisbon Tokyo Omaha Dublin Chicago Vienna Cairo Havana Oslo Madrid Denver
Nashville Austin Seattle Portland Boston Brooklyn Marseille Naples Athens Prague Warsaw Kyoto
"""
PLACES = _PLACES_WORDS.split()
_FIRST_WORDS = """
Anna Ben Clara David Elena Frank Grace Henry Iris Jack Kate Leo Maya Nina Oscar Paul Quinn Rosa
Sam Tara Uma Victor Wendy Xavier Yara Zoe Alice Bruno Celia Dario Edith Felix Greta Hugo Ines
Jonas Lena Marco Nora Otto Pia Ruben Sofia Theo Ursula Vera Walter Ada Boris Cora Emil Flora
Gil Hanna
"""
FIRST = _FIRST_WORDS.split()
_LAST_WORDS = """
Archer Bennett Carver Dalton Ellis Fischer Garner Hayes Ingram Jensen Keller Lowell Mercer
Nolan Osborne Parker Quill Reyes Sawyer Thorne Underwood Vance Walsh Yates Zeller Abbott Brandt
Colby Drummond Everett Fontaine Gallagher Holloway Ives Jarvis Kendrick Lambert Monroe Navarro
Oakley
"""
LAST = _LAST_WORDS.split()
GENRES = ("indie folk", "indie rock", "singer-songwriter", "alternative", "pop", "soul", "jazz", "blues",
          "electronic", "ambient", "hip hop", "country", "punk", "metal", "classical", "r&b", "reggae",
          "dream pop", "post-rock", "synthpop")
SHARED_TITLES = ("Home", "Stay", "Angel", "Hold On", "Runaway", "Heartbeat", "Paradise", "Wildfire",
                 "Homecoming", "Northern Lights", "Golden Hour", "Daydream", "Gravity", "Satellite",
                 "Lullaby", "Shelter", "Waves", "Echoes", "Crystal", "Undertow")

BRIGHT_EYES_TITLES = [
    "Lua", "Lua (live)", "Lua (demo)", "Lua II", "Lula", "First Day of My Life",
    "The First Day", "First Day", "The First Day of Spring", "Last Day of My Life", "Day of My Life",
    "My First Day Back", "Landlocked Blues", "Landlocked Blues (live)", "Landlocked",
    "Lover I Don't Have to Love", "Lover", "Lovers", "Old Soul Song",
    "Old Soul Song (for the New World Order)",
    "Poison Oak", "Poison Oak (demo)",
    "Road to Joy", "Road to Joy (live)", "The Road", "We Are Nowhere and It's Now", "Nowhere", "Now",
    "At the Bottom of Everything", "Bottom of the Sea", "Train Under Water", "Train", "Trains Under Water",
    "Another Travelin' Song", "Travelin' Song", "Take It Easy (Love Nothing)", "Take It Easy",
    "Easy/Lucky/Free", "Easy Lucky Free (acoustic)", "Arc of Time", "Time Code", "Four Winds",
    "Four Winds (live)",
    "Hit the Switch", "Make a Plan to Love Me", "Cleanse Song", "Classic Cars", "No One Would Riot for Less",
    "If the Brakeman Turns My Way", "Hot Knives", "Middleman", "Coat Check Dream Song",
    "I Must Belong Somewhere",
    "Soul Singer in a Session Band", "Cartoon Blues", "Kathy with a K's Song", "Bowl of Oranges",
    "Bowl of Oranges (live)", "Method Acting", "False Advertising", "You Will. You? Will. You? Will.",
    "Nothing Gets Crossed Out", "Waste of Paint", "From a Balance Beam",
    "Don't Know When but a Day Is Gonna Come",
    "Let's Not Shit Ourselves", "A Perfect Sonnet", "Padraic My Prince", "The Calendar Hung Itself",
    "Something Vague", "An Attempt to Tip the Scales", "A Scale, a Mirror and Those Indifferent Clocks",
    "Haile Selassie", "The Big Picture", "Sunrise, Sunset", "Shell Games", "Jejune Stars", "Ladder Song",
    "Beginner's Mind", "Gold Mine Gutted", "Arienette", "Ship in a Bottle", "Persona Non Grata",
    "Mariana Trench", "Stairwell Song", "Dance and Sing", "Tourist Trap", "Pan and Broom",
]


@dataclass
class SynthTrack:
    path: str
    title: str
    artist: str
    album: str
    album_artist: str
    genre: str
    year: int
    track_no: int
    disc_no: int
    duration: float
    bitrate: int
    format: str
    lyrics: str = ""
    group: str = ""  # songs that are the same recording (duplicates) share a group


@dataclass
class SynthLibrary:
    tracks: list[SynthTrack] = field(default_factory=list)
    albums: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (album, artist) -> indexes
    artists: list[str] = field(default_factory=list)


def _cap(words: str) -> str:
    small = {"a", "an", "the", "of", "in", "on", "to", "and", "for", "at", "by", "with", "from"}
    parts = words.split()
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(parts))


class _Words:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def title(self) -> str:
        r = self.rng
        n, a, v, g = r.choice(NOUNS), r.choice(ADJECTIVES), r.choice(VERBS), r.choice(GERUNDS)
        n2 = r.choice(NOUNS)
        forms = [
            f"{a} {n}", f"the {a} {n}", f"{n} of the {n2}", f"{g} in the {n}",
            f"{g} {r.choice(['through', 'under', 'over', 'past', 'beyond'])} the {n}",
            f"when the {n} {v}s", f"i {v} the {n}", f"don't {v} my {n}", f"{a} {n}s", f"{n}", f"{a}",
            f"{r.choice(PLACES)} {n}", f"{n} in {r.choice(PLACES)}",
            f"{v} {r.choice(['away', 'home', 'slowly', 'again', 'tonight'])}",
            f"{a} {n} {r.choice(['blues', 'song', 'waltz', 'serenade', 'revival'])}", f"the {n} and the {n2}",
            f"all the {a} {n}s", f"{g} {n}s", f"a {n} for {r.choice(FIRST)}", f"{r.choice(FIRST)}'s {n}",
            f"waiting for the {n} at {r.choice(['midnight', 'dawn', 'noon', 'the station', 'the end'])}",
        ]
        weights = [8, 5, 6, 4, 3, 3, 4, 2, 4, 3, 2, 2, 2, 3, 2, 3, 2, 2, 2, 2, 2]
        return _cap(r.choices(forms, weights=weights)[0])

    def artist(self) -> str:
        r = self.rng
        noun, adjective = r.choice(NOUNS), r.choice(ADJECTIVES)
        forms = [f"{r.choice(FIRST)} {r.choice(LAST)}", f"the {noun}s", f"{adjective} {noun}",
                 f"{r.choice(FIRST)} and the {noun}s", f"{r.choice(LAST)}", f"{noun} {r.choice(NOUNS)}",
                 f"{adjective} {noun}s"]
        return _cap(r.choices(forms, weights=[5, 3, 3, 1, 1, 2, 2])[0])

    def album(self) -> str:
        r = self.rng
        noun, other, adjective = r.choice(NOUNS), r.choice(NOUNS), r.choice(ADJECTIVES)
        forms = [f"{adjective} {noun}s", f"the {noun} sessions", f"{noun}", f"songs from the {noun}",
                 f"{r.choice(PLACES)}", f"{noun} and {other}", f"{adjective} {noun}"]
        return _cap(r.choice(forms))

    def line(self, title: str = "") -> str:
        r = self.rng
        forms = [
            f"i {r.choice(VERBS)} the {r.choice(NOUNS)} "
            f"{r.choice(['under', 'over', 'behind', 'beside', 'beyond'])} the "
            f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)}",
            f"you {r.choice(['said', 'swore', 'knew', 'told me', 'promised'])} the {r.choice(NOUNS)} would "
            f"{r.choice(VERBS)} {r.choice(['tonight', 'again', 'forever', 'someday', 'at dawn'])}",
            f"{r.choice(GERUNDS)} down the {r.choice(NOUNS)} with a {r.choice(ADJECTIVES)} {r.choice(NOUNS)} "
            "in my hand",
            f"and every {r.choice(NOUNS)} in {r.choice(PLACES)} was {r.choice(ADJECTIVES)}",
            f"we were {r.choice(ADJECTIVES)} like a {r.choice(NOUNS)} in the {r.choice(NOUNS)}",
            f"there's a {r.choice(ADJECTIVES)} {r.choice(NOUNS)} where the {r.choice(NOUNS)} used to be",
            f"{r.choice(['oh', 'so', 'but', 'and'])} {r.choice(FIRST)} "
            f"{r.choice(['keeps', 'leaves', 'burns', 'paints'])} the "
            f"{r.choice(NOUNS)} {r.choice(ADJECTIVES)}",
        ]
        return r.choice(forms)

    def lyrics(self, title: str) -> str:
        r = self.rng
        verse1 = [self.line() for _ in range(r.randint(3, 5))]
        chorus = [f"{title.lower()}, {title.lower()}", self.line()]
        verse2 = [self.line() for _ in range(r.randint(3, 5))]
        return "\n".join([*verse1, "", *chorus, "", *verse2, "", *chorus])


def generate(n_tracks: int = 10_000, seed: int = 7) -> SynthLibrary:
    """The library (not yet stored): see the module docstring."""
    rng = random.Random(seed)
    words = _Words(rng)
    lib = SynthLibrary()
    used_artists: set[str] = set()

    def add(track: SynthTrack) -> int:
        lib.tracks.append(track)
        lib.albums.setdefault((track.album, track.album_artist), []).append(len(lib.tracks) - 1)
        return len(lib.tracks) - 1

    def album_of(artist: str, album: str, titles: list[str], genre: str, year: int, lyrics_share: float,
                 fmt: str = "mp3") -> list[int]:
        out = []
        for number, title in enumerate(titles, start=1):
            base_len = rng.uniform(140, 330)
            lyrics = words.lyrics(title) if rng.random() < lyrics_share else ""
            out.append(add(SynthTrack(
                path=f"/synthetic/{artist}/{album}/{number:02d} {title}.{fmt}".replace("?", ""),
                title=title, artist=artist, album=album, album_artist=artist, genre=genre, year=year,
                track_no=number, disc_no=1, duration=round(base_len, 1),
                bitrate=320_000 if fmt == "mp3" else 900_000, format=fmt, lyrics=lyrics,
                group=f"{artist}|{title}|{album}")))
        return out

    # -- Bright Eyes: 150+ songs, look-alike titles, a live album, a re-recording -----------------------
    be = "Bright Eyes"
    used_artists.add(be)
    be_titles = list(BRIGHT_EYES_TITLES)
    while len(be_titles) < 150:
        candidate = words.title()
        if candidate not in be_titles:
            be_titles.append(candidate)
    studio = [t for t in be_titles if "(live)" not in t]
    lives = [t for t in be_titles if "(live)" in t]
    albums = ["Lifted or The Story Is in the Soil, Keep Your Ear to the Ground",
              "I'm Wide Awake, It's Morning",
              "Digital Ash in a Digital Urn", "Cassadaga", "Fevers and Mirrors", "Letting Off the Happiness",
              "The People's Key", "Down in the Weeds", "Noise Floor", "A Collection of Songs"]
    per = -(-len(studio) // len(albums))
    for i, album in enumerate(albums):
        chunk = studio[i * per:(i + 1) * per]
        if chunk:
            album_of(be, album, chunk, "indie folk", 1998 + 2 * i, 0.6, fmt="flac" if i % 2 else "mp3")
    encore = [*lives, "Method Acting", "Old Soul Song"]
    album_of(be, "Motion Sickness (Live Recordings)", encore, "indie folk",
             2005, 0.2)
    lib.artists.append(be)

    # -- everyone else -------------------------------------------------------------------------------------
    while len(lib.tracks) < n_tracks:
        artist = words.artist()
        if artist in used_artists or artist.lower() in {t.lower() for t in SHARED_TITLES}:
            continue
        used_artists.add(artist)
        lib.artists.append(artist)
        genre = rng.choice(GENRES)
        year = rng.randint(1965, 2024)
        artist_titles: set[str] = set()
        for _ in range(rng.choices([1, 2, 3, 4], weights=[3, 4, 2, 1])[0]):
            album = words.album()
            if (album, artist) in lib.albums:
                continue
            titles = []
            for _ in range(rng.randint(8, 14)):
                title = rng.choice(SHARED_TITLES) if rng.random() < 0.02 else words.title()
                if title not in artist_titles:
                    artist_titles.add(title)
                    titles.append(title)
            fmt = rng.choice(["mp3", "mp3", "flac", "m4a", "ogg"])
            album_of(artist, album, titles, genre, year, 0.3, fmt=fmt)
            year += rng.randint(1, 4)
        if rng.random() < 0.15 and artist_titles:  # a live album: a few songs again, as "(live)"
            picks = rng.sample(sorted(artist_titles), min(len(artist_titles), rng.randint(3, 6)))
            live = [f"{t} (live)" for t in picks]
            album_of(artist, f"Live in {rng.choice(PLACES)}", live, genre, year, 0.0)
        if rng.random() < 0.05 and artist_titles:  # a re-recording: same title, clearly different length
            title = rng.choice(sorted(artist_titles))
            album_of(artist, f"{words.album()} (Revisited)", [title], genre, year + 1, 0.0)
    # -- compilations: exact copies (same length ± 1 s) of album tracks, in a lower quality ------------
    originals = [i for i, t in enumerate(lib.tracks) if "(live)" not in t.title]
    for number, i in enumerate(rng.sample(originals, max(1, len(lib.tracks) // 60)), start=1):
        t = lib.tracks[i]
        add(SynthTrack(path=f"/synthetic/Compilations/Hits {number // 15}/{number:03d} {t.title}.mp3",
                       title=t.title, artist=t.artist, album=f"Driving Hits Vol. {number // 15 + 1}",
                       album_artist="Various Artists", genre=t.genre, year=2015, track_no=number % 15 + 1,
                       disc_no=1, duration=round(t.duration + rng.uniform(-0.9, 0.9), 1), bitrate=128_000,
                       format="mp3", lyrics=t.lyrics, group=t.group))
    return lib
