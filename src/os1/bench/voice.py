"""``os1 bench voice``: how fast OS1 answers out loud, and how fast it stops when interrupted.

Each run plays a recorded question into the live pipeline in real time (the
embedded stack: Silero VAD, Whisper tiny.en, the embedded brain, Piper) and
times, on the wall clock:

* reply latency: from the end of the user's speech in the recording to the
  first sample of reply audio handed to the output;
* barge-in: a second recording ("wait, stop") starts while OS1 is talking;
  from the onset of that speech to the moment playback is cut.

The questions are spoken by Piper unless recordings are given.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from os1.perception.audio import SAMPLE_RATE, Audio, load_audio, resample
from os1.voice import frames as f

QUESTIONS = (
    "Tell me something nice about the ocean.",
    "What should I cook for dinner tonight?",
    "How do I stay calm before a big meeting?",
    "Can you tell me a short story about a cat?",
)
INTERRUPTION = "Wait, stop, stop."
TICK_S = 0.032


def _speech_bounds(audio: Audio) -> tuple[float, float]:
    from os1.perception.vad import speech_segments

    segments = speech_segments(audio)
    if not segments:
        raise ValueError("no speech found in the recording")
    return segments[0][0], segments[-1][1]


class _LiveFeed:
    """A real-time microphone stand-in: silence, except for clips queued to be 'spoken'."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline
        self._pending = np.zeros(0, dtype=np.float32)
        self._clip_starts: list[tuple[float, float]] = []  # (wall when clip started, its onset offset)
        self.stopped = False
        self.clock = 0.0

    def speak(self, samples: np.ndarray) -> float:
        """Queue a clip; returns the wall time at which its first sample will be fed (approximately)."""
        delay = len(self._pending) / SAMPLE_RATE
        self._pending = np.concatenate([self._pending, samples])
        return time.monotonic() + delay

    async def run(self) -> None:
        step = int(TICK_S * SAMPLE_RATE)
        loop = asyncio.get_running_loop()
        start = loop.time()
        tick = 0
        while not self.stopped:
            if len(self._pending):
                chunk, self._pending = self._pending[:step], self._pending[step:]
                if len(chunk) < step:
                    chunk = np.concatenate([chunk, np.zeros(step - len(chunk), dtype=np.float32)])
            else:
                chunk = np.zeros(step, dtype=np.float32)
            self.pipeline.send(f.AudioIn(chunk, self.clock, time.monotonic()))
            self.clock += TICK_S
            tick += 1
            delay = start + tick * TICK_S - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)


async def _one_run(conversation: Any, ears: Any, question: Audio, q_bounds: tuple[float, float],
                   interruption: Audio, i_bounds: tuple[float, float], timeout: float) -> dict[str, float]:
    from os1.voice.playback import ClockOutput
    from os1.voice.session import build_pipeline

    first_audio = asyncio.Event()
    stopped: list[float] = []
    marks: dict[str, float] = {}

    def sink(frame: f.Frame) -> None:
        if isinstance(frame, f.ReplyAudio) and "first_audio" not in marks:
            marks["first_audio"] = time.monotonic()
            first_audio.set()
        elif isinstance(frame, f.Interruption):
            stopped.append(frame.wall)

    output = ClockOutput(ears.tts.sample_rate, realtime=True)
    pipeline = build_pipeline(conversation, ears, output, sink=sink)
    feed = _LiveFeed(pipeline)
    runner = asyncio.create_task(pipeline.run(lambda p: feed.run()))
    result: dict[str, float] = {}
    try:
        await asyncio.sleep(0.3)
        start_wall = feed.speak(question.samples)
        speech_end = start_wall + q_bounds[1]
        await asyncio.wait_for(first_audio.wait(), timeout)
        result["reply_latency_s"] = marks["first_audio"] - speech_end
        await asyncio.sleep(0.6)  # OS1 is talking now
        if output.played() < output.queued():
            clip_wall = feed.speak(interruption.samples)
            onset = clip_wall + i_bounds[0]
            deadline = time.monotonic() + 5
            while not stopped and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
            if stopped:
                result["bargein_stop_ms"] = max(0.0, (stopped[0] - onset) * 1000)
    finally:
        feed.stopped = True
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
    return result


def run(runs: int = 20, question_path: Path | None = None, interruption_path: Path | None = None,
        progress: Callable[[int, dict[str, float]], None] | None = None) -> dict[str, Any]:
    from os1.bench.core import _prepared_home
    from os1.core.config import load_settings
    from os1.core.conversation import Conversation
    from os1.core.runtime import open_runtime
    from os1.voice.session import load_ears

    home = _prepared_home()
    os.environ["OS1_HOME"] = str(home)
    os.environ.setdefault("OS1_BRAIN", "embedded")
    t0 = time.perf_counter()
    ears = load_ears()
    load_s = time.perf_counter() - t0
    runtime = open_runtime(load_settings())

    def spoken(text: str) -> Audio:
        audio = ears.tts.synthesize(text)
        return Audio(resample(audio.samples, audio.rate, SAMPLE_RATE), SAMPLE_RATE)

    questions = [load_audio(question_path)] if question_path else [spoken(q) for q in QUESTIONS]
    interruption = load_audio(interruption_path) if interruption_path else spoken(INTERRUPTION)
    q_bounds = [_speech_bounds(q) for q in questions]
    i_bounds = _speech_bounds(interruption)
    latencies: list[float] = []
    bargeins: list[float] = []
    try:
        conversation = Conversation.resume_or_start(runtime)
        asyncio.run(_warm(conversation, ears, questions[0], q_bounds[0], interruption, i_bounds))
        for index in range(runs):
            which = index % len(questions)
            result = asyncio.run(_one_run(Conversation.resume_or_start(runtime), ears, questions[which],
                                          q_bounds[which], interruption, i_bounds, timeout=30))
            if "reply_latency_s" in result:
                latencies.append(result["reply_latency_s"])
            if "bargein_stop_ms" in result:
                bargeins.append(result["bargein_stop_ms"])
            if progress:
                progress(index + 1, result)
    finally:
        runtime.close()
    if not latencies:
        raise RuntimeError("no run produced reply audio")
    latencies.sort()
    return {
        "runs": runs,
        "reply_latency_median_s": round(statistics.median(latencies), 3),
        "reply_latency_p95_s": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 3),
        "bargein_stop_ms": round(statistics.median(bargeins), 1) if bargeins else None,
        "bargein_stop_p95_ms": (round(sorted(bargeins)[min(len(bargeins) - 1, int(0.95 * len(bargeins)))], 1)
                                if bargeins else None),
        "bargein_runs": len(bargeins),
        "models_load_s": round(load_s, 2),
        "stack": f"vad={ears.vad.engine} stt={ears.stt.name} tts={ears.tts.name} "
                 f"brain={runtime.brain.name if runtime.brain else 'none'}",
    }


async def _warm(conversation: Any, ears: Any, question: Audio, q_bounds: tuple[float, float],
                interruption: Audio, i_bounds: tuple[float, float]) -> None:
    """One untimed run, so the first timed one doesn't pay for lazy loading."""
    await _one_run(conversation, ears, question, q_bounds, interruption, i_bounds, timeout=60)
