"""Voice activity detection on real (Piper) speech, silence and noise; fast, and torch-free."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from os1.perception.audio import SAMPLE_RATE, Audio, resample
from os1.perception.vad import FRAME_SAMPLES, VoiceActivityDetector, silero_model_path, speech_segments
from tests.voice_fixtures import silence, speech, speech_16k, white_noise  # noqa: F401 (fixture)


def test_the_silero_model_ships_in_the_package_and_is_used():
    assert silero_model_path() is not None and silero_model_path().suffix == ".onnx"
    assert VoiceActivityDetector().engine == "silero"


def voiced_extent(audio: Audio) -> tuple[float, float]:
    """First and last moment the signal is audible (Piper leaves some silence of its own)."""
    loud = np.flatnonzero(np.abs(audio.samples) > 0.02)
    return loud[0] / audio.rate, loud[-1] / audio.rate


def test_speech_is_found_where_it_is(speech):  # noqa: F811
    audio = speech["forward"]
    segments = speech_segments(audio)
    assert len(segments) == 1
    start, end = segments[0]
    voice_start, voice_end = voiced_extent(audio)
    assert start == pytest.approx(voice_start, abs=0.1)
    assert end == pytest.approx(voice_end, abs=0.15)


def test_two_utterances_apart_are_two_segments_and_close_ones_merge(speech):  # noqa: F811
    a, b = speech["forward"].samples, speech["weather"].samples
    gap = np.zeros(SAMPLE_RATE, np.float32)
    assert len(speech_segments(Audio(np.concatenate([a, gap, b])))) == 2
    assert len(speech_segments(Audio(np.concatenate([a, gap, b])), min_silence_s=3.0)) == 1


def test_silence_and_white_noise_are_not_speech():
    assert speech_segments(silence(2.0)) == []
    assert speech_segments(white_noise(3.0, level=0.2)) == []
    assert speech_segments(Audio(np.zeros(0, np.float32))) == []


def test_streaming_probability_is_stateful_and_reset_restarts_it(speech):  # noqa: F811
    vad = VoiceActivityDetector()
    samples = speech["weather"].samples
    frames = [samples[i:i + FRAME_SAMPLES] for i in range(0, len(samples) - FRAME_SAMPLES, FRAME_SAMPLES)]
    first = [vad.probability(f) for f in frames]
    vad.reset()
    second = [vad.probability(f) for f in frames]
    assert first == pytest.approx(second, abs=1e-6)
    assert max(first) > 0.9 and min(first[:5]) < 0.2  # silence first, then speech
    with pytest.raises(ValueError, match="512 samples"):
        vad.probability(np.zeros(480, np.float32))


def test_other_rates_are_resampled_first(speech):  # noqa: F811
    audio = speech["forward"]
    phone = Audio(resample(audio.samples, SAMPLE_RATE, 8_000), 8_000)
    assert len(speech_segments(phone)) == 1


def test_webrtc_fallback_finds_the_same_speech(speech):  # noqa: F811
    vad = VoiceActivityDetector("webrtc")
    assert vad.engine == "webrtc"
    segments = speech_segments(speech["forward"], detector=vad)
    assert len(segments) == 1
    assert segments[0][0] == pytest.approx(voiced_extent(speech["forward"])[0], abs=0.15)
    assert speech_segments(silence(1.0), detector=vad) == []


def test_a_frame_costs_well_under_two_milliseconds():
    vad = VoiceActivityDetector()
    frame = white_noise(FRAME_SAMPLES / SAMPLE_RATE, level=0.05).samples
    for _ in range(20):
        vad.probability(frame)
    n = 300
    started = time.perf_counter()
    for _ in range(n):
        vad.probability(frame)
    per_frame_ms = (time.perf_counter() - started) / n * 1000
    assert per_frame_ms < 2.0, per_frame_ms


def test_torch_is_never_imported():
    code = ("import sys, numpy as np\n"
            "from os1.perception.vad import VoiceActivityDetector\n"
            "VoiceActivityDetector().probability(np.zeros(512, np.float32))\n"
            "assert 'torch' not in sys.modules and 'silero_vad' not in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_speech_fixture_is_cached():
    assert speech_16k("forward") is speech_16k("forward")
