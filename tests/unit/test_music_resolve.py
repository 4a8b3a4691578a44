"""Exact music requests: titles, artists, albums, positions, lyrics, typos, mishearings — or a question."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.skills.music import index as music_index
from os1.skills.music import library
from os1.skills.music.phrasing import clean, parse
from os1.skills.music.resolve import choose, resolve, similarity
from os1.skills.music.store import MusicStore, TrackInfo
from os1.storage.sqlite import SQLiteStore

LIFTED = "Lifted or The Story Is in the Soil, Keep Your Ear to the Ground"
AWAKE = "I'm Wide Awake, It's Morning"


def _track(path: str, title: str, artist: str, album: str = "", track_no: int | None = None,
           seconds: float = 200.0, lyrics: str = "", fmt: str = "mp3", bitrate: int = 256_000,
           error: str | None = None) -> TrackInfo:
    return TrackInfo(path=f"/music/{path}.{fmt}", size=int(seconds * bitrate / 8), mtime=0.0, format=fmt,
                     title=title, artist=artist, album=album, album_artist=artist if album else "",
                     track_no=track_no, disc_no=1 if track_no else None, duration=seconds, bitrate=bitrate,
                     lyrics=lyrics, error=error)


LIBRARY = [
    _track("be/lifted/01", "The Big Picture", "Bright Eyes", LIFTED, 1, 523),  # lyrics below are made up
    _track("be/lifted/02", "Method Acting", "Bright Eyes", LIFTED, 2, 211),
    _track("be/lifted/03", "False Advertising", "Bright Eyes", LIFTED, 3, 263,
           lyrics="you are a lighthouse in a harbor of paper\nand the boats keep coming home"),
    _track("be/lifted/04", "Lover I Don't Have to Love", "Bright Eyes", LIFTED, 4, 256),
    _track("be/lifted/05", "Bowl of Oranges", "Bright Eyes", LIFTED, 5, 271),
    _track("be/awake/01", "At the Bottom of Everything", "Bright Eyes", AWAKE, 1, 286),
    _track("be/awake/02", "Lua", "Bright Eyes", AWAKE, 2, 271,
           lyrics="so tired of the morning light\nwe walk the frozen avenue tonight"),
    _track("be/awake/03", "First Day of My Life", "Bright Eyes", AWAKE, 3, 188,
           lyrics="this is the day the sparrows came to the window\ni never knew a morning so kind"),
    _track("be/awake/04", "Lua II", "Bright Eyes", AWAKE, 4, 240),
    _track("be/awake/05", "The First Day", "Bright Eyes", AWAKE, 5, 199),
    _track("be/awake/06", "Landlocked Blues", "Bright Eyes", AWAKE, 6, 345),
    _track("be/live/01", "Lua (live)", "Bright Eyes", "Motion Sickness", 1, 282),
    _track("be/live/02", "Lua (demo)", "Bright Eyes", "Motion Sickness", 2, 250),
    _track("cp/covers/07", "Stay", "Cat Power", "Covers", 7, 201),
    _track("ns/pastel/01", "Stay", "Nina Simone", "Pastel Blues", 1, 189),
    _track("ns/pastel/02", "Sinnerman", "Nina Simone", "Pastel Blues", 2, 620),
    _track("comp/hits/09", "Lua", "Bright Eyes", "Driving Hits", 9, 271.5, fmt="mp3", bitrate=128_000),
    _track("broken/01", "Lost Cause", "Beck", "Sea Change", 1, 300,
           error="truncated: the audio stops at 3 s"),
]


@pytest.fixture()
def db(tmp_path: Path):
    store = SQLiteStore(tmp_path / "music.sqlite")
    MusicStore(store).save(LIBRARY)
    library.mark_duplicates(MusicStore(store))
    MusicStore(store).bump()
    yield store
    music_index.forget(store)
    store.close()


def _one(db, request: str) -> str:
    result = resolve(db, request, encoder=False)
    assert result.kind == "track", (request, result.kind, result.question or result.text)
    return f"{result.tracks[0].title} / {result.tracks[0].artist} / {result.tracks[0].album}"


@pytest.mark.parametrize(("request_", "expected"), [
    ("play Lua by Bright Eyes", f"Lua / Bright Eyes / {AWAKE}"),
    ("Lua", f"Lua / Bright Eyes / {AWAKE}"),  # the studio "Lua", not the live one or the demo
    ("play lua bright eyes", f"Lua / Bright Eyes / {AWAKE}"),
    ("bright eyes lua", f"Lua / Bright Eyes / {AWAKE}"),
    ("play Bright Eyes' Lua please", f"Lua / Bright Eyes / {AWAKE}"),
    ("can you put on First Day of My Life", f"First Day of My Life / Bright Eyes / {AWAKE}"),
    ("play the first day", f"The First Day / Bright Eyes / {AWAKE}"),
    ("play Lua II", f"Lua II / Bright Eyes / {AWAKE}"),
    ("play lua two", f"Lua II / Bright Eyes / {AWAKE}"),  # spoken numbers
    ("the live version of Lua", "Lua (live) / Bright Eyes / Motion Sickness"),
    ("play Lua live", "Lua (live) / Bright Eyes / Motion Sickness"),
    ("Lua (demo) by Bright Eyes", "Lua (demo) / Bright Eyes / Motion Sickness"),
    ("play Lau by Bright Eyes", f"Lua / Bright Eyes / {AWAKE}"),  # typos
    ("play Lua by Brihgt Eyes", f"Lua / Bright Eyes / {AWAKE}"),
    ("play lua by bright ice", f"Lua / Bright Eyes / {AWAKE}"),  # misheard
    ("play landlock blues", f"Landlocked Blues / Bright Eyes / {AWAKE}"),
    ("play Lover I Don't", f"Lover I Don't Have to Love / Bright Eyes / {LIFTED}"),  # partial
    ("play Stay by Nina Simone", "Stay / Nina Simone / Pastel Blues"),
    ("play sinerman", "Sinnerman / Nina Simone / Pastel Blues"),
])
def test_exact_requests(db, request_: str, expected: str) -> None:
    assert _one(db, request_) == expected


@pytest.mark.parametrize(("request_", "title"), [
    ("play the third track of Lifted", "False Advertising"),
    ("track 3 on Lifted", "False Advertising"),
    ("play the first song from I'm Wide Awake", "At the Bottom of Everything"),
    ("the last track on Lifted by Bright Eyes", "Bowl of Oranges"),
    ("song number two on Motion Sickness", "Lua (demo)"),
])
def test_album_positions(db, request_: str, title: str) -> None:
    assert _one(db, request_).startswith(title + " /")


def test_a_position_past_the_end_says_so(db) -> None:
    result = resolve(db, "the ninth track of Motion Sickness", encoder=False)
    assert result.kind == "none" and "more tracks than" in result.text


def test_album_artist_and_lyrics_requests(db) -> None:
    album = resolve(db, "play the album Lifted", encoder=False)
    assert album.kind == "album" and album.album == LIFTED and album.artist == "Bright Eyes"
    assert [t.track_no for t in album.tracks] == [1, 2, 3, 4, 5]
    artist = resolve(db, "play some Bright Eyes", encoder=False)
    assert artist.kind == "artist" and artist.artist == "Bright Eyes"
    assert {t.title for t in artist.tracks} >= {"Lua", "Lua (live)", "The Big Picture"}
    assert "Lost Cause" not in {t.title for t in artist.tracks}
    typo = resolve(db, "something by nina simon", encoder=False)
    assert typo.kind == "artist" and typo.artist == "Nina Simone"
    lyric = resolve(db, "the song that goes the sparrows came to the window", encoder=False)
    assert lyric.kind == "track" and lyric.tracks[0].title == "First Day of My Life"
    assert "sparrows came to the window" in lyric.why
    bare = resolve(db, "play you are a lighthouse in a harbor", encoder=False)  # no "the song that goes"
    assert bare.kind == "track" and bare.tracks[0].title == "False Advertising"
    about = resolve(db, "that song about the first day of my life", encoder=False)
    assert about.kind == "track" and about.tracks[0].title == "First Day of My Life"


def test_meaning_finds_a_paraphrase_with_the_encoder(db) -> None:
    """MiniLM vectors of titles and first lyric lines: "birds at my window" for sparrows at the window."""
    from os1.mind.encoder import Encoder

    encoder = Encoder()
    assert library.embed_missing(MusicStore(db), encoder) == 16  # playable, not duplicates
    result = resolve(db, "that song about little birds at my window in the morning", encoder=encoder)
    assert result.kind == "track" and result.tracks[0].title == "First Day of My Life", result.question


def test_an_ambiguous_request_asks_and_the_answer_picks(db) -> None:
    result = resolve(db, "play Stay", encoder=False)
    assert result.kind == "question"
    assert result.question == "Do you mean “Stay” by Cat Power, or “Stay” by Nina Simone?" or \
        result.question == "Do you mean “Stay” by Nina Simone, or “Stay” by Cat Power?"
    artists = [o.artist for o in result.options]
    assert sorted(artists) == ["Cat Power", "Nina Simone"]
    assert artists[choose(result.options, "the one by Nina Simone")] == "Nina Simone"
    assert artists[choose(result.options, "Cat Power")] == "Cat Power"
    assert choose(result.options, "the second one") == 1
    assert choose(result.options, "2") == 1
    assert choose(result.options, "the first") == 0
    assert choose(result.options, "what's the weather like") is None


def test_versions_are_told_apart_in_a_question(db) -> None:
    result = resolve(db, "Lua from Motion Sickness", encoder=False)  # the live one or the demo?
    assert result.kind == "question" and result.question == "Do you mean “Lua (live)”, or “Lua (demo)”?"
    picked = choose(result.options, "the demo one")
    assert picked is not None and result.options[picked].versions == ["demo"]
    both = resolve(db, "play Lua by Bright Eyes from Motion Sickness", encoder=False)
    assert both.kind == "question" and len(both.options) == 2


def test_duplicates_and_broken_files_are_never_offered(db) -> None:
    result = resolve(db, "Lua by Bright Eyes", encoder=False)
    assert result.kind == "track" and result.tracks[0].album == AWAKE  # the better copy, no question
    broken = resolve(db, "play Lost Cause by Beck", encoder=False)
    assert broken.kind != "track" or broken.tracks[0].title != "Lost Cause"


def test_nothing_like_it_and_an_empty_library(db, tmp_path: Path) -> None:
    none = resolve(db, "play zebra xylophone quartet", encoder=False)
    assert none.kind in ("none", "question")
    empty = SQLiteStore(tmp_path / "empty.sqlite")
    try:
        result = resolve(empty, "play Lua", encoder=False)
        assert result.kind == "none" and "don't know any of your music" in result.text
    finally:
        empty.close()


def test_the_index_follows_the_library(db) -> None:
    assert resolve(db, "play Hit the Switch", encoder=False).kind != "track"
    store = MusicStore(db)
    store.save([_track("be/awake/07", "Hit the Switch", "Bright Eyes", AWAKE, 7, 300)])
    store.bump()  # what a scan does after any change
    assert _one(db, "play Hit the Switch").startswith("Hit the Switch /")


def test_phrasing_and_similarity() -> None:
    assert clean("Hey, can you please play me Lua by Bright Eyes please?") == "Lua by Bright Eyes"
    assert clean("play the song called Lua") == "Lua"
    assert parse("the third track of Lifted").explicit == "position"
    assert parse("play some Bright Eyes").explicit == "artist"
    assert parse("the song that goes hey there").explicit == "about"
    assert parse("put on the whole Lifted album").explicit == "album"
    assert similarity("lua", "lua") == 100
    assert similarity("shining feather", "shining father") < 95  # a near miss stays behind an exact name
    assert similarity("first day", "first day of my life") > similarity("first day", "day of my life")
