"""Shared audio for the voice tests: real speech made by the packaged Piper voice, cached per process.

Import the fixtures you need into a test module (``from tests.voice_fixtures import speech``);
the synthesis itself is cached at module level, so importing the same fixture into several
modules still synthesizes each sentence once per test session.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from os1.perception.audio import SAMPLE_RATE, Audio, resample

SENTENCES = {
    "forward": "Go forward ten meters.",
    "weather": "The weather is lovely today.",
    "mother": "Please remind me to call my mother tomorrow morning.",
}


@functools.cache
def piper_audio(text: str) -> Audio:
    """``text`` spoken by Piper joe, at the voice's own rate (22.05 kHz); the same audio every run."""
    from os1.expression.tts import PiperTTS

    return PiperTTS(noise_scale=0.0, noise_w_scale=0.0).synthesize(text)


@functools.cache
def speech_16k(key: str, lead_s: float = 0.3, tail_s: float = 0.5) -> Audio:
    """One of :data:`SENTENCES` at 16 kHz with a little silence either side (as a microphone hears it)."""
    audio = piper_audio(SENTENCES[key])
    samples = resample(audio.samples, audio.rate, SAMPLE_RATE)
    return Audio(np.concatenate([np.zeros(int(lead_s * SAMPLE_RATE), np.float32), samples,
                                 np.zeros(int(tail_s * SAMPLE_RATE), np.float32)]), SAMPLE_RATE)


def silence(seconds: float, rate: int = SAMPLE_RATE) -> Audio:
    return Audio(np.zeros(int(seconds * rate), np.float32), rate)


def white_noise(seconds: float, level: float = 0.1, seed: int = 0) -> Audio:
    rng = np.random.default_rng(seed)
    return Audio(np.clip(rng.normal(0, level, int(seconds * SAMPLE_RATE)), -1, 1).astype(np.float32))


@pytest.fixture(scope="session")
def speech() -> dict[str, Audio]:
    """Every sentence of :data:`SENTENCES` at 16 kHz, keyed like it."""
    return {key: speech_16k(key) for key in SENTENCES}


@pytest.fixture(scope="session")
def whisper():  # type: ignore[no-untyped-def]
    """The whisper engine (the model loads once per process)."""
    from os1.perception.stt import WhisperSTT

    return WhisperSTT()
