"""The music player of an OS1 process: one per runtime, playing in the background while the talk goes on.

:func:`player_for` picks the first backend that can make sound here:

1. **mpv** (driven over its JSON IPC socket) when installed;
2. **ffplay** when installed;
3. **PyAV** decoding into the sound card through ``sounddevice``, the audio output the voice
   pipeline uses. Without PortAudio or a device, :class:`PlayerUnavailable` says there is no
   audio output.

``OS1_AUDIO_OUT=null`` makes every backend play silently (mpv ``--ao=null``, SDL's dummy
driver, a real-time null sink): tests and headless runs. ``OS1_MUSIC_PLAYER=mpv|ffplay|pyav``
forces a backend. The player writes the play history (``music_plays``) through the runtime's
store; it is closed with the runtime (:func:`close_player`) or at exit, so no mpv is left
running. The volume is remembered (profile key ``music.volume``).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import threading
import weakref
from typing import Any

from os1.skills.music.players.base import (
    EVENT_KINDS,
    NowPlaying,
    Player,
    PlayerError,
    PlayerEvent,
    PlayerUnavailable,
    QueueItem,
    as_item,
)

__all__ = ["EVENT_KINDS", "NowPlaying", "Player", "PlayerError", "PlayerEvent", "PlayerUnavailable",
           "QueueItem", "as_item", "close_all", "close_player", "make_player", "player_for"]

log = logging.getLogger(__name__)

VOLUME_KEY = "music.volume"
BACKENDS: tuple[str, ...] = ("mpv", "ffplay", "pyav")

_players: dict[int, Player] = {}
_lock = threading.Lock()


def audio_out() -> str | None:
    """``"null"`` when OS1_AUDIO_OUT asks for silence, else None (the default output)."""
    value = os.environ.get("OS1_AUDIO_OUT", "").strip().lower()
    return "null" if value in ("null", "none", "off", "0") else None


def make_player(db: Any = None, volume: int | None = None, backend: str | None = None) -> Player:
    """A new player on the best backend available (or ``backend``); raises PlayerUnavailable."""
    from os1.skills.music.players.ffplay import FfplayPlayer
    from os1.skills.music.players.mpv import MpvPlayer
    from os1.skills.music.players.pyav import NullSink, PyavPlayer

    if volume is None:
        volume = _saved_volume(db)
    wanted = (backend or os.environ.get("OS1_MUSIC_PLAYER", "")).strip().lower()
    if wanted and wanted not in BACKENDS:
        raise PlayerUnavailable(f"OS1_MUSIC_PLAYER={wanted!r} is not one of {', '.join(BACKENDS)}")
    out = audio_out()
    order = (wanted,) if wanted else BACKENDS
    reasons: list[str] = []
    for name in order:
        try:
            if name == "mpv" and (wanted or shutil.which("mpv")):
                return MpvPlayer(db, volume, audio_out=out)
            if name == "ffplay" and (wanted or shutil.which("ffplay")):
                return FfplayPlayer(db, volume, audio_out=out)
            if name == "pyav":
                return PyavPlayer(db, volume, sink=NullSink() if out == "null" else None)
        except PlayerUnavailable as exc:
            reasons.append(str(exc))
    raise PlayerUnavailable(
        "I can't play music here: there is no audio output. "
        + (" ".join(reasons) + " " if reasons else "")
        + "Installing mpv fixes it (on Debian/Ubuntu: sudo apt-get install mpv).")


def _saved_volume(db: Any) -> int:
    profile = getattr(db, "profile", None)
    try:
        value = profile.get(VOLUME_KEY) if profile is not None else None
        return max(0, min(100, int(value))) if value is not None else 70
    except Exception:
        return 70


def _remember_volume(player: Player, db: Any) -> None:
    profile = getattr(db, "profile", None)
    if profile is None:
        return
    original = player.set_volume

    def set_volume(volume: int) -> int:
        value = original(volume)
        try:
            profile.set(VOLUME_KEY, value)
        except Exception:
            log.debug("could not remember the volume", exc_info=True)
        return value

    player.set_volume = set_volume  # type: ignore[method-assign]


def player_for(runtime: Any, db: Any = None) -> Player:
    """The runtime's player (made on first use); it records plays in ``db`` (default: the runtime's store)."""
    key = id(runtime)
    with _lock:
        existing = _players.get(key)
        if existing is not None and not existing.closed:
            return existing
        store = db if db is not None else getattr(runtime, "store", None)
        player = make_player(store)
        _remember_volume(player, store)
        _players[key] = player
    if hasattr(runtime, "on_close"):  # the last play's end is written before the store closes
        runtime.on_close(lambda: _close_key(key))
    with contextlib.suppress(TypeError):  # an object without weak references is closed at exit
        weakref.finalize(runtime, _close_key, key)
    return player


def _close_key(key: int) -> None:
    with _lock:
        player = _players.pop(key, None)
    if player is not None:
        player.close()


def close_player(runtime: Any) -> None:
    """Stop the runtime's music and end its player process (call from Runtime.close)."""
    _close_key(id(runtime))


def close_all() -> None:
    """Close every player of this process (at exit)."""
    with _lock:
        players = list(_players.values())
        _players.clear()
    for player in players:
        try:
            player.close()
        except Exception:
            log.debug("closing a music player at exit", exc_info=True)


atexit.register(close_all)
