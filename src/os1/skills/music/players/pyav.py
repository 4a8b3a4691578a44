"""Playing without a player program: PyAV decodes, and the samples go to the sound card.

The sound card is reached the way the voice pipeline reaches it (``sounddevice``, PortAudio); on
a machine without PortAudio or an output device this backend says plainly that there is no audio
output. With ``OS1_AUDIO_OUT=null`` the samples go to a :class:`NullSink` that keeps real time
(decoding really happens; nothing is heard), which is also how this backend is tested.

One decoding thread per track: it reads the file, resamples to 44.1 kHz stereo float, scales by
the volume, and writes blocks to the sink; it waits while paused and returns as soon as the track
is skipped or stopped.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from os1.skills.music.players.base import DEFAULT_VOLUME, Player, PlayerError, PlayerUnavailable, QueueItem

log = logging.getLogger(__name__)

RATE = 44_100
CHANNELS = 2


class Sink:
    """Where decoded samples go: ``write`` blocks about as long as the samples take to play."""

    def write(self, samples: np.ndarray) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Release the device."""


class NullSink(Sink):
    """No sound, real time: a write returns when its samples would have finished playing."""

    def __init__(self, rate: int = RATE) -> None:
        self.rate = rate
        self._due = 0.0

    def write(self, samples: np.ndarray) -> None:
        now = time.monotonic()
        self._due = max(self._due, now) + len(samples) / self.rate
        ahead = self._due - now - 0.2  # keep ~0.2 s buffered, like a sound card
        if ahead > 0:
            time.sleep(ahead)


class SoundDeviceSink(Sink):
    """The default output device through PortAudio (``sounddevice``), as the voice pipeline uses."""

    def __init__(self, rate: int = RATE, device: int | str | None = None) -> None:
        try:
            import sounddevice
        except OSError as exc:  # the Python package is there, the PortAudio library is not
            raise PlayerUnavailable(
                "I can't play music here: there is no audio output (the PortAudio library is missing; "
                "on Debian/Ubuntu install mpv, or libportaudio2).") from exc
        try:
            self._stream = sounddevice.OutputStream(samplerate=rate, channels=CHANNELS, dtype="float32",
                                                    device=device)
            self._stream.start()
        except Exception as exc:
            raise PlayerUnavailable(f"I can't play music here: no audio output ({exc}).") from exc

    def write(self, samples: np.ndarray) -> None:
        self._stream.write(np.ascontiguousarray(samples, dtype=np.float32))

    def close(self) -> None:
        try:
            self._stream.stop()
            self._stream.close()
        except Exception:
            pass


class PyavPlayer(Player):
    backend = "pyav"

    def __init__(self, db: Any = None, volume: int = DEFAULT_VOLUME, sink: Sink | None = None) -> None:
        super().__init__(db, volume)
        self._sink = sink if sink is not None else SoundDeviceSink()
        self._worker: threading.Thread | None = None
        self._halt_flag = threading.Event()
        self._unpaused = threading.Event()
        self._unpaused.set()

    def _start(self, item: QueueItem, generation: int) -> None:
        if not Path(item.path).is_file():
            raise PlayerError(f"{item.path} is not there any more")
        self._halt()
        self._halt_flag = threading.Event()
        self._unpaused.set()
        self._worker = threading.Thread(target=self._play_file, args=(item.path, generation, self._halt_flag),
                                        daemon=True, name="os1-music-decoder")
        self._worker.start()

    def _play_file(self, path: str, generation: int, halt: threading.Event) -> None:
        import av

        error = ""
        try:
            with av.open(path, metadata_errors="ignore") as container:
                if not container.streams.audio:
                    raise PlayerError("the file has no audio")
                stream = container.streams.audio[0]
                resampler = av.AudioResampler(format="flt", layout="stereo", rate=RATE)
                for frame in container.decode(stream):
                    for out in resampler.resample(frame):
                        if not self._write(out.to_ndarray().reshape(-1, CHANNELS), halt):
                            return
                for out in resampler.resample(None):
                    if not self._write(out.to_ndarray().reshape(-1, CHANNELS), halt):
                        return
        except PlayerError as exc:
            error = str(exc)
        except (av.FFmpegError, OSError, ValueError) as exc:
            error = f"the file could not be decoded ({exc})"
        except Exception as exc:  # a device failure mid-track: report it, never kill the thread silently
            log.warning("music playback failed", exc_info=True)
            error = f"playback failed ({exc})"
        if not halt.is_set():
            self._track_finished(generation, error=error)

    def _write(self, block: np.ndarray, halt: threading.Event) -> bool:
        """Write one block, honouring pause and volume; False once the track was halted."""
        while not self._unpaused.wait(0.1):
            if halt.is_set():
                return False
        if halt.is_set():
            return False
        gain = (self._volume / 100.0) ** 2  # perceived loudness is closer to the square
        self._sink.write(block * gain)
        return not halt.is_set()

    def _halt(self) -> None:
        self._halt_flag.set()
        self._unpaused.set()
        worker, self._worker = self._worker, None
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout=0.5)  # it stops after the block it is writing

    def _set_paused(self, paused: bool) -> None:
        if paused:
            self._unpaused.clear()
        else:
            self._unpaused.set()

    def _apply_volume(self, volume: int) -> None:
        """Read by the decoding thread at every block."""

    def _shutdown(self) -> None:
        self._halt()
        self._sink.close()
