"""Playing through ffplay (FFmpeg's player), one process per track.

ffplay has no control socket, so: a track is a process (``-nodisp -autoexit``) watched by a thread
that reports when it exits by itself; pause and resume are SIGSTOP and SIGCONT; skipping ends the
process. The volume can only be given at start, so a change applies from the next track.
``OS1_AUDIO_OUT=null`` runs it with SDL's dummy audio driver (no sound).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path
from typing import Any

from os1.skills.music.players.base import DEFAULT_VOLUME, Player, PlayerError, PlayerUnavailable, QueueItem
from os1.skills.music.players.mpv import _die_with_parent

log = logging.getLogger(__name__)


class FfplayPlayer(Player):
    backend = "ffplay"

    def __init__(self, db: Any = None, volume: int = DEFAULT_VOLUME, binary: str | None = None,
                 audio_out: str | None = None) -> None:
        super().__init__(db, volume)
        found = binary or shutil.which("ffplay")
        if not found:
            raise PlayerUnavailable("ffplay is not installed (it comes with FFmpeg).")
        self.binary = found
        self.audio_out = audio_out
        self._proc: subprocess.Popen[bytes] | None = None

    def _start(self, item: QueueItem, generation: int) -> None:
        if not Path(item.path).is_file():
            raise PlayerError(f"{item.path} is not there any more")
        self._halt()
        started = threading.Event()
        box: list[Any] = []
        threading.Thread(target=self._watch, args=(item, generation, started, box), daemon=True,
                         name="os1-ffplay").start()
        started.wait(5)
        if not box or isinstance(box[0], BaseException):
            raise PlayerError(f"ffplay could not start ({box[0] if box else 'no answer'})")
        self._proc = box[0]

    def _watch(self, item: QueueItem, generation: int, started: threading.Event, box: list[Any]) -> None:
        """Start ffplay in this thread (its death signal is tied to it) and report how it ended."""
        env = dict(os.environ)
        if self.audio_out == "null":
            env["SDL_AUDIODRIVER"] = "dummy"
        try:
            proc = subprocess.Popen(
                [self.binary, "-nodisp", "-autoexit", "-loglevel", "error", "-volume", str(self._volume),
                 item.path], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                env=env, preexec_fn=_die_with_parent)
        except OSError as exc:
            box.append(exc)
            started.set()
            return
        box.append(proc)
        started.set()
        _out, err = proc.communicate()  # a report about a track skipped since is ignored by the player
        message = "" if proc.returncode == 0 else (
            f"ffplay could not play it ({err.decode(errors='replace').strip()[-200:] or proc.returncode})")
        self._track_finished(generation, error=message)

    def _halt(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGCONT)
                proc.terminate()
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()

    def _set_paused(self, paused: bool) -> None:
        if self._proc is not None and self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.send_signal(signal.SIGSTOP if paused else signal.SIGCONT)

    def _apply_volume(self, volume: int) -> None:
        """ffplay takes the volume only at start: it applies from the next track."""

    def _shutdown(self) -> None:
        self._halt()
