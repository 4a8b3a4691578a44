"""A voice conversation: the pipeline assembled, and the sources that feed it.

``listen → think → speak`` as processors::

    Listener (VAD, STT, prosody, end of turn, barge-in, echo guard)
      → Thinker (the turn loop: care, consent, skills, brain, memory)
      → Sentencer → Voice (text to speech) → Playback (speaker, socket or file)

:func:`feed_audio` plays a recorded question into it (in real time or as fast
as possible); :class:`Microphone` feeds it from the sound card.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from os1.core.conversation import Conversation
from os1.perception.audio import SAMPLE_RATE, Audio
from os1.voice.frames import AudioIn, EndOfStream, Frame
from os1.voice.listener import EchoGuard, Listener
from os1.voice.mouth import Sentencer, Voice
from os1.voice.pipeline import Pipeline
from os1.voice.playback import AudioOutput, Playback
from os1.voice.thinker import Thinker
from os1.voice.turn_end import TurnEndPolicy

log = logging.getLogger(__name__)
CHUNK_S = 0.032
TAIL_S = 1.5  # silence after a recorded question, so its end is heard as the end of a turn


class InputUnavailable(RuntimeError):
    """No microphone (no PortAudio, no input device)."""


@dataclass
class Ears:
    """The models a voice session hears and speaks with (loaded once per process)."""

    vad: Any
    stt: Any
    tts: Any
    prosody: Callable[[Audio, Any], Any] | None = None
    notice: str = ""  # something the user should know (the voice they asked for is not here)


def choose_voice(asked: str | None, configured: str | None, profile_voice: str | None) -> tuple[str, str]:
    """The voice to speak with, and a notice if it is not the one the user chose at first boot.

    An explicit ``--voice`` wins, then ``OS1_VOICE``/config; otherwise the first-boot answer:
    male is Piper joe; female is espeak-ng's female voice until a Piper voice is configured.
    """
    if asked or configured:
        return str(asked or configured), ""
    if (profile_voice or "").lower() == "female":
        import shutil

        if shutil.which("espeak-ng"):
            return "espeak-female", ""
        return "joe", ("You chose a female voice, but no female voice is installed here, so I'm "
                       "speaking with Piper's joe. Install espeak-ng, "
                       "or set OS1_VOICE=piper:/path/to/voice.onnx.")
    return "joe", ""


def load_ears(stt_engine: str = "whisper", voice: str | None = None) -> Ears:
    """Load VAD, speech to text and text to speech; raises their *Unavailable errors clearly."""
    from os1.expression.tts import load_tts
    from os1.perception.stt import load_stt
    from os1.perception.vad import VoiceActivityDetector

    prosody = None
    try:
        from os1.perception.prosody import extract

        prosody = extract
    except ImportError:
        log.info("no prosody features: the voice's feeling is not measured")
    return Ears(VoiceActivityDetector(), load_stt(stt_engine), load_tts(voice), prosody)


def build_pipeline(conversation: Conversation, ears: Ears, output: AudioOutput, *,
                   barge_in: bool = True, policy: TurnEndPolicy | None = None,
                   sink: Callable[[Frame], None] | None = None) -> Pipeline:
    ears.vad.reset()
    playback = Playback(output)
    listener = Listener(ears.vad, ears.stt, policy=policy, echo=EchoGuard(playback.reference),
                        prosody=ears.prosody, hint=lambda: conversation.listening_hint)
    if not barge_in:  # a recorded file is a sequence of turns, not a live conversation
        listener.playing_threshold = 2.0
    thinker = Thinker(conversation)
    # live, a reading comes at speaking pace (no book-length audio buffered); a recording takes it all
    conversation.paced_streams = barge_in
    stages = [listener, thinker, Sentencer(), Voice(ears.tts), playback]
    return Pipeline(stages, sink=sink)


async def feed_audio(pipeline: Pipeline, audio: Audio, *, realtime: bool = False,
                     tail_s: float = TAIL_S, end: bool = True) -> None:
    """Send ``audio`` (then ``tail_s`` of silence) in 32 ms frames; in real time if asked."""
    step = int(CHUNK_S * SAMPLE_RATE)
    samples = np.concatenate([audio.samples.astype(np.float32, copy=False),
                              np.zeros(int(tail_s * SAMPLE_RATE), dtype=np.float32)])
    loop = asyncio.get_running_loop()
    start = loop.time()
    for index, offset in enumerate(range(0, len(samples), step)):
        pipeline.send(AudioIn(samples[offset:offset + step], offset / SAMPLE_RATE, time.monotonic()))
        if realtime:
            delay = start + (index + 1) * CHUNK_S - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
        elif index % 64 == 0:
            await asyncio.sleep(0)
    if end:
        pipeline.send(EndOfStream())


class Microphone:
    """The sound card's input, through PortAudio; frames go into the pipeline as they arrive."""

    def __init__(self, device: int | str | None = None) -> None:
        try:
            import sounddevice
        except OSError as exc:
            raise InputUnavailable(
                "I can't hear you: the PortAudio library is missing "
                "(on Debian/Ubuntu: sudo apt-get install libportaudio2). "
                "You can still talk to me with files: os1 voice --in question.wav --out reply.wav") from exc
        self._sd = sounddevice
        self.device = device
        self._frames: queue.Queue[tuple[float, np.ndarray]] = queue.Queue()
        self.muted = False
        try:
            self._stream = sounddevice.InputStream(
                samplerate=SAMPLE_RATE, channels=1, dtype="float32", device=device,
                blocksize=int(CHUNK_S * SAMPLE_RATE), callback=self._callback)
        except Exception as exc:
            raise InputUnavailable(
                f"I can't open a microphone ({exc}). "
                "Check that `python -m sounddevice` lists one, or use --in/--out files.") from exc

    def _callback(self, indata, _frames, _time, _status) -> None:  # type: ignore[no-untyped-def]
        chunk = np.zeros(len(indata), np.float32) if self.muted else indata[:, 0].copy()
        self._frames.put((time.monotonic(), chunk))

    async def run(self, pipeline: Pipeline, stop: asyncio.Event) -> None:
        self._stream.start()
        clock = 0.0
        try:
            while not stop.is_set():
                try:
                    captured, chunk = await asyncio.to_thread(self._frames.get, True, 0.2)
                except queue.Empty:
                    continue
                pipeline.send(AudioIn(chunk, clock, captured))
                clock += len(chunk) / SAMPLE_RATE
        finally:
            self._stream.stop()
            self._stream.close()
            pipeline.send(EndOfStream())
