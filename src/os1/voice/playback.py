"""Where OS1's voice goes, and what the user has heard of it so far.

An :class:`AudioOutput` plays samples and counts how many have been played:
:class:`SpeakerOutput` through the sound card (``sounddevice``),
:class:`ClockOutput` for a file or a network client (played = real time since
the audio was sent, or everything at once for a file). The :class:`Playback`
stage writes reply audio to one, stops it the instant the user barges in, and
works out which words were heard: whole sentences played, and the played share
of the sentence that was cut.
"""

from __future__ import annotations

import asyncio
import collections
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from os1.perception.audio import SAMPLE_RATE, resample
from os1.voice.frames import EndOfStream, Frame, PlaybackFinished, ReplyAudio, ReplyEnded, ReplyStarted
from os1.voice.pipeline import Processor

REFERENCE_S = 2.0  # how much of what was played the echo guard can compare against


class OutputUnavailable(RuntimeError):
    """No way to play sound (no PortAudio, no output device)."""


class AudioOutput:
    """Base: keeps the count of samples written and a 16 kHz copy of recent audio for the echo guard."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._written = 0
        self._lock = threading.Lock()
        self._reference: collections.deque[np.ndarray] = collections.deque()
        self._reference_len = 0

    def queued(self) -> int:
        return self._written

    def played(self) -> int:
        raise NotImplementedError

    def write(self, samples: np.ndarray) -> None:
        with self._lock:
            self._written += len(samples)
            ref = resample(samples, self.rate, SAMPLE_RATE) if self.rate != SAMPLE_RATE else samples
            self._reference.append(ref.astype(np.float32, copy=False))
            self._reference_len += len(ref)
            keep = REFERENCE_S * 4 * SAMPLE_RATE
            while self._reference and self._reference_len - len(self._reference[0]) > keep:
                self._reference_len -= len(self._reference.popleft())
        self._play(samples)

    def _play(self, samples: np.ndarray) -> None:
        raise NotImplementedError

    def _forget_unplayed(self, unplayed: int) -> None:
        """After a cut: what was never played is not something the microphone can hear back."""
        drop = int(unplayed * SAMPLE_RATE / self.rate)
        with self._lock:
            while drop > 0 and self._reference:
                last = self._reference.pop()
                self._reference_len -= len(last)
                if len(last) > drop:
                    self._reference.append(last[:len(last) - drop])
                    self._reference_len += len(last) - drop
                drop -= len(last)

    def cut(self) -> int:
        """Stop now, dropping what was not played yet; returns how many samples were played."""
        raise NotImplementedError

    def reference(self, n: int, ago_s: float = 0.0) -> np.ndarray | None:
        """The last ``n`` samples (16 kHz) played up to ``ago_s`` seconds ago — what a microphone may
        hear back as echo, including the tail of a sentence that just ended; None if nothing yet."""
        played, queued = self.played(), self.queued()
        with self._lock:
            if not self._reference:
                return None
            history = np.concatenate(list(self._reference))
        end = len(history) - int(max(0, queued - played) * SAMPLE_RATE / self.rate) - int(ago_s * SAMPLE_RATE)
        if end <= 0:
            return None
        return history[max(0, end - n):end]

    def close(self) -> None:
        """Release the device."""


class ClockOutput(AudioOutput):
    """Playback modelled in real time (a network client plays as it receives), or instant (a file).

    Everything played is kept in :attr:`recording` (cut where an interruption stopped it).
    ``send`` (if given) receives each chunk as it is written, e.g. to go out on a socket.
    """

    def __init__(self, rate: int, realtime: bool = True,
                 send: Callable[[np.ndarray], None] | None = None) -> None:
        super().__init__(rate)
        self.realtime = realtime
        self.send = send
        self._chunks: list[np.ndarray] = []
        self._start_wall = 0.0  # when sample 0 of the current stretch would play
        self._start_sample = 0
        self._cut_at: int | None = None

    def played(self) -> int:
        if not self.realtime:
            return self._written
        elapsed = time.monotonic() - self._start_wall
        return min(self._written, self._start_sample + max(0, int(elapsed * self.rate)))

    def _play(self, samples: np.ndarray) -> None:
        before = self._written - len(samples)
        if self.realtime and self.played() >= before:  # the line had gone quiet: a new stretch starts now
            self._start_wall = time.monotonic()
            self._start_sample = before
        self._chunks.append(samples)
        if self.send is not None:
            self.send(samples)

    def cut(self) -> int:
        played = self.played()
        if played >= self._written:
            return played
        self._forget_unplayed(self._written - played)
        self._written = played
        audio = self.recording
        self._chunks = [audio[:played]] if played else []
        return played

    @property
    def recording(self) -> np.ndarray:
        return np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.float32)

    def gap(self, seconds: float) -> None:
        """Silence between replies in a recording (not sent anywhere)."""
        if not self.realtime and seconds > 0:
            self._chunks.append(np.zeros(int(seconds * self.rate), dtype=np.float32))


class SpeakerOutput(AudioOutput):
    """The sound card, through PortAudio (``sounddevice``)."""

    def __init__(self, rate: int, device: int | str | None = None) -> None:
        super().__init__(rate)
        try:
            import sounddevice
        except OSError as exc:  # the Python package is there, the PortAudio library is not
            raise OutputUnavailable(
                "I can't reach a speaker: the PortAudio library is missing "
                "(on Debian/Ubuntu: sudo apt-get install libportaudio2).") from exc
        self._buffer: collections.deque[np.ndarray] = collections.deque()
        self._offset = 0
        self._played = 0
        try:
            self._stream = sounddevice.OutputStream(
                samplerate=rate, channels=1, dtype="float32", device=device, blocksize=512,
                callback=self._callback, latency="low")
            self._stream.start()
        except Exception as exc:
            raise OutputUnavailable(f"I can't open a speaker ({exc}).") from exc

    def _callback(self, outdata, frames, _time, _status) -> None:  # type: ignore[no-untyped-def]
        out = outdata[:, 0]
        filled = 0
        with self._lock:
            while filled < frames and self._buffer:
                head = self._buffer[0]
                take = min(frames - filled, len(head) - self._offset)
                out[filled:filled + take] = head[self._offset:self._offset + take]
                filled += take
                self._offset += take
                if self._offset >= len(head):
                    self._buffer.popleft()
                    self._offset = 0
            self._played += filled
        out[filled:] = 0

    def played(self) -> int:
        return self._played

    def _play(self, samples: np.ndarray) -> None:
        with self._lock:
            self._buffer.append(samples.astype(np.float32, copy=False))

    def cut(self) -> int:
        with self._lock:
            self._buffer.clear()
            self._offset = 0
            unplayed, self._written = self._written - self._played, self._played
        self._forget_unplayed(unplayed)
        return self._played

    def close(self) -> None:
        try:
            self._stream.stop()
            self._stream.close()
        except Exception:
            pass


@dataclass
class _Segment:
    start: int
    end: int
    text: str


def heard_text(segments: list[_Segment], played: int) -> str:
    """Whole sentences played, plus the played share of the words of the one that was cut."""
    words: list[str] = []
    for segment in segments:
        if segment.end <= played:
            words.append(segment.text)
        elif segment.start < played:
            parts = segment.text.split()
            share = (played - segment.start) / max(1, segment.end - segment.start)
            partial = parts[:math.floor(len(parts) * share)]
            if partial:
                words.append(" ".join(partial))
            break
        else:
            break
    return " ".join(words).strip()


class Playback(Processor):
    """ReplyAudio in → the output; stops on a barge-in and reports what was heard."""

    def __init__(self, output: AudioOutput, gap_s: float = 0.4) -> None:
        super().__init__()
        self.output = output
        self.gap_s = gap_s
        self._reply: int | None = None
        self._segments: list[_Segment] = []
        self._cut: set[int] = set()
        self.first_audio_wall: dict[int, float] = {}

    def active_reply(self) -> int | None:
        return self._reply

    async def process(self, frame: Frame) -> None:
        if isinstance(frame, ReplyStarted):
            self._reply = frame.reply_id
            self._segments = []
            await self.push(frame)
        elif isinstance(frame, ReplyAudio):
            if frame.reply_id in self._cut or frame.reply_id != self._reply:
                return
            samples = frame.samples
            if frame.rate != self.output.rate:
                samples = resample(samples, frame.rate, self.output.rate)
            start = self.output.queued()
            self.output.write(samples)
            self.first_audio_wall.setdefault(frame.reply_id, time.monotonic())
            if self._segments and self._segments[-1].text == frame.text:
                self._segments[-1].end = start + len(samples)
            else:
                self._segments.append(_Segment(start, start + len(samples), frame.text))
            await self.push(frame)
        elif isinstance(frame, ReplyEnded):
            await self.push(frame)
            if frame.reply_id == self._reply:
                while self._reply == frame.reply_id and self.output.played() < self.output.queued():
                    await asyncio.sleep(0.01)
                if self._reply == frame.reply_id:  # played to the end (not cut)
                    self._reply = None
                    if isinstance(self.output, ClockOutput):
                        self.output.gap(self.gap_s)
                    if self.pipeline is not None:
                        self.pipeline.notify(PlaybackFinished(frame.reply_id, time.monotonic()))
        elif isinstance(frame, EndOfStream):
            await self.push(frame)
        else:
            await self.push(frame)

    def stop_playback(self, reply_id: int, wall: float) -> str | None:
        if reply_id != self._reply:
            return None
        played = self.output.cut()
        self._cut.add(reply_id)
        self._reply = None
        return heard_text(self._segments, played)

    def reference(self, n: int, ago_s: float = 0.0) -> np.ndarray | None:
        return self.output.reference(n, ago_s)

    async def stop(self) -> None:
        self.output.close()
