"""The typed frames that flow through the voice pipeline.

Data frames queue up in order; *system* frames (speech onset, an interruption,
the end of the stream) jump every queue, because they change what the frames
still waiting mean. An :class:`Interruption` says which reply was cut and how
much of it the user actually heard, so memory records only what was said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from os1.expression.style import SpeechStyle


@dataclass(frozen=True)
class Frame:
    system: ClassVar[bool] = False


# -- what arrives -------------------------------------------------------------
@dataclass(frozen=True)
class AudioIn(Frame):
    """A short piece of what the microphone heard (16 kHz float32 mono)."""

    samples: np.ndarray
    at: float  # seconds into the stream (audio time)
    wall: float = 0.0  # time.monotonic() when it was captured (0: unknown)


@dataclass(frozen=True)
class UserSpeaking(Frame):
    """The user started speaking (``at``: audio time of the onset)."""

    system: ClassVar[bool] = True
    at: float
    wall: float  # time.monotonic() when it was detected


@dataclass(frozen=True)
class UserPaused(Frame):
    """The user stopped speaking for a moment; their words so far are in ``samples``."""

    samples: np.ndarray
    started: float
    ended: float
    wall: float  # time.monotonic() when the speech ended (the last voiced frame arrived)


@dataclass(frozen=True)
class UserTurn(Frame):
    """The user finished their turn: what they said, and how they sounded."""

    text: str
    prosody: Any = None  # os1.perception.prosody.ProsodyFeatures, when it could be measured
    speech_end_wall: float = 0.0
    duration_s: float = 0.0


@dataclass(frozen=True)
class Heard(Frame):
    """A transcript worth showing (partial or final) — for a screen, not for the brain."""

    text: str
    final: bool = True


# -- what OS1 says ------------------------------------------------------------
@dataclass(frozen=True)
class SpeakUp(Frame):
    """OS1 speaks on its own (a reminder): said like a reply, after any reply in progress."""

    text: str
    message_id: int | None = None
    kind: str = "reminder"


@dataclass(frozen=True)
class ReplyStarted(Frame):
    reply_id: int
    style: SpeechStyle = field(default_factory=SpeechStyle)
    affect: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReplyText(Frame):
    """A piece of the reply as the brain streams it."""

    reply_id: int
    text: str


@dataclass(frozen=True)
class ReplySentence(Frame):
    """One sentence, ready to be spoken."""

    reply_id: int
    text: str
    style: SpeechStyle = field(default_factory=SpeechStyle)


@dataclass(frozen=True)
class ReplyAudio(Frame):
    """Spoken audio for (part of) one sentence, at the voice's own sample rate."""

    reply_id: int
    samples: np.ndarray
    rate: int
    text: str  # the sentence these samples say
    last: bool = True  # the last chunk of that sentence


@dataclass(frozen=True)
class ReplyEnded(Frame):
    """The brain finished (``status`` complete | interrupted | error); audio may still be playing."""

    reply_id: int
    text: str
    status: str = "complete"
    message_id: int | None = None


@dataclass(frozen=True)
class Notice(Frame):
    text: str
    level: str = "info"


# -- control ------------------------------------------------------------------
@dataclass(frozen=True)
class Interruption(Frame):
    """The user spoke over a reply: stop now. ``heard`` is what of the reply they actually heard."""

    system: ClassVar[bool] = True
    reply_id: int
    heard: str = ""
    wall: float = 0.0  # when the user's speech onset was detected


@dataclass(frozen=True)
class PlaybackStopped(Frame):
    """Playback stopped for an interruption (``wall``: when the last sample was cut)."""

    system: ClassVar[bool] = True
    reply_id: int
    heard: str
    wall: float


@dataclass(frozen=True)
class PlaybackFinished(Frame):
    """Everything of a reply was played."""

    reply_id: int
    wall: float


@dataclass(frozen=True)
class EndOfStream(Frame):
    """No more input: every stage finishes what is in flight (so it queues behind data), then stops."""
