"""Audiobooks for the car: an MP3 whose ID3 chapter list (CHAP/CTOC) a player can read back."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from os1.expression.style import SpeechStyle
from os1.skills.documents.audiobook import _audio, _Line, _Mp3Writer, read_chapters, render, write_chapters
from os1.skills.documents.reading_items import ReadItem


def test_render_writes_an_mp3_with_a_chapter_list_a_player_can_read(tmp_path):
    items = [ReadItem("CHAPTER I.", "CHAPTER I.", heading=True),
             ReadItem("It was a bright cold day in April.", "CHAPTER I."),
             ReadItem("CHAPTER II.", "CHAPTER II.", heading=True),
             ReadItem("The clocks were striking thirteen.", "CHAPTER II.")]
    seen: list[tuple[int, int]] = []
    book = render(items, tmp_path / "book.mp3", voice="joe", workers=0, title="Test book",
                  progress=lambda done, total, _s: seen.append((done, total)))
    assert book.voice == "joe" and book.sentences == 4 and seen[-1] == (4, 4)
    info = MP3(book.path).info
    assert info.sample_rate == 22050 and info.channels == 1
    assert abs(info.length - book.seconds) < 0.2 and 4 < book.seconds < 20
    chapters = read_chapters(book.path)  # what a player sees, read back from the file
    assert [title for title, _ in chapters] == ["Chapter 1", "Chapter 2"]
    assert chapters[0][1] == 0.0 and 1.0 < chapters[1][1] < book.seconds - 1.0
    assert chapters[1][1] == pytest.approx(book.chapters[1][1], abs=0.002)
    tags = ID3(book.path)
    toc = tags.getall("CTOC")[0]
    assert toc.flags & 0x01 and toc.flags & 0x02  # ordered, top level
    assert str(tags["TIT2"]) == "Test book"
    from os1.perception.audio import load_audio
    from os1.perception.stt import WhisperSTT

    heard = WhisperSTT().transcribe(load_audio(book.path)).text.lower()  # the MP3 is intelligible speech
    said = {"bright", "cold", "day", "april", "clocks", "were", "striking", "thirteen"}
    assert len(said & set(re.findall(r"[a-z]+", heard))) >= 5, heard  # Piper's voice varies a little


def test_chapter_frames_round_trip_exactly_on_any_mp3(tmp_path):
    path = tmp_path / "tone.mp3"
    writer = _Mp3Writer(path, 22050)
    t = np.arange(22050 * 6) / 22050
    writer.write((np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16))
    writer.close()
    marks = [("Intro", 0.0), ("Middle, with “quotes”", 2.5), ("End", 4.25)]
    write_chapters(path, marks, 6.0)
    assert read_chapters(path) == marks
    assert MP3(path).info.length == pytest.approx(6.0, abs=0.1)


def test_worker_processes_keep_the_sentence_order():
    long = "This sentence is a good deal longer than the ones around it."
    lines = [_Line("Yes.", 0.0, ""), _Line(long, 0.0, ""), _Line("No.", 0.0, "")]
    lengths = [len(a) for a in _audio(lines, "joe", SpeechStyle(), workers=2, batch_chars=1)]  # 3 batches
    assert len(lengths) == 3 and lengths[1] > 2 * lengths[0] and lengths[1] > 2 * lengths[2]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_voices_render_too(tmp_path):
    book = render([ReadItem("Short and sweet.")], tmp_path / "e.mp3", voice="espeak-male", workers=0)
    assert book.voice == "espeak-male" and book.seconds > 0.5
    assert read_chapters(book.path) == [("Start", 0.0)]
    assert not (tmp_path / "e.mp3.part").exists()


def test_nothing_to_read_is_a_clear_error_and_leaves_no_file(tmp_path):
    with pytest.raises(ValueError, match="nothing to read"):
        render([ReadItem("12 14 16 18")], tmp_path / "n.mp3", workers=0)
    assert list(tmp_path.iterdir()) == []
