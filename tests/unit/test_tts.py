"""Text to speech: Piper joe speaks in the turn's style; espeak-ng voices; clear errors for missing voices."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from os1.expression.style import SpeechStyle
from os1.expression.tts import EspeakTTS, PiperTTS, TTSUnavailable, load_tts
from os1.perception.audio import SAMPLE_RATE, Audio, clipped_fraction, resample
from tests.voice_fixtures import whisper  # noqa: F401 (fixture)

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed (apt-get install espeak-ng)")


@pytest.fixture(scope="module")
def piper() -> PiperTTS:
    return PiperTTS(noise_scale=0.0, noise_w_scale=0.0)  # the same audio every run


def trailing_silence_s(audio: Audio) -> float:
    loud = np.flatnonzero(np.abs(audio.samples) > 0.01)
    return (len(audio.samples) - 1 - loud[-1]) / audio.rate


def heard(audio: Audio, stt) -> str:  # type: ignore[no-untyped-def]
    return stt.transcribe(Audio(resample(audio.samples, audio.rate, SAMPLE_RATE))).text.lower()


def test_piper_speaks_the_text_at_its_own_rate_without_clipping(piper, whisper):  # noqa: F811
    audio = piper.synthesize("The weather is lovely today.")
    assert piper.name == "piper:joe" and audio.rate == piper.sample_rate == 22050
    assert audio.samples.dtype == np.float32 and 1.0 < audio.duration < 4.0
    assert clipped_fraction(audio.samples) == 0 and np.max(np.abs(audio.samples)) <= 0.86
    said = heard(audio, whisper)
    assert "weather" in said and "lovely today" in said  # ("the weather's lovely today" is right too)


def test_style_sets_pace_and_the_pause_after_each_sentence(piper):
    text = "I'm here. Take your time, there is no hurry at all."
    plain = list(piper.stream(text, SpeechStyle(pace=1.0, pause_s=0.0)))
    paused = list(piper.stream(text, SpeechStyle(pace=1.0, pause_s=0.5)))
    assert len(plain) == len(paused) == 2
    assert all(trailing_silence_s(p) < 0.3 for p in plain)  # Piper's own ending only
    assert all(0.5 <= trailing_silence_s(p) < 0.8 for p in paused)  # plus the style's pause
    normal = piper.synthesize(text, SpeechStyle(pace=1.0, pause_s=0.0))
    slow = piper.synthesize(text, SpeechStyle(pace=0.7, pause_s=0.0))
    assert slow.duration > normal.duration * 1.15  # length scale 1/0.7 (durations are a little random)


def test_stream_yields_one_audio_per_sentence_and_markdown_is_not_read(piper):
    parts = list(piper.stream("**First** sentence. Second one! Third?", SpeechStyle(pause_s=0.1)))
    assert len(parts) == 3 and all(p.rate == 22050 and p.duration > 0.3 for p in parts)
    assert piper.synthesize("").samples.shape == (0,)
    assert piper.synthesize("** `` --").duration == 0.0


def test_the_voice_loads_once_per_process(piper):
    assert PiperTTS().voice is piper.voice
    assert load_tts().name == "piper:joe" and load_tts("male").name == "piper:joe"


@needs_espeak
def test_espeak_female_and_male_voices_speak(whisper):  # noqa: F811
    for name in ("espeak-female", "espeak-male"):
        voice = load_tts(name)
        assert isinstance(voice, EspeakTTS) and voice.name == name
        audio = voice.synthesize("Please remind me to call my mother tomorrow.")
        assert audio.rate == 22050 and 1.5 < audio.duration < 6.0
        assert "call my mother" in heard(audio, whisper)
    assert load_tts("female").name == "espeak-female"


@needs_espeak
def test_espeak_ssml_carries_the_style_and_escapes_the_text():
    voice = load_tts("espeak:en-us")
    ssml = voice.ssml("Tom & Jerry <3", SpeechStyle(pace=0.8, warmth=1.0))
    assert 'rate="80%"' in ssml and 'pitch="-5%"' in ssml and "Tom &amp; Jerry &lt;3" in ssml
    fast = voice.synthesize("One two three four five.", SpeechStyle(pace=1.5, pause_s=0))
    slow = voice.synthesize("One two three four five.", SpeechStyle(pace=0.7, pause_s=0))
    assert slow.duration > fast.duration * 1.5
    assert voice.synthesize("Tom & Jerry <3 > 2.").duration > 0.5


@needs_espeak
def test_an_unknown_espeak_voice_is_a_clear_error():
    with pytest.raises(TTSUnavailable, match="no voice 'xx-nonexistent'"):
        load_tts("espeak:xx-nonexistent")


def test_missing_espeak_binary_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(TTSUnavailable, match="apt-get install espeak-ng"):
        load_tts("espeak-female")


def test_an_unknown_voice_name_is_a_clear_error():
    with pytest.raises(TTSUnavailable, match="unknown voice 'robot'"):
        load_tts("robot")
