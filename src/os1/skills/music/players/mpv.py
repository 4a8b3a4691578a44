"""Playing through mpv, driven over its JSON IPC socket (``--input-ipc-server``).

One ``mpv --idle`` process per player, started on the first track. A reader thread owns the
process (it starts it, reads the socket, and is the thread whose death ends mpv on Linux through
``PR_SET_PDEATHSIG``, so a killed OS1 leaves no mpv behind); it hands replies to the waiting
command and events to a dispatcher thread, which reports finished tracks to the player. The
queue stays in :class:`~os1.skills.music.players.base.Player`: mpv is given one file at a time
(``loadfile … replace``), and its ``end-file`` event (reason ``eof`` or ``error``) for the
playlist entry of the current track moves the queue on.

``OS1_AUDIO_OUT=null`` plays with ``--ao=null``: real decoding in real time, no sound (tests,
headless machines).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from os1.skills.music.players.base import DEFAULT_VOLUME, Player, PlayerError, PlayerUnavailable, QueueItem

log = logging.getLogger(__name__)

START_TIMEOUT_S = 10.0
REPLY_TIMEOUT_S = 5.0


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: mpv gets SIGTERM when the thread that started it (the reader) dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class MpvPlayer(Player):
    backend = "mpv"

    def __init__(self, db: Any = None, volume: int = DEFAULT_VOLUME, binary: str | None = None,
                 audio_out: str | None = None) -> None:
        super().__init__(db, volume)
        found = binary or shutil.which("mpv")
        if not found:
            raise PlayerUnavailable("mpv is not installed (on Debian/Ubuntu: sudo apt-get install mpv).")
        self.binary = found
        self.audio_out = audio_out
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._dir: str | None = None
        self._ready = threading.Event()
        self._start_error = ""
        self._reader: threading.Thread | None = None
        self._dispatcher: threading.Thread | None = None
        self._events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._replies: dict[int, tuple[threading.Event, list[dict[str, Any]]]] = {}
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._entries: dict[int, int] = {}  # mpv playlist entry id → generation
        self._stopping = False

    # -- the process ---------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None and self._sock is not None

    def _ensure_running(self) -> None:
        if self._running():
            return
        self._cleanup()
        self._ready.clear()
        self._start_error = ""
        self._dir = tempfile.mkdtemp(prefix="os1-mpv-")
        self._reader = threading.Thread(target=self._own, name="os1-mpv-reader", daemon=True)
        self._reader.start()
        if self._dispatcher is None or not self._dispatcher.is_alive():
            self._dispatcher = threading.Thread(target=self._dispatch, name="os1-mpv-events", daemon=True)
            self._dispatcher.start()
        if not self._ready.wait(START_TIMEOUT_S) or self._start_error:
            reason = self._start_error or f"it did not answer within {START_TIMEOUT_S:.0f} s"
            self._cleanup()
            raise PlayerUnavailable(f"I couldn't start mpv: {reason}")

    def _command_line(self, sock_path: str) -> list[str]:
        args = [self.binary, "--idle=yes", "--no-video", "--no-terminal", "--no-config", "--audio-display=no",
                "--input-default-bindings=no", "--msg-level=all=error", f"--input-ipc-server={sock_path}",
                f"--volume={self._volume}"]
        if self.audio_out:
            args.append(f"--ao={self.audio_out}")
        return args

    def _own(self) -> None:
        """The reader thread: start mpv, connect, read until the socket closes, then reap mpv."""
        assert self._dir is not None
        sock_path = str(Path(self._dir) / "ipc.sock")
        log_path = Path(self._dir) / "mpv.log"
        try:
            with open(log_path, "wb") as log_file:
                self._proc = subprocess.Popen(
                    self._command_line(sock_path), stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file,
                    preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
            self._sock = self._connect(sock_path, log_path)
        except (OSError, PlayerUnavailable) as exc:
            self._start_error = str(exc)
            self._ready.set()
            return
        self._ready.set()
        buffer = b""
        sock = self._sock
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    self._handle_line(line)
        except OSError:
            pass
        finally:
            self._on_exit()

    def _connect(self, sock_path: str, log_path: Path) -> socket.socket:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                said = log_path.read_text(errors="replace").strip()[-300:] if log_path.exists() else ""
                said = f": {said}" if said else ""
                raise PlayerUnavailable(f"mpv exited at start (code {self._proc.returncode}){said}")
            if os.path.exists(sock_path):
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    sock.connect(sock_path)
                    return sock
                except OSError:
                    sock.close()
            time.sleep(0.02)
        raise PlayerUnavailable(f"mpv did not open its control socket within {START_TIMEOUT_S:.0f} s")

    def _handle_line(self, line: bytes) -> None:
        try:
            message = json.loads(line)
        except ValueError:
            return
        if "request_id" in message and "event" not in message:
            waiting = self._replies.pop(int(message["request_id"]), None)
            if waiting is not None:
                waiting[1].append(message)
                waiting[0].set()
        elif "event" in message:
            self._events.put(message)

    def _on_exit(self) -> None:
        """The socket closed: mpv quit or died. Wake every waiting command; report the track if unexpected."""
        for event, box in list(self._replies.values()):
            box.append({"error": "mpv is not running"})
            event.set()
        self._replies.clear()
        if self._proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=2)
        if not self._stopping:
            self._events.put({"event": "os1-mpv-died"})

    def _cleanup(self) -> None:
        proc, self._proc = self._proc, None
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=2)
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(timeout=2)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    # -- commands ------------------------------------------------------------------------
    def _command(self, *args: Any, timeout: float = REPLY_TIMEOUT_S) -> Any:
        if not self._running():
            raise PlayerError("mpv is not running")
        request_id = next(self._ids)
        done: tuple[threading.Event, list[dict[str, Any]]] = (threading.Event(), [])
        self._replies[request_id] = done
        payload = json.dumps({"command": list(args), "request_id": request_id}).encode() + b"\n"
        try:
            with self._send_lock:
                assert self._sock is not None
                self._sock.sendall(payload)
        except OSError as exc:
            self._replies.pop(request_id, None)
            raise PlayerError(f"mpv stopped answering ({exc})") from exc
        if not done[0].wait(timeout):
            self._replies.pop(request_id, None)
            raise PlayerError(f"mpv did not answer {args[0]!r} within {timeout:.0f} s")
        reply = done[1][0]
        if reply.get("error") != "success":
            raise PlayerError(f"mpv could not {args[0]}: {reply.get('error')}")
        return reply.get("data")

    # -- the backend hooks ---------------------------------------------------------------
    def _start(self, item: QueueItem, generation: int) -> None:
        try:
            self._ensure_running()
        except PlayerUnavailable as exc:
            raise PlayerError(str(exc)) from exc
        if not Path(item.path).is_file():
            raise PlayerError(f"{item.path} is not there any more")
        self._command("set_property", "pause", False)
        data = self._command("loadfile", item.path, "replace")
        entry = data.get("playlist_entry_id") if isinstance(data, dict) else None
        if entry is None:  # an mpv older than 0.33 does not say: it is the newest entry
            entry = self._command("get_property", "playlist/0/id")
        self._entries = {int(entry): generation}

    def _halt(self) -> None:
        self._entries = {}
        if self._running():
            self._command("stop")

    def _set_paused(self, paused: bool) -> None:
        self._command("set_property", "pause", paused)

    def _apply_volume(self, volume: int) -> None:
        if self._running():
            self._command("set_property", "volume", volume)

    def _shutdown(self) -> None:
        self._stopping = True
        if self._running():
            with contextlib.suppress(PlayerError):
                self._command("quit", timeout=1.0)
            if self._proc is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(timeout=2)
        self._cleanup()
        self._events.put(None)
        if self._dispatcher is not None and self._dispatcher is not threading.current_thread():
            self._dispatcher.join(timeout=2)

    # -- events --------------------------------------------------------------------------
    def _dispatch(self) -> None:
        while True:
            message = self._events.get()
            if message is None:
                return
            try:
                self._on_event(message)
            except Exception:
                log.warning("could not handle an mpv event %s", message, exc_info=True)

    def _on_event(self, message: dict[str, Any]) -> None:
        name = message.get("event")
        if name == "os1-mpv-died":
            with self._lock:
                generation = self._generation if self._current is not None else None
            if generation is not None:
                self._track_finished(generation, error="the mpv player stopped unexpectedly")
            return
        if name != "end-file":
            return
        reason = message.get("reason")
        if reason not in ("eof", "error"):
            return  # stop / quit / redirect: we asked for it
        with self._lock:
            generation = self._entries.get(int(message.get("playlist_entry_id", -1)))
        if generation is None:
            return
        error = ""
        if reason == "error":
            error = f"mpv could not play it ({message.get('file_error') or 'unknown error'})"
        self._track_finished(generation, error=error)
