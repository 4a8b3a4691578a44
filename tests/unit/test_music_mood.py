"""Mood requests: what a request asks for, how each track feels, and which songs get picked and why."""

from __future__ import annotations

import json
import time

import pytest

from os1.perception.affect import estimate
from os1.skills.music import mood
from os1.skills.music.mood import catalog, explain, is_mood_request, pick, refresh, target_for
from os1.skills.music.mood_rating import genre_prior, rate, tag_evidence, themes_of
from os1.storage.sqlite import SQLiteStore

TOGETHER = """This is the first day of my life
I swear I was born right in the doorway

Yours is the first face that I saw
I think I was blind before I met you

I'd rather be with you, together, you and me
Holding on, I'll be there, by your side

We will stay, we'll come home, you and I
Lean on me, you're not alone"""
HOLD_ON = """Hold on, hold on to me, I'll be there
We can make it, you and me together

When the night is cold, stay with me
I'll hold you in my arms, we are home

Hold on, you're not alone"""
HEARTBREAK = """I sit alone in an empty room and cry
You left me, goodbye, the tears won't dry

Nobody calls, I'm on my own again
Everything is broken, lost and grey

I miss you, I'm so sad and lonely
The pain won't go away, I'm crying"""
PARTY = """Dance tonight, everybody jump
Party all night on the dance floor

We're so happy, feel the joy tonight
Move your body, it's a celebration"""


def add_track(db: SQLiteStore, title: str, artist: str = "Someone", album: str = "", genre: str = "",
              lyrics: str = "", tags: dict | None = None, path: str | None = None, error: str | None = None,
              duplicate_of: int | None = None, duration: float = 200.0, album_artist: str = "") -> int:
    with db.transaction() as cur:
        cur.execute(
            "INSERT INTO music_tracks(path, size, mtime, format, title, artist, album, album_artist, genre, "
            "duration, lyrics, tags, error, duplicate_of, added_at) "
            "VALUES (?, 1000, 1.0, 'flac', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (path or f"/music/{artist}/{album or 'singles'}/{title}.flac", title, artist, album, album_artist,
             genre, duration, lyrics, json.dumps(tags or {}), error, duplicate_of, time.time()))
        return int(cur.lastrowid)


def build_library(db: SQLiteStore) -> dict[str, int]:
    """A small library with clear moods: a few songs of company, of heartbreak, of energy and of calm."""
    ids = {
        "first day": add_track(db, "First Day of My Life", "Bright Eyes", "I'm Wide Awake", "Indie Folk",
                               TOGETHER),
        "hold on": add_track(db, "Hold On", "Ruth Warm", "Home", "Soul", HOLD_ON),
        "empty room": add_track(db, "Empty Room", "Grey Lines", "Rain", "Slowcore", HEARTBREAK,
                                tags={"mood": "sad"}),
        "rage": add_track(db, "Rage Machine", "Iron Spite", "Fury", "Death Metal",
                          tags={"mood": "aggressive"}),
        "friday": add_track(db, "Friday Lights", "Club Kids", "Nights", "Dance", PARTY),
        "run fast": add_track(db, "Run Fast", "Pulse", "Velocity", "Drum and Bass", tags={"bpm": "174"}),
        "sprint": add_track(db, "Sprint", "Pulse", "Velocity", "EDM",
                            tags={"bpm": "150", "mood": "energetic"}),
        "drift": add_track(db, "Drift", "Still Water", "Tides", "Ambient"),
        "nocturne": add_track(db, "Nocturne in Blue", "Piano Hands", "Night Pieces", "Classical"),
        "blue evening": add_track(db, "Blue Evening", "Lena Voce", "Late", "Vocal Jazz"),
        "sunshine": add_track(db, "Sunshine Day", "Happy Band", "Summer", "Pop", tags={"mood": "happy"}),
        "punk": add_track(db, "Smash It", "The Noise", "Loud", "Punk"),
        "lullaby": add_track(db, "Hush Now", "Still Water", "Sleep", "Lullaby"),
        # never to be picked: unreadable, or a worse copy of another track
        "broken": add_track(db, "Broken Warmth", "Ruth Warm", "Home", "Soul", HOLD_ON, error="truncated"),
    }
    ids["copy"] = add_track(db, "First Day of My Life", "Bright Eyes", "Copies", "Indie Folk", TOGETHER,
                            duplicate_of=ids["first day"], path="/music/copy/first.mp3")
    for n in range(6):  # an album of filler folk, to test variety
        ids[f"folk {n}"] = add_track(db, f"Porch Song {n}", "Porch", "Porch Songs", "Folk")
    return ids


@pytest.fixture
def db(tmp_path):
    store = SQLiteStore(tmp_path / "os1.db")
    yield store
    store.close()


@pytest.fixture
def library(db):
    ids = build_library(db)
    refresh(db, listen=False)
    return ids


# -- what a request asks for -----------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "I'm depressed, can you play something that makes me not feel so alone?",
    "something upbeat for my run", "calm me down", "focus music", "music for a rainy day", "play something",
    "play some music", "put on something chill", "help me sleep", "cheer me up", "play some jazz",
    "I feel lonely tonight, play me a song", "play something sad by Bright Eyes", "songs for the gym",
    "I'm so stressed, put on some music", "music for studying", "angry music please",
])
def test_mood_requests_are_recognised(text: str) -> None:
    assert is_mood_request(text)


@pytest.mark.parametrize("text", [
    "play Lua by Bright Eyes", "play some Bright Eyes", "play Happy by Pharrell Williams",
    "play Lonely by Akon",
    "the third track of Lifted", "play Purple Rain", "wake me up at 7", "I'm so happy", "play the rain song",
    "play something by Bright Eyes", "",
])
def test_requests_by_name_are_not_mood_requests(text: str) -> None:
    assert not is_mood_request(text)


def test_not_feeling_alone_asks_for_warm_gentle_company_not_sadness() -> None:
    target = target_for("I'm depressed, can you play something that makes me not feel so alone?")
    assert target.kind == "comfort"
    assert target.valence > 0 and -0.6 < target.arousal < 0  # gentle, slightly positive: not sad
    assert "together" in target.themes and {"warm", "intimate"} <= set(target.traits)
    assert target.because == "for feeling alone"


@pytest.mark.parametrize(("text", "kind", "check"), [
    ("something upbeat for my run", "energy", lambda t: t.arousal > 0.7 and t.because == "for your run"),
    ("calm me down", "calm", lambda t: t.arousal < -0.5),
    ("I'm so happy, play something", "happy", lambda t: t.valence > 0.6),
    ("focus music", "focus", lambda t: t.instrumental),
    ("music for a rainy day", "rainy", lambda t: t.arousal < 0),
    ("help me sleep", "sleep", lambda t: t.arousal < -0.8),
    ("i'm sad, play something sad", "sad", lambda t: t.valence < 0),  # asked for sad: gets sad
    ("I had a rough day, play something", "uplift", lambda t: t.valence > 0.3),
    ("play some jazz", "any", lambda t: t.genre == "jazz"),
])
def test_requests_map_to_targets(text, kind, check) -> None:
    target = target_for(text)
    assert target.kind == kind
    assert check(target)


def test_the_users_mood_decides_a_plain_request() -> None:
    assert target_for("play something").kind == "any"
    assert target_for("play something", "loneliness").kind == "comfort"
    assert target_for("play something", "nervousness").kind == "calm"
    assert target_for("play some music", "joy").kind == "happy"
    sad = target_for("play something", estimate("I miss her so much, everything feels pointless and sad"))
    assert sad.kind == "uplift" and "down" in sad.because
    # an explicit request wins over the mood, softened: upbeat for someone sad is a little calmer
    upbeat = target_for("play something upbeat", "sadness")
    assert upbeat.kind == "energy" and upbeat.arousal < target_for("play something upbeat").arousal


# -- how a track feels -----------------------------------------------------------------------------
def test_genre_priors() -> None:
    metal, folk, ambient = genre_prior("Death Metal"), genre_prior("Indie Folk"), genre_prior("Ambient")
    assert metal[1] > 0.8 > folk[1] > ambient[1]
    assert "intimate" in folk[2] and "aggressive" in metal[2]
    assert genre_prior("R&B / Soul")[3] in ("r and b", "soul")
    assert genre_prior("Something Unheard Of") is None and genre_prior("") is None


def test_tags_say_mood_and_tempo() -> None:
    evidence = tag_evidence({"mood": "Mellow, Dreamy", "bpm": "72"})
    assert evidence["mood_tag"].valence > 0 and evidence["mood_tag"].arousal < -0.3
    assert evidence["bpm"].arousal < -0.6
    assert tag_evidence({"bpm": "not a number", "comment": "happy"}) == {}


def test_lyrics_move_valence_and_carry_themes() -> None:
    sad = rate("", None, HEARTBREAK, "Empty Room")
    together = rate("", None, TOGETHER, "First Day of My Life")
    party = rate("", None, PARTY, "Friday Lights")
    assert sad.valence < 0 < together.valence
    assert party.valence > sad.valence
    assert sad.themes["heartbreak"] > 0.3 and sad.themes["lonely"] > 0.3
    assert together.themes["together"] > sad.themes["together"]
    assert themes_of("", "Alone Again")["lonely"] > 0


def test_more_evidence_more_confidence() -> None:
    nothing = rate()
    assert (nothing.valence, nothing.arousal) == (0.0, 0.0) and nothing.confidence == 0.0
    genre_only = rate("Folk")
    everything = rate("Folk", {"mood": "calm"}, TOGETHER, "First Day")
    assert 0 < genre_only.confidence < everything.confidence < 1


def test_refresh_rates_every_unrated_track_once(db) -> None:
    ids = build_library(db)
    progress: list[tuple[int, int]] = []
    summary = refresh(db, progress=lambda done, total, path: progress.append((done, total)), listen=False)
    playable = len(ids) - 1  # the unreadable one is left alone
    assert summary.rated == playable and summary.listened == 0 and summary.failed == []
    assert progress[-1] == (playable, playable)
    valence, arousal, features = db.one("SELECT valence, arousal, features FROM music_tracks WHERE id = ?",
                                        (ids["rage"],))
    assert valence < 0 and arousal > 0.7
    stored = json.loads(features)
    assert stored["listened"] is False and "aggressive" in stored["traits"] and "genre" in stored["sources"]
    assert refresh(db, listen=False).rated == 0
    assert "already" in refresh(db, listen=False).text


def test_refresh_listens_to_audio_and_reports_what_it_could_not(db, tmp_path) -> None:
    import numpy as np
    import soundfile as sf

    good = tmp_path / "tone.flac"
    t = np.arange(22_050 * 6) / 22_050
    clicks = 0.3 * np.sin(2 * np.pi * 440 * t) * (np.mod(t, 0.5) < 0.1)
    sf.write(str(good), clicks.astype(np.float32), 22_050)
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    add_track(db, "Tone", genre="Electronic", path=str(good))
    add_track(db, "Nothing", genre="Pop", path=str(empty))
    summary = refresh(db, listen=True)
    assert summary.rated == 2 and summary.listened == 1
    assert summary.failed == [(str(empty), "the file is empty (0 bytes)")]
    assert "Could not listen to 1" in summary.text
    audio = json.loads(db.one("SELECT features FROM music_tracks WHERE title = 'Tone'")[0])["audio"]
    assert audio["tempo"] > 0 and 0 <= audio["energy"] <= 1
    assert refresh(db, listen=True).rated == 0  # a failure is not retried until the file changes


# -- picking ---------------------------------------------------------------------------------------
def test_not_feeling_alone_picks_warm_songs_about_company(db, library) -> None:
    target = target_for("I'm depressed, can you play something that makes me not feel so alone?")
    picks = pick(db, target, count=3, seed=1)
    chosen = [p.track_id for p in picks]
    assert chosen[0] in (library["first day"], library["hold on"])
    assert library["rage"] not in chosen and library["empty room"] not in chosen
    line = explain(picks[0])
    assert line.startswith("It's ") and line.endswith("which seemed right for feeling alone.")
    assert "about being with someone" in line
    assert line.count("\n") == 0


@pytest.mark.parametrize(("text", "wanted"), [
    ("something upbeat for my run", {"run fast", "sprint", "punk", "friday", "rage"}),
    ("calm me down", {"drift", "nocturne", "lullaby", "blue evening"}),
    ("help me sleep", {"lullaby", "drift"}),
    ("play songs to cry to", {"empty room"}),
    ("something happy", {"sunshine", "friday"}),
])
def test_picks_follow_the_request(db, library, text, wanted) -> None:
    top = pick(db, target_for(text), seed=3)[0]
    assert top.track_id in {library[name] for name in wanted}, (text, top.title)


def test_picks_are_varied_and_skip_unplayable_copies(db, library) -> None:
    picks = pick(db, target_for("music for a rainy day"), count=6, seed=2)
    albums = [p.album for p in picks]
    assert albums.count("Porch Songs") <= 2  # not six songs from one album
    everything = pick(db, target_for("play something"), count=50, seed=2)
    chosen = {p.track_id for p in everything}
    assert library["broken"] not in chosen and library["copy"] not in chosen
    assert len(chosen) == len(library) - 2


def test_artist_exclude_and_an_empty_result(db, library) -> None:
    target = target_for("play something")
    picks = pick(db, target, artist="still water", count=5)
    assert {p.artist for p in picks} == {"Still Water"} and len(picks) == 2
    sleep = pick(db, target_for("help me sleep"), artist="Still Water", exclude=[library["lullaby"]])
    assert [p.title for p in sleep] == ["Drift"]
    assert pick(db, target, artist="Nobody We Know") == []
    assert pick(db, target, artist="Ruth Warm", exclude=[library["hold on"]]) == []  # only a broken one left


def test_recently_played_songs_are_held_back(db, library) -> None:
    from os1.skills.music.taste import finish_play, start_play

    target = target_for("I'm depressed, can you play something that makes me not feel so alone?")
    first = pick(db, target, seed=5)[0]
    play = start_play(db, first.track_id, target)
    finish_play(db, play, 200.0, skipped=False)
    again = pick(db, target, seed=5)[0]
    assert again.track_id != first.track_id


def test_genre_requests_prefer_the_genre(db, library) -> None:
    top = pick(db, target_for("play some jazz"), count=1, seed=4)[0]
    assert top.title == "Blue Evening"
    assert "jazz" in explain(top)


def test_picks_work_before_any_rating(db) -> None:
    ids = build_library(db)  # no refresh: genre and tags are read on the fly
    top = pick(db, target_for("something upbeat for my run"), seed=0)[0]
    assert top.track_id in {ids["run fast"], ids["sprint"], ids["punk"], ids["rage"], ids["friday"]}


def test_the_catalogue_is_cached_until_the_library_changes(db, library) -> None:
    first = catalog(db)
    assert catalog(db) is first
    add_track(db, "New Song", genre="Pop")
    second = catalog(db)
    assert second is not first and len(second) == len(first) + 1
    refresh(db, listen=False)
    assert catalog(db) is not second


def test_an_empty_library_gives_no_picks(db) -> None:
    assert pick(db, target_for("calm me down")) == []
    assert refresh(db).rated == 0


def test_a_large_library_is_ranked_in_one_pass(db) -> None:
    genres = ["Folk", "Soul", "Death Metal", "Dance", "Ambient", "Pop", "Classical", "Indie Rock", "Jazz",
              "Punk"]
    with db.transaction() as cur:
        cur.executemany(
            "INSERT INTO music_tracks(path, title, artist, album, genre, added_at) VALUES (?, ?, ?, ?, ?, 0)",
            [(f"/m/{i}.mp3", f"Song {i}", f"Artist {i % 400}", f"Album {i % 900}", genres[i % 10])
             for i in range(3000)])
    summary = refresh(db, listen=False)
    assert summary.rated == 3000
    picks = pick(db, target_for("calm me down"), count=10, seed=0)
    assert len(picks) == 10 and len({p.album for p in picks}) == 10
    assert {p.genre for p in picks} <= {"Ambient", "Classical", "Folk", "Jazz", "Soul"}
    assert mood.catalog(db).valence.shape == (3000,)
