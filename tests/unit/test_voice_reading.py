"""Reading a document aloud in a spoken conversation: "read it to me", then "skip this part" said over
the reading — real ears and mouth (Silero, Whisper, Piper), the scripted brain."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from os1.core.conversation import Conversation
from os1.perception.audio import SAMPLE_RATE, Audio, resample
from os1.voice import frames as f
from os1.voice.playback import ClockOutput
from os1.voice.session import build_pipeline, feed_audio, load_ears
from tests.e2e.test_documents_skill import BRIDGES, RIVERS, _book
from tests.unit.helpers import make_runtime, run_turn
from tests.voice_fixtures import piper_audio


@pytest.fixture(scope="module")
def ears():  # type: ignore[no-untyped-def]
    from os1.expression.tts import PiperTTS

    loaded = load_ears()
    loaded.tts = PiperTTS(noise_scale=0.0, noise_w_scale=0.0)
    return loaded


def spoken(text: str, lead_s: float = 0.2) -> Audio:
    audio = piper_audio(text)
    samples = resample(audio.samples, audio.rate, SAMPLE_RATE)
    samples = np.concatenate([np.zeros(int(lead_s * SAMPLE_RATE), np.float32), samples])
    return Audio(np.concatenate([samples, np.zeros(-len(samples) % 512, np.float32)]))


async def test_skip_this_part_said_over_the_reading(ears, tmp_path: Path):  # type: ignore[no-untyped-def]
    runtime = make_runtime([])
    runtime.gate.grant(["documents.read"])
    conversation = Conversation.resume_or_start(runtime)
    await run_turn(conversation, f"open {_book(tmp_path)}")

    playing = asyncio.Event()

    def sink(frame: f.Frame) -> None:
        if isinstance(frame, f.ReplyAudio):
            playing.set()

    output = ClockOutput(ears.tts.sample_rate, realtime=True)
    pipeline = build_pipeline(conversation, ears, output, sink=sink)
    pause = Audio(np.zeros(int(0.032 * SAMPLE_RATE), np.float32))

    async def talk(p) -> None:  # type: ignore[no-untyped-def]
        await feed_audio(p, spoken("Read it to me."), realtime=True, tail_s=0.0, end=False)
        for _ in range(400):  # the microphone stays open until OS1 reads
            if playing.is_set():
                break
            await feed_audio(p, pause, realtime=True, tail_s=0.0, end=False)
        await feed_audio(p, Audio(np.zeros(int(14 * SAMPLE_RATE), np.float32)), realtime=True,
                         tail_s=0.0, end=False)  # listen to a few sentences
        await feed_audio(p, spoken("Skip this part."), realtime=True, tail_s=0.0, end=False)
        await feed_audio(p, Audio(np.zeros(int(6 * SAMPLE_RATE), np.float32)), realtime=True, tail_s=0.0)

    await asyncio.wait_for(pipeline.run(talk), 120)

    cuts = [fr for fr in pipeline.output if isinstance(fr, f.Interruption)]
    assert cuts, "saying 'skip this part' over the reading cut it"
    said = [m for m in runtime.store.conversations.messages(conversation.id) if m.role == "assistant"]
    reading = next(m for m in said if m.content.startswith("Reading"))
    assert reading.status == "interrupted" and BRIDGES[0] in reading.content
    assert RIVERS[0] not in reading.content  # only what was heard is kept
    skipped = next(m for m in said if m.content.startswith("Skipping ahead"))
    assert "Chapter 2" in skipped.content or RIVERS[0] in skipped.content
