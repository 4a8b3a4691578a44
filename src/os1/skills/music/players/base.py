"""What every music player does, whatever plays the sound: the queue, pause, skip, volume and history.

A backend only starts a track, halts it, pauses it, sets the volume and says when a track has
finished (:meth:`Player._track_finished`, tagged with the *generation* the track was started with,
so a late report about a track the user already skipped is ignored). Everything else lives here:

- the queue (:meth:`play` replaces it, :meth:`enqueue` adds to it, :meth:`next` skips);
- how long the current track has really played (a clock that stops while paused);
- events (``started``, ``ended``, ``skipped``, ``stopped``, ``error``) delivered in order to
  listeners, and, when the player was given a store, written to ``music_plays`` (started → a row;
  the end → ``ended_at``, ``played_s``, ``skipped``).

Events are queued under the player's lock and delivered after it is released, one thread at a
time, so a listener may call the player back.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

EVENT_KINDS: tuple[str, ...] = ("started", "ended", "skipped", "stopped", "error")
DEFAULT_VOLUME = 70
HISTORY_KEPT = 200


class PlayerUnavailable(RuntimeError):
    """No way to play music here (no player program, no audio output); the message says what to do."""


class PlayerError(RuntimeError):
    """A track could not be played (the message says why)."""


@dataclass
class QueueItem:
    """One thing to play: the track id (None for a file outside the library), its path and its name."""

    track_id: int | None
    path: str
    label: str = ""
    request: str = ""  # the request kind or text it answered (for the history and taste)
    conversation_id: str = ""
    duration: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"track_id": self.track_id, "path": self.path, "label": self.label or self.path,
                "request": self.request, "duration": self.duration}


def as_item(thing: Any, request: str = "", conversation_id: str = "") -> QueueItem:
    """A QueueItem from a QueueItem, a ``(track_id, path, label[, request])`` tuple, or an object with
    ``path`` and ``track_id`` or ``id`` (a mood Pick, a library Track)."""
    if isinstance(thing, QueueItem):
        item = thing
    elif isinstance(thing, (tuple, list)):
        if len(thing) < 2:
            raise ValueError(f"a track to play needs at least (track_id, path), not {thing!r}")
        item = QueueItem(thing[0], str(thing[1]), str(thing[2]) if len(thing) > 2 else "",
                         str(thing[3]) if len(thing) > 3 else "")
    elif hasattr(thing, "path"):
        track_id = getattr(thing, "track_id", getattr(thing, "id", None))
        item = QueueItem(track_id, str(thing.path), str(getattr(thing, "label", "") or ""),
                         duration=getattr(thing, "duration", None))
    else:
        raise ValueError(f"don't know how to play {thing!r}")
    if request and not item.request:
        item.request = request
    if conversation_id and not item.conversation_id:
        item.conversation_id = conversation_id
    return item


@dataclass(frozen=True)
class PlayerEvent:
    """Something that happened to a track: ``kind`` in EVENT_KINDS, with how long it had played."""

    kind: str
    item: QueueItem
    played_s: float = 0.0
    at: float = field(default_factory=time.time)
    message: str = ""  # for ``error``: what went wrong


@dataclass(frozen=True)
class NowPlaying:
    item: QueueItem
    position_s: float
    paused: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.item.to_dict(), "position_s": round(self.position_s, 1), "paused": self.paused}


class _Clock:
    """Seconds played, not counting pauses."""

    def __init__(self) -> None:
        self._since: float | None = None
        self._banked = 0.0

    def start(self) -> None:
        self._banked, self._since = 0.0, time.monotonic()

    def pause(self) -> None:
        if self._since is not None:
            self._banked += time.monotonic() - self._since
            self._since = None

    def resume(self) -> None:
        if self._since is None:
            self._since = time.monotonic()

    def elapsed(self) -> float:
        running = time.monotonic() - self._since if self._since is not None else 0.0
        return self._banked + running


class Player:
    """The queue, the controls and the history; subclasses make the sound (see the module docstring)."""

    backend = "none"

    def __init__(self, db: Any = None, volume: int = DEFAULT_VOLUME) -> None:
        self._db = db
        self._lock = threading.RLock()
        self._emit_lock = threading.RLock()
        self._queue: collections.deque[QueueItem] = collections.deque()
        self._current: QueueItem | None = None
        self._generation = 0
        self._clock = _Clock()
        self._paused = False
        self._volume = max(0, min(100, int(volume)))
        self._listeners: list[Callable[[PlayerEvent], None]] = []
        self._outbox: collections.deque[tuple[PlayerEvent, int]] = collections.deque()
        self._play_ids: dict[int, int] = {}  # generation → music_plays row id
        self.history: collections.deque[PlayerEvent] = collections.deque(maxlen=HISTORY_KEPT)
        self.closed = False

    # -- what a backend implements -------------------------------------------------------
    def _start(self, item: QueueItem, generation: int) -> None:
        """Start playing ``item`` now, replacing whatever plays; raise PlayerError if it cannot."""
        raise NotImplementedError

    def _halt(self) -> None:
        """Stop the sound (the queue is handled here)."""
        raise NotImplementedError

    def _set_paused(self, paused: bool) -> None:
        raise NotImplementedError

    def _apply_volume(self, volume: int) -> None:
        raise NotImplementedError

    def _shutdown(self) -> None:
        """Release everything (processes, devices); called once, by :meth:`close`."""

    # -- controls ------------------------------------------------------------------------
    def play(self, items: Iterable[Any]) -> QueueItem | None:
        """Replace the queue with ``items`` and start the first now; returns what plays."""
        wanted = [as_item(i) for i in items]
        if not wanted:
            raise ValueError("nothing to play")
        with self._lock:
            self._check_open()
            self._end_current("stopped")
            self._queue = collections.deque(wanted)
            self._advance()
            now = self._current
        self._flush()
        return now

    def enqueue(self, items: Iterable[Any]) -> QueueItem | None:
        """Add ``items`` after the queue (start them if nothing plays); returns what plays."""
        wanted = [as_item(i) for i in items]
        with self._lock:
            self._check_open()
            self._queue.extend(wanted)
            if self._current is None:
                self._advance()
            now = self._current
        self._flush()
        return now

    def next(self) -> QueueItem | None:
        """Skip to the next track in the queue (silence if there is none); returns what plays now."""
        with self._lock:
            self._check_open()
            if self._current is not None:
                self._end_current("skipped")
            if self._queue:
                self._advance()
            else:
                self._quiet()
            now = self._current
        self._flush()
        return now

    def stop(self) -> None:
        """Stop the music and clear the queue."""
        with self._lock:
            if self._current is not None:
                self._end_current("stopped")
            self._queue.clear()
            if not self.closed:
                self._quiet()
        self._flush()

    def pause(self) -> bool:
        """Pause; False if nothing is playing."""
        with self._lock:
            if self._current is None or self._paused:
                return self._current is not None
            self._set_paused(True)
            self._clock.pause()
            self._paused = True
            return True

    def resume(self) -> bool:
        """Carry on after a pause; False if nothing is playing."""
        with self._lock:
            if self._current is None:
                return False
            if self._paused:
                self._set_paused(False)
                self._clock.resume()
                self._paused = False
            return True

    @property
    def volume(self) -> int:
        return self._volume

    def set_volume(self, volume: int) -> int:
        """Set the volume (0–100, clamped); returns it."""
        with self._lock:
            self._volume = max(0, min(100, round(float(volume))))
            if not self.closed:
                self._apply_volume(self._volume)
            return self._volume

    def change_volume(self, delta: int) -> int:
        """Louder (+) or quieter (−) by ``delta`` points; returns the new volume."""
        return self.set_volume(self._volume + int(delta))

    # -- what is going on ----------------------------------------------------------------
    def now_playing(self) -> NowPlaying | None:
        with self._lock:
            if self._current is None:
                return None
            return NowPlaying(self._current, self._clock.elapsed(), self._paused)

    def queue(self) -> list[QueueItem]:
        """What comes after the current track, in order."""
        with self._lock:
            return list(self._queue)

    def state(self) -> dict[str, Any]:
        with self._lock:
            now = self.now_playing()
            status = "stopped" if now is None else "paused" if now.paused else "playing"
            return {"backend": self.backend, "status": status, "now": now.to_dict() if now else None,
                    "queue": [i.to_dict() for i in self._queue], "volume": self._volume}

    def on_event(self, callback: Callable[[PlayerEvent], None]) -> Callable[[], None]:
        """Call ``callback(event)`` for every event; returns a function that unsubscribes it."""
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def close(self) -> None:
        """Stop (recording the end of the current track) and release the backend. Safe to call twice."""
        if self.closed:
            return
        self.stop()
        with self._lock:
            self.closed = True
        try:
            self._shutdown()
        except Exception:
            log.warning("the %s player did not shut down cleanly", self.backend, exc_info=True)

    # -- for backends --------------------------------------------------------------------
    def _track_finished(self, generation: int, error: str = "") -> None:
        """The backend says the track started as ``generation`` ended by itself (or failed)."""
        with self._lock:
            if generation != self._generation or self._current is None:
                return  # a report about a track already skipped or stopped
            if error:
                self._end_current("error", message=error)
            else:
                self._end_current("ended")
            if self._queue and not self.closed:
                self._advance()
        self._flush()

    # -- inside the lock -----------------------------------------------------------------
    def _check_open(self) -> None:
        if self.closed:
            raise PlayerUnavailable("the music player has been closed")

    def _end_current(self, kind: str, message: str = "") -> None:
        if self._current is None:
            return
        played = self._clock.elapsed()
        if kind == "ended" and self._current.duration:
            played = max(played, float(self._current.duration))
        self._outbox.append((PlayerEvent(kind, self._current, played, message=message), self._generation))
        self._current = None
        self._paused = False

    def _advance(self) -> None:
        """Start the next track of the queue; a track that fails is reported and the next one tried."""
        while self._queue:
            item = self._queue.popleft()
            self._generation += 1
            self._current = item
            self._paused = False
            self._clock.start()
            try:
                self._start(item, self._generation)
            except PlayerError as exc:
                self._current = None
                self._outbox.append((PlayerEvent("error", item, 0.0, message=str(exc)), self._generation))
                continue
            self._outbox.append((PlayerEvent("started", item), self._generation))
            return
        self._quiet()

    def _quiet(self) -> None:
        try:
            self._halt()
        except PlayerError as exc:
            log.debug("halting the %s player: %s", self.backend, exc)

    # -- outside the lock ----------------------------------------------------------------
    def _flush(self) -> None:
        """Deliver queued events in order: the play history first, then the listeners."""
        with self._emit_lock:
            while True:
                with self._lock:
                    if not self._outbox:
                        return
                    event, generation = self._outbox.popleft()
                self.history.append(event)
                self._record(event, generation)
                for listener in list(self._listeners):
                    try:
                        listener(event)
                    except Exception:
                        log.warning("a music player listener failed", exc_info=True)

    def _record(self, event: PlayerEvent, generation: int) -> None:
        if self._db is None or event.item.track_id is None:
            return
        from os1.skills.music.taste import finish_play, start_play

        try:
            if event.kind == "started":
                self._play_ids[generation] = start_play(self._db, event.item.track_id, event.item.request,
                                                        event.item.conversation_id, at=event.at)
            elif generation in self._play_ids:
                finish_play(self._db, self._play_ids.pop(generation), event.played_s,
                            skipped=event.kind == "skipped", at=event.at)
        except Exception:  # the history is worth keeping, never worth stopping the music for
            log.warning("could not write the play history", exc_info=True)
