"""Listening to audio: tempo, mode, energy and brightness of generated music; bad files never crash."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from os1.skills.music import features
from os1.skills.music.features import analyse, decode_excerpt, key_and_mode, measure

RATE = 22_050
MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)


def _tone(midi: int, seconds: float, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    freq = 440.0 * 2 ** ((midi - 69) / 12)
    return sum(np.sin(2 * np.pi * freq * k * t) / k ** 1.5 for k in range(1, 5)) * np.exp(-3 * t)


def piece(root: int, scale: tuple[int, ...], bpm: float = 100.0, seconds: float = 20.0,
          loudness: float = 0.3) -> np.ndarray:
    """A melody in a key over its root in the bass, one note per beat."""
    beat = 60.0 / bpm
    notes = [0, 2, 4, 2, 0, 4, 2, 4, 0, 1, 2, 3, 4, 5, 6, 7]
    out: list[np.ndarray] = []
    while sum(len(x) for x in out) < seconds * RATE:
        for degree in notes:
            midi = root + scale[degree % 7] + 12 * (degree // 7)
            out.append(loudness * _tone(midi, beat) + 0.6 * loudness * _tone(root - 12, beat))
    return np.concatenate(out)[:int(seconds * RATE)].astype(np.float32)


def write_ogg(path, samples: np.ndarray, rate: int = RATE) -> None:
    # libsndfile's Vorbis encoder can crash on one huge write: write in one-second blocks
    with sf.SoundFile(str(path), "w", rate, 1, format="OGG", subtype="VORBIS") as f:
        for i in range(0, len(samples), rate):
            f.write(samples[i:i + rate])


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    features.warm_up()


def test_major_and_minor_keys_are_told_apart() -> None:
    for root, scale, key, mode in ((60, MAJOR, "C", "major"), (57, MINOR, "A", "minor"),
                                   (55, MAJOR, "G", "major"), (62, MINOR, "D", "minor")):
        found = measure(piece(root, scale, seconds=12))
        assert (found.key, found.mode) == (key, mode)
        assert (found.mode_strength > 0) == (mode == "major")


def test_key_profile_of_a_flat_or_broken_chroma_is_neutral() -> None:
    assert key_and_mode(np.ones(12)) == ("C", "major", 0.0)
    assert key_and_mode(np.full(12, np.nan)) == ("C", "major", 0.0)


def test_tempo_follows_the_beat() -> None:
    slow = measure(piece(60, MAJOR, bpm=80, seconds=15))
    fast = measure(piece(60, MAJOR, bpm=150, seconds=15))
    assert abs(slow.tempo - 80) < 6 or abs(slow.tempo - 160) < 10
    assert abs(fast.tempo - 150) < 8
    assert fast.onset_rate > slow.onset_rate


def test_loud_is_more_energetic_and_noise_is_brighter_than_a_bass_tone() -> None:
    quiet = measure(piece(60, MAJOR, seconds=8, loudness=0.03))
    loud = measure(piece(60, MAJOR, seconds=8, loudness=0.5))
    assert loud.energy > quiet.energy + 0.3
    rng = np.random.default_rng(1)
    hiss = measure((0.2 * rng.normal(size=8 * RATE)).astype(np.float32))
    bass = measure((0.3 * np.sin(2 * np.pi * 80 * np.arange(8 * RATE) / RATE)).astype(np.float32))
    assert hiss.brightness > 0.9 > 0.1 > bass.brightness


def test_an_excerpt_comes_from_the_middle_of_a_long_file(tmp_path) -> None:
    song = np.concatenate([piece(60, MAJOR, seconds=30, loudness=0.02),
                           piece(57, MINOR, seconds=30, loudness=0.4),
                           piece(60, MAJOR, seconds=30, loudness=0.02)])
    path = tmp_path / "long.flac"
    sf.write(str(path), song, RATE)
    samples, offset = decode_excerpt(path, excerpt_s=10)
    assert 39 <= offset <= 41
    assert len(samples) == 10 * RATE
    found, reason = analyse(path, excerpt_s=10)
    assert reason == "" and found is not None
    assert (found.key, found.mode) == ("A", "minor")
    assert found.energy > 0.4  # the loud middle, not the quiet ends


def test_formats_decode_to_the_same_features(tmp_path) -> None:
    music = piece(60, MAJOR, bpm=120, seconds=12)
    sf.write(str(tmp_path / "a.flac"), music, RATE)
    sf.write(str(tmp_path / "a.wav"), np.stack([music, music], axis=1), 44_100)  # stereo, another rate
    write_ogg(tmp_path / "a.ogg", music)
    found = [analyse(tmp_path / name)[0] for name in ("a.flac", "a.wav", "a.ogg")]
    assert all(f is not None for f in found)
    assert {f.mode for f in found} == {"major"}
    assert max(f.tempo for f in found) - min(f.tempo for f in found) < 5
    assert features.AudioFeatures.from_dict(found[0].to_dict()) is not None


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.mp3", b"", "empty (0 bytes)"),
    ("junk.mp3", b"this is not audio at all " * 200, "not a readable audio file"),
    ("missing.flac", None, "cannot read the file"),
])
def test_bad_files_give_none_and_a_reason(tmp_path, name, content, reason) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    found, why = analyse(path)
    assert found is None
    assert reason in why


def test_truncated_and_silent_files_give_none_and_a_reason(tmp_path) -> None:
    whole = tmp_path / "whole.flac"
    sf.write(str(whole), piece(60, MAJOR, seconds=20), RATE)
    cut = tmp_path / "cut.flac"
    cut.write_bytes(whole.read_bytes()[:2500])
    found, why = analyse(cut)
    assert found is None and "truncated" in why
    silent = tmp_path / "silent.wav"
    sf.write(str(silent), np.zeros(5 * RATE, dtype=np.float32), RATE)
    assert analyse(silent) == (None, "the audio is silent")


def test_a_file_cut_halfway_still_gives_what_was_there(tmp_path) -> None:
    whole = tmp_path / "whole.flac"
    sf.write(str(whole), piece(57, MINOR, seconds=30), RATE)
    data = whole.read_bytes()
    half = tmp_path / "half.flac"
    half.write_bytes(data[:len(data) // 2])
    found, why = analyse(half, excerpt_s=10)
    assert why == "" and found is not None
    assert found.mode == "minor"
