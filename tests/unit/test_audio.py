"""Loading audio: every format and rate becomes 16 kHz mono float32; bad files give a clear AudioError."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from os1.perception.audio import (
    SAMPLE_RATE,
    Audio,
    AudioError,
    from_pcm16,
    load_audio,
    resample,
    to_pcm16,
    write_wav,
)


def tone(freq: float = 440.0, seconds: float = 1.0, rate: int = SAMPLE_RATE,
         level: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def dominant_hz(audio: Audio) -> float:
    spectrum = np.abs(np.fft.rfft(audio.samples))
    return float(np.argmax(spectrum) * audio.rate / len(audio.samples))


def test_wav_round_trip_keeps_samples_and_says_nothing_changed(tmp_path):
    path = tmp_path / "a.wav"
    write_wav(path, Audio(tone()))
    audio = load_audio(path)
    assert audio.rate == SAMPLE_RATE and audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert audio.duration == pytest.approx(1.0)
    assert np.max(np.abs(audio.samples - tone())) < 1e-3
    assert audio.notes == ()


def test_stereo_44k_float_wav_becomes_16k_mono_and_notes_say_so(tmp_path):
    path = tmp_path / "stereo.wav"
    left = tone(440, 2.0, 44_100)
    sf.write(path, np.stack([left, left * 0.5], axis=1), 44_100, subtype="FLOAT")
    audio = load_audio(path)
    assert audio.rate == SAMPLE_RATE and audio.duration == pytest.approx(2.0, abs=0.01)
    assert dominant_hz(audio) == pytest.approx(440, abs=2)
    assert float(np.max(np.abs(audio.samples))) == pytest.approx(0.375, abs=0.01)  # the mean of the channels
    assert "mixed 2 channels to mono" in audio.notes
    assert "resampled from 44100 Hz" in audio.notes


@pytest.mark.parametrize(("rate", "subtype", "fmt"), [
    (8_000, "PCM_16", "WAV"),  # telephone
    (48_000, "PCM_24", "WAV"),
    (22_050, "PCM_32", "WAV"),
    (16_000, "PCM_U8", "WAV"),
    (32_000, "PCM_16", "FLAC"),
    (44_100, "VORBIS", "OGG"),
])
def test_formats_and_rates_load_at_16k(tmp_path, rate, subtype, fmt):
    path = tmp_path / f"t.{fmt.lower()}"
    sf.write(path, tone(300, 1.5, rate), rate, subtype=subtype, format=fmt)
    audio = load_audio(path)
    assert audio.rate == SAMPLE_RATE
    assert audio.duration == pytest.approx(1.5, abs=0.02)
    assert dominant_hz(audio) == pytest.approx(300, abs=2)
    assert (f"resampled from {rate} Hz" in audio.notes) == (rate != SAMPLE_RATE)
    assert np.max(np.abs(audio.samples)) <= 1.0


def test_headerless_raw_pcm_files_and_bytes(tmp_path):
    samples = tone(500, 1.0)
    path = tmp_path / "speech.raw"
    path.write_bytes(to_pcm16(samples))
    audio = load_audio(path)
    assert audio.duration == pytest.approx(1.0) and audio.notes == ()
    assert dominant_hz(audio) == pytest.approx(500, abs=2)

    phone = load_audio(to_pcm16(tone(500, 1.0, 8_000)), raw_rate=8_000)
    assert phone.duration == pytest.approx(1.0, abs=0.01)
    assert dominant_hz(phone) == pytest.approx(500, abs=2)
    assert "read as headerless 16-bit PCM at 8000 Hz" in phone.notes
    assert "resampled from 8000 Hz" in phone.notes


def test_wav_bytes_are_decoded_from_memory(tmp_path):
    path = tmp_path / "a.wav"
    write_wav(path, Audio(tone(seconds=0.5)))
    assert load_audio(path.read_bytes()).duration == pytest.approx(0.5)


def test_clipping_is_noted(tmp_path):
    path = tmp_path / "loud.wav"
    write_wav(path, Audio(np.clip(tone(level=3.0), -1, 1)))  # a heavily overdriven tone
    audio = load_audio(path)
    clipped = [n for n in audio.notes if n.endswith("of samples are clipped")]
    assert clipped, audio.notes
    assert 40 < float(clipped[0].split("%")[0]) < 90
    assert any(n.endswith("clipped") for n in load_audio(path, rate=8000).notes)  # measured before resampling


def test_float_beyond_full_scale_is_clipped_and_noted(tmp_path):
    path = tmp_path / "hot.wav"
    sf.write(path, tone(level=1.5), SAMPLE_RATE, subtype="FLOAT")
    audio = load_audio(path)
    assert np.max(np.abs(audio.samples)) <= 1.0
    assert any("beyond full scale" in n for n in audio.notes)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.wav", b"", "is empty"),
    ("notes.wav", b"This is just text, renamed to look like a sound file.\n" * 5, "not audio"),
    ("garbage.wav", bytes(range(256)) * 8, "could not be decoded"),
    ("tiny.raw", b"\x01", "no audio samples"),
    ("words.pcm", b"plain text saved with a raw audio extension\n" * 4, "not audio"),
])
def test_bad_files_raise_a_clear_audio_error_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(AudioError) as error:
        load_audio(path)
    assert name in str(error.value) and message in str(error.value)
    assert "\n" not in str(error.value)


def test_zero_length_wav_missing_file_and_folder(tmp_path):
    path = tmp_path / "zero.wav"
    write_wav(path, Audio(np.zeros(0, np.float32)))
    with pytest.raises(AudioError, match=r"zero\.wav holds no audio samples"):
        load_audio(path)
    with pytest.raises(AudioError, match=r"nowhere\.wav: no such file"):
        load_audio(tmp_path / "nowhere.wav")
    with pytest.raises(AudioError, match="is a folder"):
        load_audio(tmp_path)
    with pytest.raises(AudioError, match="audio data is not audio"):
        load_audio(b"hello, this is text and not sound at all")


def test_pcm16_helpers_round_trip_and_clip():
    samples = np.array([0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0], dtype=np.float32)
    data = to_pcm16(samples)
    assert len(data) == 2 * len(samples)
    back = from_pcm16(data)
    assert back.rate == SAMPLE_RATE
    assert np.allclose(back.samples, np.clip(samples, -1, 1), atol=1e-4)
    assert from_pcm16(data + b"\x00").samples.shape == back.samples.shape  # a stray odd byte is ignored


def test_resample_lengths():
    assert len(resample(tone(seconds=1.0, rate=8_000), 8_000, 16_000)) == 16_000
    assert len(resample(tone(seconds=1.0, rate=48_000), 48_000, 16_000)) == 16_000
    same = tone()
    assert resample(same, SAMPLE_RATE, SAMPLE_RATE) is not None
    with pytest.raises(AudioError):
        resample(same, 0, SAMPLE_RATE)
