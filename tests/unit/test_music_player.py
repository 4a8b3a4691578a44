"""Playback with real audio files through real players (mpv over its IPC socket, and PyAV), silently.

``OS1_AUDIO_OUT=null`` makes mpv decode and play in real time with ``--ao=null`` and the PyAV backend
write to a real-time null sink, so these tests hear nothing but run the real thing. mpv tests skip when
mpv is not installed (CI installs it).
"""

from __future__ import annotations

import os
import shutil
import time

import numpy as np
import pytest
import soundfile as sf

from os1.skills.music import player as music_player
from os1.skills.music.player import PlayerUnavailable, QueueItem, close_player, make_player, player_for
from os1.storage.sqlite import SQLiteStore

RATE = 22_050
HAS_MPV = shutil.which("mpv") is not None
BACKENDS = [pytest.param("mpv", marks=pytest.mark.skipif(not HAS_MPV, reason="mpv is not installed")), "pyav"]


def tone(path, seconds: float, freq: float = 440.0) -> str:
    t = np.arange(int(RATE * seconds)) / RATE
    sf.write(str(path), (0.2 * np.sin(2 * np.pi * freq * t)).astype(np.float32), RATE)
    return str(path)


def wait_for(condition, timeout: float = 8.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture(autouse=True)
def _silent(monkeypatch):
    monkeypatch.setenv("OS1_AUDIO_OUT", "null")
    monkeypatch.delenv("OS1_MUSIC_PLAYER", raising=False)


@pytest.fixture
def db(tmp_path):
    store = SQLiteStore(tmp_path / "os1.db")
    yield store
    store.close()


@pytest.fixture
def songs(tmp_path):
    return {"short": tone(tmp_path / "short.flac", 0.6), "short2": tone(tmp_path / "short2.flac", 0.7, 660),
            "long": tone(tmp_path / "long.flac", 6.0, 330), "junk": _junk(tmp_path / "junk.mp3")}


def _junk(path) -> str:
    path.write_bytes(b"not audio at all " * 100)
    return str(path)


@pytest.fixture(params=BACKENDS)
def make(request, db):
    made = []

    def factory(**kwargs):
        player = make_player(db, backend=request.param, **kwargs)
        made.append(player)
        return player

    yield factory
    for player in made:
        player.close()


def kinds(player) -> list[tuple[str, str]]:
    return [(e.kind, e.item.label) for e in player.history]


def test_a_queue_plays_to_the_end_and_is_recorded(make, songs, db) -> None:
    player = make()
    now = player.play([(1, songs["short"], "one", "calm"), (2, songs["short2"], "two", "calm")])
    assert now.label == "one" and [i.label for i in player.queue()] == ["two"]
    assert player.state()["status"] == "playing"
    assert wait_for(lambda: ("ended", "two") in kinds(player))
    assert kinds(player) == [("started", "one"), ("ended", "one"), ("started", "two"), ("ended", "two")]
    assert player.now_playing() is None and player.state()["status"] == "stopped"
    rows = db.all("SELECT track_id, ended_at IS NOT NULL, played_s, skipped, request FROM music_plays "
                  "ORDER BY id")
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [(1, 1, 0, "calm"), (2, 1, 0, "calm")]
    assert all(0.2 < r[2] < 3.0 for r in rows)


def test_pause_resume_volume_and_skip(make, songs, db) -> None:
    player = make(volume=50)
    events = []
    player.on_event(events.append)
    player.play([QueueItem(7, songs["long"], "long one"), QueueItem(8, songs["short"], "short one")])
    time.sleep(0.4)
    assert player.pause() is True
    paused_at = player.now_playing().position_s
    time.sleep(0.4)
    assert player.state()["status"] == "paused"
    assert player.now_playing().position_s == pytest.approx(paused_at, abs=0.01)
    assert player.resume() is True and player.state()["status"] == "playing"
    assert player.set_volume(30) == 30
    assert player.change_volume(+15) == 45
    assert player.change_volume(-100) == 0 and player.set_volume(140) == 100
    if player.backend == "mpv":
        assert player._command("get_property", "volume") == 100
        assert player._command("get_property", "pause") is False
    now = player.next()
    assert now.label == "short one"
    skipped = [e for e in events if e.kind == "skipped"]
    assert len(skipped) == 1 and skipped[0].item.label == "long one" and 0.3 < skipped[0].played_s < 3.0
    assert wait_for(lambda: ("ended", "short one") in kinds(player))
    assert player.next() is None  # nothing left: silence
    rows = dict(db.all("SELECT track_id, skipped FROM music_plays"))
    assert rows == {7: 1, 8: 0}


def test_a_file_that_cannot_play_is_reported_and_the_queue_goes_on(make, songs) -> None:
    player = make()
    player.play([(1, songs["junk"], "junk"), (2, songs["short"], "fine"), (3, "/no/such/file.flac", "gone")])
    assert wait_for(lambda: ("error", "gone") in kinds(player))
    errors = [e for e in player.history if e.kind == "error"]
    assert [e.item.label for e in errors] == ["junk", "gone"]
    assert "not there any more" in errors[1].message
    assert ("ended", "fine") in kinds(player)
    assert player.now_playing() is None


def test_enqueue_starts_when_idle_and_stop_clears(make, songs, db) -> None:
    player = make()
    assert player.enqueue([(1, songs["long"], "long")]).label == "long"
    player.enqueue([(2, songs["short"], "short")])
    assert [i.label for i in player.queue()] == ["short"]
    time.sleep(0.3)
    player.stop()
    assert player.now_playing() is None and player.queue() == []
    assert kinds(player)[-1] == ("stopped", "long")
    assert db.one("SELECT skipped, ended_at IS NOT NULL FROM music_plays WHERE track_id = 1") == (0, 1)
    time.sleep(0.3)
    assert kinds(player)[-1] == ("stopped", "long")  # nothing more happens after a stop
    assert player.pause() is False and player.resume() is False


def test_playing_something_else_ends_the_current_song_without_calling_it_a_skip(make, songs, db) -> None:
    player = make()
    player.play([(1, songs["long"], "first request")])
    time.sleep(0.2)
    player.play([(2, songs["long"], "second request")])
    assert kinds(player)[:3] == [("started", "first request"), ("stopped", "first request"),
                                 ("started", "second request")]
    assert db.one("SELECT skipped FROM music_plays WHERE track_id = 1") == (0,)


@pytest.mark.skipif(not HAS_MPV, reason="mpv is not installed")
def test_closing_leaves_no_mpv_behind(db, songs) -> None:
    player = make_player(db, backend="mpv")
    player.play([(1, songs["long"], "long")])
    pid = player.pid
    assert pid is not None
    player.close()
    assert wait_for(lambda: not _alive(pid), timeout=3)
    assert player.closed and kinds(player)[-1] == ("stopped", "long")
    with pytest.raises(PlayerUnavailable):
        player.play([(1, songs["short"], "again")])
    player.close()  # twice is fine


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False


class _Runtime:
    def __init__(self, store) -> None:
        self.store = store


def test_one_player_per_runtime_closed_with_it(db, songs) -> None:
    runtime = _Runtime(db)
    player = player_for(runtime)
    assert player_for(runtime) is player
    assert player.backend == ("mpv" if HAS_MPV else "ffplay" if shutil.which("ffplay") else "pyav")
    player.set_volume(35)
    assert db.profile.get("music.volume") == 35  # remembered for next time
    close_player(runtime)
    assert player.closed
    again = player_for(runtime)
    assert again is not player and again.volume == 35
    close_player(runtime)


def test_a_forced_backend_that_cannot_work_says_why(monkeypatch, db) -> None:
    with pytest.raises(PlayerUnavailable, match="not one of"):
        make_player(db, backend="winamp")
    monkeypatch.setattr(music_player.shutil, "which", lambda name: None)
    monkeypatch.delenv("OS1_AUDIO_OUT")
    try:
        import sounddevice  # noqa: F401
    except OSError:  # no PortAudio here: the last resort has no audio output
        with pytest.raises(PlayerUnavailable, match="no audio output"):
            make_player(db)
    else:
        pytest.skip("this machine has PortAudio: the sound card backend works")
