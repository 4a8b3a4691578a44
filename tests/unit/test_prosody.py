"""Prosody: features from synthesized audio (tones, silence, noise, clipping), disfluencies from
transcripts, the Welford baseline, and cues that move against the user's own baseline."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pytest

from os1.perception.audio import Audio
from os1.perception.prosody import (
    FEATURES,
    Baseline,
    ProsodyFeatures,
    Stat,
    cues,
    disfluencies,
    extract,
)

RATE = 16_000


def voice(seconds: float = 2.0, f0: float = 150.0, vibrato_hz: float = 0.0, amplitude: float = 0.3,
          rate: int = RATE) -> np.ndarray:
    """A voiced, speech-like tone (three harmonics); ``vibrato_hz`` makes its pitch waver."""
    t = np.arange(int(rate * seconds)) / rate
    freq = f0 + vibrato_hz * np.sin(2 * np.pi * 5.0 * t)
    phase = 2 * np.pi * np.cumsum(freq) / rate
    wave = np.sin(phase) + 0.5 * np.sin(2 * phase) + 0.25 * np.sin(3 * phase)
    return (amplitude * wave / 1.75).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(RATE * seconds), dtype=np.float32)


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 0.9


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...] = ()
    duration: float = 0.0
    engine: str = "test"


def test_steady_and_wavering_tones_differ_in_pitch_variability():
    steady = extract(Audio(voice(), RATE), None)
    wavering = extract(Audio(voice(vibrato_hz=30.0), RATE), None)
    assert steady.pitch_mean_hz == pytest.approx(150.0, abs=2.0)
    assert wavering.pitch_mean_hz == pytest.approx(150.0, abs=5.0)
    assert steady.pitch_std_hz < 2.0
    assert wavering.pitch_std_hz > 15.0  # ±30 Hz vibrato: std ≈ 21 Hz
    assert steady.energy_db == pytest.approx(wavering.energy_db, abs=1.0)
    assert -25.0 < steady.energy_db < -10.0
    assert steady.pause_ratio == 0.0
    assert steady.voiced_s > 1.8 and steady.duration_s == pytest.approx(2.0)


def test_louder_and_higher_voices_measure_so():
    low = extract(Audio(voice(f0=110.0, amplitude=0.1), RATE), None)
    high = extract(Audio(voice(f0=220.0, amplitude=0.5), RATE), None)
    assert high.pitch_mean_hz > 1.8 * low.pitch_mean_hz
    assert high.energy_db - low.energy_db == pytest.approx(20 * np.log10(5), abs=1.0)


def test_pauses_inside_the_utterance_are_measured_from_energy():
    samples = np.concatenate([voice(1.0), silence(1.0), voice(1.0), silence(0.1), voice(1.0)])
    features = extract(Audio(samples, RATE), None)
    # the one-second gap is a pause; the 0.1 s gap is articulation
    assert features.pause_ratio == pytest.approx(1.0 / 4.1, abs=0.03)


def test_word_timings_give_rate_and_pauses():
    words = (Word("I", 0.0, 0.2), Word("went", 0.25, 0.5), Word("home", 1.5, 1.8), Word("today", 1.85, 2.2))
    features = extract(Audio(voice(2.3), RATE), Transcript("I went home today", words, 2.3))
    assert features.words == 4
    assert features.pause_ratio == pytest.approx(1.0 / 2.2, abs=0.01)  # the 1 s gap after "went"
    assert features.speaking_rate_wps == pytest.approx(4 / 1.2, abs=0.05)  # pauses left out


@pytest.mark.parametrize("samples, why", [
    (silence(2.0), "silence"),
    (np.random.default_rng(0).normal(0, 0.2, RATE * 2).astype(np.float32), "noise"),
    (voice(0.01), "a 10 ms blip"),
    (np.zeros(0, dtype=np.float32), "nothing"),
    (np.full(RATE, np.nan, dtype=np.float32), "NaN samples"),
])
def test_odd_audio_never_raises_and_has_no_pitch(samples, why):
    features = extract(Audio(samples, RATE), Transcript(""))
    assert features.pitch_mean_hz is None, why
    assert features.speaking_rate_wps is None, why
    assert not features.usable, why
    found = cues(features)
    assert found["confidence"] == 0.0 and found["excitement"] == 0.0, why


def test_clipping_still_gives_pitch_and_odd_rates_work():
    clipped = np.clip(voice(amplitude=3.0), -1.0, 1.0)
    features = extract(Audio(clipped, RATE), None)
    assert features.pitch_mean_hz == pytest.approx(150.0, abs=3.0)
    assert features.energy_db > -6.0
    phone = extract(Audio(voice(rate=8000), 8000), None)
    assert phone.pitch_mean_hz == pytest.approx(150.0, abs=3.0)


def test_a_long_monologue_is_analysed_in_bounded_time():
    long = np.tile(voice(2.0, vibrato_hz=10.0), 900)  # 30 minutes
    started = time.perf_counter()
    features = extract(Audio(long, RATE), None)
    assert time.perf_counter() - started < 5.0
    assert features.duration_s == pytest.approx(1800.0)
    assert features.pitch_mean_hz == pytest.approx(150.0, abs=3.0)
    assert any("long input" in note for note in features.notes)


def test_filled_pauses_and_restarts_in_transcripts():
    assert disfluencies("I went to the store and bought bread.") == (0, 0)
    assert disfluencies("Um, I- I think, uh, maybe") == (2, 1)
    assert disfluencies("hmm, so like, I mean, the the thing is") == (3, 1)
    assert disfluencies("I think I think we should go") == (0, 1)
    assert disfluencies("it was very very good, no no, bye bye") == (0, 0)  # repeats that are words
    assert disfluencies("it was, like, really big, you know, huge") == (2, 0)
    assert disfluencies("things I like, such as tea") == (0, 0)  # "like" as a verb is not a filler


def test_welford_baseline_matches_numpy_and_persists_as_rows():
    values = [2.1, 3.4, 2.9, 3.3, 2.5, 3.0]
    stat = Stat()
    for v in values:
        stat.add(v)
    assert stat.mean == pytest.approx(np.mean(values))
    assert stat.m2 / stat.n == pytest.approx(np.var(values))
    base = Baseline()
    for v in values:
        base.update(ProsodyFeatures(speaking_rate_wps=v, words=5, duration_s=2.0))
    again = Baseline(base.to_rows())
    assert again.stats["speaking_rate_wps"].n == 6
    assert again.mean_std("speaking_rate_wps") == base.mean_std("speaking_rate_wps")
    assert again.count == 6 and "pitch_mean_hz" not in base.to_rows()


def test_baseline_leans_on_population_defaults_until_it_has_history():
    empty = Baseline()
    assert empty.mean_std("pitch_mean_hz") == (FEATURES["pitch_mean_hz"][0], FEATURES["pitch_mean_hz"][1])
    base = Baseline()
    for _ in range(50):
        base.update(ProsodyFeatures(pitch_mean_hz=110.0, pitch_std_hz=15.0, duration_s=2.0))
    mean, std = base.mean_std("pitch_mean_hz")
    assert mean == pytest.approx(110.0 + 3 / 53 * 55, abs=0.5)  # the prior's 3 pseudo-utterances
    assert std >= FEATURES["pitch_mean_hz"][2]  # never tighter than the floor


def baseline_of(samples: list[np.ndarray]) -> Baseline:
    base = Baseline()
    for s in samples:
        base.update(extract(Audio(s, RATE), None))
    return base


def test_a_wavering_louder_higher_voice_reads_as_excited_against_a_steady_baseline():
    rng = np.random.default_rng(1)
    usual = baseline_of([voice(f0=float(rng.uniform(145, 155)), vibrato_hz=float(rng.uniform(5, 8)))
                         for _ in range(12)])
    calm = cues(extract(Audio(voice(f0=150.0, vibrato_hz=6.0), RATE), None), usual)
    lively = cues(extract(Audio(voice(f0=185.0, vibrato_hz=40.0, amplitude=0.8), RATE), None), usual)
    assert calm["excitement"] < 0.15 and calm["arousal"] < 0.15
    assert lively["excitement"] > 0.6 and lively["arousal"] > 0.6
    assert lively["excitement"] > lively["fear"]
    assert lively["confidence"] > 0.8  # long enough, full history
    # the same lively voice judged with no history: lower confidence
    stranger = cues(extract(Audio(voice(f0=185.0, vibrato_hz=40.0, amplitude=0.8), RATE), None))
    assert stranger["confidence"] < 0.5


def test_a_quiet_flat_voice_reads_as_subdued():
    usual = baseline_of([voice(vibrato_hz=20.0, amplitude=0.3) for _ in range(10)])
    flat = cues(extract(Audio(voice(f0=140.0, amplitude=0.05), RATE), None), usual)
    assert flat["subdued"] > 0.5 and flat["excitement"] < 0.1


def test_hesitation_from_fillers_restarts_pauses_and_slow_speech():
    fluent = ProsodyFeatures(pitch_mean_hz=150, pitch_std_hz=20, energy_db=-20, speaking_rate_wps=3.3,
                             pause_ratio=0.1, words=10, duration_s=3.0)
    halting = ProsodyFeatures(pitch_mean_hz=150, pitch_std_hz=20, energy_db=-20, speaking_rate_wps=1.8,
                              pause_ratio=0.45, filled_pauses=2, restarts=1, words=10, duration_s=5.0)
    assert cues(fluent)["hesitation"] == 0.0
    found = cues(halting)
    assert found["hesitation"] > 0.7
    assert found["fear"] > cues(fluent)["fear"]
    # someone who always says "um" is less hesitant for saying it again
    habitual = Baseline()
    for _ in range(20):
        habitual.update(ProsodyFeatures(speaking_rate_wps=3.0, pause_ratio=0.2, filled_pauses=2, words=10,
                                        duration_s=3.0))
    assert cues(halting, habitual)["hesitation"] < found["hesitation"]


# -- real speech: Piper speaks, Whisper transcribes, prosody measures ------------------------
def test_real_speech_slow_and_fast_against_the_speakers_own_baseline():
    from os1.expression.style import SpeechStyle
    from os1.expression.tts import PiperTTS
    from os1.perception.audio import resample
    from os1.perception.stt import WhisperSTT

    tts, stt = PiperTTS(noise_scale=0.0, noise_w_scale=0.0), WhisperSTT()  # the same audio every run

    def spoken(text: str, pace: float) -> ProsodyFeatures:
        said = tts.synthesize(text, SpeechStyle(pace=pace))
        audio = Audio(resample(said.samples, said.rate, RATE), RATE)
        return extract(audio, stt.transcribe(audio))

    usual = Baseline()
    for text in ("The weather is lovely today.", "Please remind me to call my mother tomorrow morning.",
                 "I think we should leave a little earlier."):
        features = spoken(text, 1.0)
        assert 60.0 < features.pitch_mean_hz < 200.0  # a low male voice
        assert features.words >= 4 and features.speaking_rate_wps > 2.0
        usual.update(features)
    normal = spoken("I have my interview at nine tomorrow morning.", 1.0)
    slow = spoken("I have my interview at nine tomorrow morning.", 0.6)
    assert slow.speaking_rate_wps < 0.8 * normal.speaking_rate_wps
    assert cues(slow, usual)["hesitation"] > cues(normal, usual)["hesitation"]
    assert cues(normal, usual)["hesitation"] < 0.3
