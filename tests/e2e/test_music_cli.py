"""``os1 music`` end to end: the real command, a temporary OS1 home, a small generated music folder played
silently (OS1_AUDIO_OUT=null)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.e2e.cli_helpers import describe, export, run
from tests.fixtures.music.make import library

QUESTION = "Can I look through your music?"


def _music(home: Path, *args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    return run(home, "music", *args, input=input, timeout=120, OS1_AUDIO_OUT="null", OS1_MUSIC_PLAYER="pyav")


def test_help_explains_every_command(tmp_path: Path) -> None:
    proc = _music(tmp_path / "os1", "--help")
    assert proc.returncode == 0, describe(proc)
    for command in ("scan", "status", "find", "play", "history"):
        assert command in proc.stdout
    scan = _music(tmp_path / "os1", "scan", "--help")
    assert "--listen" in scan.stdout and "--yes" in scan.stdout and "Unchanged files" in scan.stdout


def test_scan_find_play_and_history(tmp_path: Path) -> None:
    home = tmp_path / "os1"
    root = library(tmp_path / "Music")

    refused = _music(home, "scan", str(root), input="n\n")
    assert refused.returncode != 0 and QUESTION in refused.stdout, describe(refused)
    assert "won't look" in refused.stderr

    scanned = _music(home, "scan", "--no-meaning", str(root), input="y\n")
    assert scanned.returncode == 0, describe(scanned)
    out = scanned.stdout
    assert "Found 14 music files" in out and "3 can't be played" in out, describe(scanned)
    assert "empty.mp3: empty file (0 bytes)" in out
    assert "cut.flac: truncated: the audio stops at 1." in out
    assert "not really.flac: unreadable" in out
    assert "Not music, left alone: 1 .jpg." in out

    again = _music(home, "scan", "--no-meaning")  # the folders from last time; no question now
    assert again.returncode == 0 and QUESTION not in again.stdout, describe(again)
    assert "(0 new, 14 unchanged)" in again.stdout

    status = _music(home, "status")
    assert "11 songs by 3 artists" in status.stdout and "3 files can't be played" in status.stdout, \
        describe(status)

    found = _music(home, "find", "--no-meaning", "the third track of Lifted")
    assert found.returncode == 0 and "“False Advertising” by Bright Eyes" in found.stdout, describe(found)
    lyric = _music(home, "find", "--no-meaning", "the song that goes the sparrows came to the window")
    assert "“First Day of My Life” by Bright Eyes" in lyric.stdout, describe(lyric)
    ambiguous = _music(home, "find", "--no-meaning", "Lua")
    assert ambiguous.returncode == 2 and "Do you mean" in ambiguous.stdout, describe(ambiguous)
    assert "Cat Power" in ambiguous.stdout and "Bright Eyes" in ambiguous.stdout
    nothing = _music(home, "find", "--no-meaning", "zebra xylophone quartet")
    assert nothing.returncode == 1, describe(nothing)

    played = _music(home, "play", "--no-meaning", "First Day of My Life")
    assert played.returncode == 0, describe(played)
    assert "▶ “First Day of My Life” by Bright Eyes" in played.stdout
    chosen = _music(home, "play", "--no-meaning", "Lua", input="the one by Cat Power\n")
    assert chosen.returncode == 0 and "▶ “Lua” by Cat Power" in chosen.stdout, describe(chosen)

    history = _music(home, "history")
    lines = history.stdout.splitlines()
    assert "“Lua” by Cat Power" in lines[0] and "“First Day of My Life” by Bright Eyes" in lines[1], \
        describe(history)

    data = export(home).tables  # the user's data export: plain data, the cached vectors left out
    assert {t["title"] for t in data["music_tracks"]} >= {"Lua", "First Day of My Life"}
    assert all("embedding" not in t for t in data["music_tracks"])
    assert [r["path"] for r in data["music_roots"]] == [str(root.resolve())]
    assert len(data["music_plays"]) == 2
