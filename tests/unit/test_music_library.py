"""The music library: real audio files of every format read with mutagen, bad ones kept with the reason,
incremental re-scans, moves, duplicates and the names guessed from file names."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from os1.skills.music import library, names, tags
from os1.skills.music.store import MusicStore
from os1.storage.sqlite import SQLiteStore
from tests.fixtures.music.make import Song, song_file
from tests.fixtures.music.make import library as music_folder


@pytest.fixture()
def db(tmp_path: Path):
    store = SQLiteStore(tmp_path / "os1.sqlite")
    yield store
    store.close()


def _rows(db) -> dict[str, dict]:
    cols = ("path", "format", "title", "artist", "album", "track_no", "year", "genre", "duration", "lyrics",
            "tagless", "error", "duplicate_of", "id")
    out = {}
    for row in db.all(f"SELECT {', '.join(cols)} FROM music_tracks"):
        item = dict(zip(cols, row, strict=True))
        out[item["path"].split("/Music/")[1]] = item
    return out


def test_every_format_is_read_with_its_tags_and_lyrics(db, tmp_path: Path) -> None:
    root = music_folder(tmp_path / "Music")
    report = library.scan(db, [root], encoder=False, mood=False)
    assert report.files == 14 and report.added == 14
    rows = _rows(db)
    formats = {rows[p]["format"] for p in rows if rows[p]["error"] is None}
    assert formats == {"flac", "mp3", "ogg", "opus", "m4a"}
    lifted = rows["Bright Eyes/Lifted/03 False Advertising.ogg"]  # Vorbis comments
    assert (lifted["title"], lifted["artist"], lifted["track_no"], lifted["year"], lifted["genre"]) == (
        "False Advertising", "Bright Eyes", 3, 2002, "indie folk")
    assert lifted["album"].startswith("Lifted or The Story")
    assert "lighthouse in a harbor" in lifted["lyrics"]
    lua = rows["Bright Eyes/Wide Awake/02 Lua.mp3"]  # ID3 with USLT lyrics
    assert lua["lyrics"].startswith("so tired of the morning light")
    assert lua["duration"] == pytest.approx(2.0, abs=0.1)
    m4a = rows["Bright Eyes/Lifted/04 Lover I Don't Have to Love.m4a"]  # MP4 atoms
    assert (m4a["title"], m4a["track_no"], m4a["year"]) == ("Lover I Don't Have to Love", 4, 2002)
    opus = rows["Bright Eyes/Wide Awake/01 At the Bottom of Everything.opus"]
    assert opus["album"] == "I'm Wide Awake, It's Morning" and opus["duration"] == pytest.approx(1.0, abs=0.1)


def test_broken_and_tagless_files_are_kept_with_the_reason(db, tmp_path: Path) -> None:
    root = music_folder(tmp_path / "Music")
    report = library.scan(db, [root], encoder=False, mood=False)
    rows = _rows(db)
    assert rows["Unsorted/empty.mp3"]["error"] == "empty file (0 bytes)"
    assert rows["Unsorted/not really.flac"]["error"].startswith("unreadable:")
    assert rows["Unsorted/cut.flac"]["error"].startswith("truncated: the audio stops at 1.")
    tagless = rows["Unsorted/Nina Simone - Sinnerman.mp3"]
    assert (tagless["title"], tagless["artist"], tagless["tagless"], tagless["error"]) == (
        "Sinnerman", "Nina Simone", 1, None)
    assert len(report.unreadable) == 3 and report.tagless == 1
    assert report.other_files == {".jpg": 1}
    text = report.describe()
    assert "3 can't be played" in text and "truncated" in text and "empty file" in text
    summary = MusicStore(db).summary()
    assert summary["unreadable"] == 3 and summary["playable"] == 11


def test_a_rescan_reads_only_what_changed_and_keeps_moved_files(db, tmp_path: Path) -> None:
    root = music_folder(tmp_path / "Music")
    library.scan(db, [root], encoder=False, mood=False)
    store = MusicStore(db)
    before = store.version()
    lua = root / "Bright Eyes" / "Wide Awake" / "02 Lua.mp3"
    lua_id = store.by_path(str(lua)).id
    db.run("UPDATE music_tracks SET valence = 0.5, arousal = 0.1, features_at = 1 WHERE id = ?", (lua_id,))

    again = library.scan(db, [root], encoder=False, mood=False)
    assert (again.added, again.changed, again.unchanged, again.removed) == (0, 0, 14, 0)

    from mutagen.id3 import ID3, TIT2  # retag one file: read again, its mood worked out again
    tags_ = ID3(str(lua))
    tags_.add(TIT2(encoding=3, text=["Lua (radio edit)"]))
    tags_.save(str(lua))
    os.utime(lua, (lua.stat().st_atime, lua.stat().st_mtime + 5))
    (root / "Unsorted" / "empty.mp3").unlink()
    moved = root / "Elsewhere" / "The Big Picture.flac"
    moved.parent.mkdir()
    picture_id = store.by_path(str(root / "Bright Eyes" / "Lifted" / "01 The Big Picture.flac")).id
    shutil.move(root / "Bright Eyes" / "Lifted" / "01 The Big Picture.flac", moved)

    third = library.scan(db, [root], encoder=False, mood=False)
    assert (third.added, third.changed, third.moved, third.removed) == (0, 1, 1, 1)
    assert "1 moved" in third.describe() and "1 gone since last time" in third.describe()
    changed = store.get(lua_id)
    assert changed is not None and changed.title == "Lua (radio edit)" and changed.valence is None
    assert store.by_path(str(moved)).id == picture_id  # the same row: its plays and ratings stay
    assert store.by_path(str(root / "Unsorted" / "empty.mp3")) is None
    assert store.version() > before  # request indexes everywhere know to rebuild


def test_duplicates_point_to_the_better_copy(db, tmp_path: Path) -> None:
    root = tmp_path / "Music"
    song = Song("Lua", "Bright Eyes", "I'm Wide Awake, It's Morning", 2, seconds=2.0)
    song_file(root / "a" / "Lua.mp3", song)
    song_file(root / "b" / "Lua.flac", Song("Lua", "Bright Eyes", "Greatest Hits", 9, seconds=2.0))
    song_file(root / "c" / "Lua (live).mp3", Song("Lua (live)", "Bright Eyes", "Live", 1, seconds=2.0))
    song_file(root / "d" / "Lua.ogg", Song("Lua", "Cat Power", "Covers", 1, seconds=2.0))
    report = library.scan(db, [root], encoder=False, mood=False)
    assert report.duplicates == 1
    store = MusicStore(db)
    mp3 = store.by_path(str(root / "a" / "Lua.mp3"))
    flac = store.by_path(str(root / "b" / "Lua.flac"))
    assert mp3.duplicate_of == flac.id and flac.duplicate_of is None  # lossless wins
    assert store.by_path(str(root / "c" / "Lua (live).mp3")).duplicate_of is None  # another recording
    assert store.by_path(str(root / "d" / "Lua.ogg")).duplicate_of is None  # another artist


def test_a_scan_within_a_time_budget_goes_on_next_time(db, tmp_path: Path) -> None:
    root = music_folder(tmp_path / "Music")
    first = library.scan(db, [root], encoder=False, mood=False, budget_s=0.0)
    assert first.remaining == 14 and "still to read" in first.describe()
    second = library.scan(db, [root], encoder=False, mood=False)
    assert second.added == 14 and MusicStore(db).count() == 14


def test_scan_errors_are_clear(db, tmp_path: Path) -> None:
    with pytest.raises(library.ScanError, match="can't find"):
        library.scan(db, [tmp_path / "nowhere"], encoder=False)
    file = tmp_path / "song.mp3"
    file.write_bytes(b"")
    with pytest.raises(library.ScanError, match="is a file, not a folder"):
        library.scan(db, [file], encoder=False)


def test_the_mood_pass_runs_after_indexing(db, tmp_path: Path) -> None:
    root = music_folder(tmp_path / "Music")
    report = library.scan(db, [root], encoder=False, mood=True, listen=False)
    rated = db.one("SELECT COUNT(*) FROM music_tracks WHERE error IS NULL AND features_at IS NOT NULL")[0]
    assert rated == 11 and report.mood_text


@pytest.mark.parametrize(("name", "expected"), [
    ("03 - Lua.mp3", ("Lua", "", 3)),
    ("Bright Eyes - Lua.flac", ("Lua", "Bright Eyes", None)),
    ("Bright Eyes - 03 - Lua.flac", ("Lua", "Bright Eyes", 3)),
    ("07. First_Day_of_My_Life.ogg", ("First Day of My Life", "", 7)),
    ("1979.mp3", ("1979", "", None)),
])
def test_names_from_file_names(name: str, expected: tuple) -> None:
    assert tags.from_file_name(f"/music/{name}") == expected


def test_names_fold_and_versions() -> None:
    assert names.fold("Beyoncé & Jay-Z") == "beyonce and jay z"
    assert names.fold("Lua II") == "lua 2" and names.fold("Twenty Two") == "22"
    assert names.fold("Don't Stop") == "dont stop"
    assert names.split_title("Lua (Live at Town Hall)") == ("lua", frozenset({"live"}))
    assert names.split_title("Hey Jude - Remastered 2015") == ("hey jude", frozenset())
    assert names.split_title("Stand by Me") == ("stand by me", frozenset())
    assert names.split_title("Dancing with the Stars") == ("dancing with the stars", frozenset())
    assert names.split_title("Crazy (feat. Someone)") == ("crazy", frozenset())
    written = names.written_title("Old Soul Song (for the New World Order)")
    assert written == "old soul song for the new world order"
    assert names.sound("bright eyes") != names.sound("lua")
