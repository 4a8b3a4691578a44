"""The ear of the voice pipeline: voice activity → utterances → transcripts → finished turns.

Audio frames arrive in any chunk size; the listener cuts them into VAD frames
(32 ms), keeps a short pre-roll so the first syllable is never lost, and
follows the user's speech. At each pause it transcribes what was said so far
(in a worker thread, while it keeps listening); the turn ends when the pause
is long enough for what the words sound like (:mod:`os1.voice.turn_end`).

While OS1 is speaking, the user's voice is a barge-in: the pipeline is
interrupted at once. The OS never hears itself: frames that match what is
being played (the echo of a loudspeaker) are ignored, and a transcript that
repeats OS1's own recent words is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import re
import time
from collections import deque
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

import numpy as np

from os1.perception.audio import SAMPLE_RATE, Audio
from os1.voice.frames import AudioIn, EndOfStream, Frame, Heard, Notice, UserPaused, UserSpeaking, UserTurn
from os1.voice.pipeline import Processor
from os1.voice.turn_end import TurnEndPolicy

log = logging.getLogger(__name__)

PREROLL_S = 0.3
# a mic frame this correlated with what is playing is our own voice; another voice, even of the same
# pitch, rarely passes 0.7 on a 32 ms frame (at 0.55 the user's "wait" was taken for echo)
ECHO_CORRELATION = 0.8
ECHO_DELAY_S = 0.3  # the longest trip from the speaker back into the microphone we allow for
_WORDS = re.compile(r"[a-z0-9']+")


def _best_correlation(signal: np.ndarray, frame: np.ndarray) -> float:
    """The highest normalized cross-correlation of ``frame`` against every position in ``signal``."""
    energy = float(np.dot(frame, frame))
    if energy < 1e-8:
        return 1.0  # digital silence while we play: nothing of the user's
    n = len(signal) + len(frame)
    size = 1 << (n - 1).bit_length()
    corr = np.fft.irfft(np.fft.rfft(signal, size) * np.conj(np.fft.rfft(frame, size)), size)
    corr = corr[:len(signal) - len(frame) + 1]
    power = np.concatenate([[0.0], np.cumsum(signal.astype(np.float64) ** 2)])
    windows = power[len(frame):] - power[:-len(frame)]
    score = np.abs(corr) / np.sqrt(np.maximum(windows * energy, 1e-12))
    return float(score.max())


class EchoGuard:
    """Tells our own voice (played out loud, coming back through the microphone) from the user's."""

    def __init__(self, reference: Callable[[int, float], np.ndarray | None] | None = None) -> None:
        # reference(n, ago_s) -> the last n samples (16 kHz) played up to ago_s seconds ago
        self.reference = reference
        self.recent_replies: deque[str] = deque(maxlen=3)

    def is_echo(self, frame: np.ndarray, lag_s: float = 0.0) -> bool:
        """Whether ``frame`` is what we played, heard back. ``lag_s``: how long ago it was captured
        (it may have waited in a queue): the search covers that much recent playback, plus 0.5 s
        for the trip through the air and the sound card."""
        if self.reference is None:
            return False
        window = len(frame) + int((max(0.0, lag_s) + ECHO_DELAY_S) * SAMPLE_RATE)
        played = self.reference(window, 0.0)
        if played is None or len(played) < len(frame):
            return False
        score = _best_correlation(played, frame)
        log.debug("echo check: lag %.3f s, window %d samples, score %.2f", lag_s, window, score)
        return score >= ECHO_CORRELATION

    def repeats_us(self, text: str) -> bool:
        """A transcript that is mostly OS1's own recent words (heard through the speaker)."""
        words = " ".join(_WORDS.findall(text.lower()))
        if len(words) < 8:
            return False
        for reply in self.recent_replies:
            said = " ".join(_WORDS.findall(reply.lower()))
            if words in said:
                return True
            match = SequenceMatcher(None, words, said, autojunk=False).find_longest_match()
            if match.size >= 0.8 * len(words):
                return True
        return False


class Listener(Processor):
    """AudioIn frames in; UserSpeaking, Heard, UserTurn (and barge-in interruptions) out."""

    def __init__(self, vad: Any, stt: Any, *, policy: TurnEndPolicy | None = None,
                 threshold: float = 0.5, onset_frames: int = 2, playing_threshold: float = 0.7,
                 playing_onset_frames: int = 3, echo: EchoGuard | None = None,
                 prosody: Callable[[Audio, Any], Any] | None = None,
                 hint: Callable[[], str] | None = None) -> None:
        super().__init__()
        self.vad = vad
        self.stt = stt
        # what the user is likely to say now ("skip this part" during a reading), for engines that use it
        self.hint = hint if "hint" in inspect.signature(stt.transcribe).parameters else None
        self.policy = policy or TurnEndPolicy()
        self.threshold = threshold
        self.onset_frames = onset_frames
        self.playing_threshold = playing_threshold
        self.playing_onset_frames = playing_onset_frames
        self.echo = echo or EchoGuard()
        self.prosody = prosody
        self.frame_samples: int = int(getattr(vad, "frame_samples", 512))
        self.frame_s = self.frame_samples / SAMPLE_RATE
        self._carry = np.zeros(0, dtype=np.float32)
        self._clock = 0.0  # audio time of the next VAD frame
        self._lag = 0.0  # how long the frame being handled waited since it was captured
        self._preroll: deque[np.ndarray] = deque(maxlen=max(1, round(PREROLL_S / self.frame_s)))
        self._reset_turn()

    def _reset_turn(self) -> None:
        self._speaking = False
        self._voiced_run = 0
        self._silence_s = 0.0
        self._turn: list[np.ndarray] = []  # every frame of the turn so far, pauses included
        self._turn_start = 0.0
        self._last_voiced_wall = 0.0
        self._last_voiced_at = 0.0
        self._in_turn = False
        self._stt_task: asyncio.Task[tuple[str, Any]] | None = None
        self._stt_len = 0  # how many turn frames the running/finished transcription covers

    # -- frames -------------------------------------------------------------
    async def process(self, frame: Frame) -> None:
        if isinstance(frame, AudioIn):
            self._lag = time.monotonic() - frame.wall if frame.wall else 0.0
            samples = np.concatenate([self._carry, frame.samples.astype(np.float32, copy=False)])
            whole = len(samples) // self.frame_samples * self.frame_samples
            self._carry = samples[whole:]
            for start in range(0, whole, self.frame_samples):
                await self._frame(samples[start:start + self.frame_samples])
            return
        if isinstance(frame, EndOfStream):
            if self._in_turn:
                await self._commit()
            await self.push(frame)
            return
        await self.push(frame)

    async def _frame(self, chunk: np.ndarray) -> None:
        at = self._clock
        self._clock += self.frame_s
        playing = self.pipeline.active_reply() if self.pipeline is not None else None
        probability = self.vad.probability(chunk)
        if playing is not None and probability >= self.threshold and self.echo.is_echo(chunk, self._lag):
            probability = 0.0
        threshold = self.playing_threshold if playing is not None else self.threshold
        onset = self.playing_onset_frames if playing is not None else self.onset_frames
        voiced = probability >= threshold
        if not self._speaking:
            self._preroll.append(chunk)
            self._voiced_run = self._voiced_run + 1 if voiced else 0
            if self._voiced_run >= onset:
                await self._speech_started(at - (onset - 1) * self.frame_s, playing)
            elif self._in_turn:
                self._turn.append(chunk)
                self._silence_s += self.frame_s
                await self._maybe_end_turn()
            return
        self._turn.append(chunk)
        if voiced or probability >= threshold - 0.15:
            self._silence_s = 0.0
            self._last_voiced_wall = time.monotonic()
            self._last_voiced_at = at + self.frame_s
        else:
            self._silence_s += self.frame_s
            if self._silence_s >= self.policy.pause_s:
                self._speaking = False
                self._voiced_run = 0
                self._paused()
        if self._in_turn and self._clock - self._turn_start >= self.policy.max_turn_s:
            await self._commit()

    async def _speech_started(self, at: float, playing: int | None) -> None:
        wall = time.monotonic()
        self._speaking = True
        self._silence_s = 0.0
        self._last_voiced_wall = wall
        self._last_voiced_at = self._clock
        if playing is not None and self.pipeline is not None:
            self.pipeline.barge_in(wall)
        if not self._in_turn:
            self._in_turn = True
            self._turn_start = at
            self._turn = list(self._preroll)
        elif self._stt_task is not None:  # they went on talking: what was transcribed is stale
            self._stt_task.cancel()
            self._stt_task = None
        self._preroll.clear()
        await self.push(UserSpeaking(at=at, wall=wall))

    def _paused(self) -> None:
        """A pause: transcribe the turn so far while listening on."""
        audio = np.concatenate(self._turn) if self._turn else np.zeros(0, dtype=np.float32)
        self._stt_len = len(self._turn)
        self._stt_task = asyncio.create_task(asyncio.to_thread(self._transcribe, audio))
        if self.pipeline is not None:
            self.pipeline.collect(UserPaused(audio, self._turn_start, self._last_voiced_at,
                                             self._last_voiced_wall))

    def _transcribe(self, samples: np.ndarray) -> tuple[str, Any]:
        audio = Audio(samples, SAMPLE_RATE)
        hint = self.hint() if self.hint is not None else ""
        transcript = self.stt.transcribe(audio, hint=hint) if hint else self.stt.transcribe(audio)
        features = None
        if self.prosody is not None and not transcript.empty:
            try:
                features = self.prosody(audio, transcript)
            except Exception:  # feeling is a bonus: never lose the words for it
                log.exception("prosody failed")
        return transcript.text.strip(), features

    async def _maybe_end_turn(self) -> None:
        task = self._stt_task
        text = None
        if task is not None and task.done() and not task.cancelled() and task.exception() is None:
            text = task.result()[0]
            if text == "":  # noise, a cough: not a turn
                self._reset_turn()
                return
        if self.policy.ends_turn(self._silence_s, text):
            await self._commit()

    async def _commit(self) -> None:
        """End the turn: wait for (or run) its transcription and pass the words on."""
        if self._stt_task is None or (self._stt_len < len(self._turn) and self._speaking):
            self._paused()
        task = self._stt_task
        speech_end_wall, started, ended = self._last_voiced_wall, self._turn_start, self._last_voiced_at
        self._reset_turn()
        self._preroll.clear()
        if task is None:
            return
        try:
            text, features = await task
        except asyncio.CancelledError:
            return
        except Exception as exc:
            log.exception("transcription failed")
            await self.push(Notice(f"I couldn't make out what you said ({exc}).", "warning"))
            return
        if not text:
            return
        if self.echo.repeats_us(text):
            log.info("dropped a transcript that repeats my own words: %r", text)
            return
        await self.push(Heard(text))
        await self.push(UserTurn(text=text, prosody=features, speech_end_wall=speech_end_wall,
                                 duration_s=max(0.0, ended - started)))

    async def stop(self) -> None:
        if self._stt_task is not None:
            self._stt_task.cancel()
            with contextlib.suppress(BaseException):
                await self._stt_task
