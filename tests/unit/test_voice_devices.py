"""The live microphone and speaker path, with PortAudio replaced by a stand-in sound card.

CI machines have no sound card, so ``sounddevice`` is swapped for a fake module whose streams
call the same callbacks from their own threads in real time: the microphone "hears" a recorded
question, the speaker keeps what it was asked to play.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
import types
from typing import ClassVar

import numpy as np
import pytest

from os1.core.conversation import Conversation
from os1.perception.audio import SAMPLE_RATE, resample
from os1.voice import frames as f
from os1.voice.playback import SpeakerOutput
from os1.voice.session import Microphone, build_pipeline, load_ears
from tests.unit.helpers import make_runtime
from tests.voice_fixtures import piper_audio


class _Stream:
    def __init__(self, samplerate, channels, dtype, device=None, blocksize=512, callback=None,  # type: ignore[no-untyped-def]
                 latency=None) -> None:
        self.rate, self.block, self.callback = int(samplerate), int(blocksize), callback
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)

    def close(self) -> None:
        self.stop()


class FakeInput(_Stream):
    source = np.zeros(0, np.float32)

    def _run(self) -> None:
        position, start = 0, time.monotonic()
        while not self._stop.is_set():
            block = np.zeros((self.block, 1), np.float32)
            piece = self.source[position:position + self.block]
            block[:len(piece), 0] = piece
            position += self.block
            self.callback(block, self.block, None, None)
            time.sleep(max(0.0, start + position / self.rate - time.monotonic()))


class FakeOutput(_Stream):
    played: ClassVar[list[np.ndarray]] = []

    def _run(self) -> None:
        start, done = time.monotonic(), 0
        while not self._stop.is_set():
            out = np.zeros((self.block, 1), np.float32)
            self.callback(out, self.block, None, None)
            FakeOutput.played.append(out[:, 0].copy())
            done += self.block
            time.sleep(max(0.0, start + done / self.rate - time.monotonic()))


@pytest.fixture
def sound_card(monkeypatch):  # type: ignore[no-untyped-def]
    module = types.ModuleType("sounddevice")
    module.InputStream = FakeInput  # type: ignore[attr-defined]
    module.OutputStream = FakeOutput  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sounddevice", module)
    FakeOutput.played = []
    return module


async def test_hands_free_through_a_microphone_and_a_speaker(sound_card):
    question = piper_audio("The weather is lovely today.")
    FakeInput.source = np.concatenate([np.zeros(SAMPLE_RATE // 2, np.float32),
                                       resample(question.samples, question.rate, SAMPLE_RATE)])
    ears = load_ears()
    runtime = make_runtime(["It really is lovely."])
    microphone = Microphone()
    speaker = SpeakerOutput(ears.tts.sample_rate)
    played_to_end = asyncio.Event()

    def sink(frame: f.Frame) -> None:
        if isinstance(frame, f.PlaybackFinished):
            played_to_end.set()

    pipeline = build_pipeline(Conversation.resume_or_start(runtime), ears, speaker, sink=sink)
    stop = asyncio.Event()

    async def listen(p) -> None:  # type: ignore[no-untyped-def]
        task = asyncio.create_task(microphone.run(p, stop))
        await asyncio.wait_for(played_to_end.wait(), 30)
        stop.set()
        await task

    await asyncio.wait_for(pipeline.run(listen), 40)
    assert any(isinstance(fr, f.Heard) and "weather" in fr.text.lower() for fr in pipeline.output)
    sound = np.concatenate(FakeOutput.played)
    assert np.abs(sound).max() > 0.05  # the reply came out of the speaker
    assert speaker.played() == speaker.queued() > ears.tts.sample_rate  # all of it, over a second


def test_a_speaker_cut_stops_at_once_and_counts_only_what_played(sound_card):
    speaker = SpeakerOutput(16_000)
    speaker.write(np.full(16_000 * 3, 0.2, np.float32))
    time.sleep(0.3)
    played = speaker.cut()
    assert 0 < played < 16_000 * 3 and speaker.queued() == played
    before = len(FakeOutput.played)
    time.sleep(0.1)
    after = np.concatenate(FakeOutput.played[before + 1:]) if len(FakeOutput.played) > before + 1 else []
    assert len(after) == 0 or np.abs(after).max() == 0  # silence after the cut
    speaker.close()
