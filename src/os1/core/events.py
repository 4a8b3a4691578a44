"""Events a turn emits, in order, to whoever shows it (terminal, WebSocket, voice later).

Every event has a ``type`` and serialises to a flat dict with :func:`to_dict`,
which is also the WebSocket wire format.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class TextChunk:
    text: str
    type: str = "text"


@dataclass(frozen=True)
class Notice:
    """Something the user should know that is not part of the reply (a fallback, a cleaned input)."""

    text: str
    level: str = "info"  # info | warning
    type: str = "notice"


@dataclass(frozen=True)
class ToolUsed:
    skill: str
    tool: str
    effect: str
    type: str = "tool"


@dataclass(frozen=True)
class Question:
    """OS1 asked for consent or confirmation; the next user message answers it."""

    kind: str  # consent | confirm
    text: str
    type: str = "question"


@dataclass(frozen=True)
class Affect:
    """How the user seems to feel this turn, and how OS1 will sound in answer; sent once per turn,
    after the user's message is stored and before any reply text. Displays may ignore it."""

    state: str  # fear | nervousness | excitement | sadness | loneliness | joy | anger | neutral
    confidence: float
    cues: tuple[str, ...] = ()  # "hesitant voice", "lively voice", …
    pace: float = 1.0  # speech style for the reply (expression.style.SpeechStyle)
    pause_s: float = 0.25
    source: str = "text"  # text | voice+text
    type: str = "affect"


@dataclass(frozen=True)
class TurnDone:
    message_id: int
    text: str
    status: str = "complete"  # complete | interrupted
    type: str = "done"


@dataclass(frozen=True)
class Initiative:
    """OS1 speaks up on its own (a reminder, an alarm, "your audiobook is ready"), outside any turn.

    Already stored as OS1's message ``message_id`` in ``conversation_id``; ``late`` when it was due
    while nobody was listening and is said now as missed."""

    text: str
    kind: str  # reminder | alarm | event | notice
    nudge_id: int
    message_id: int
    conversation_id: str
    due_at: float
    late: bool = False
    source: str = ""
    type: str = "initiative"


Event = TextChunk | Notice | ToolUsed | Question | Affect | TurnDone | Initiative


def to_dict(event: Event) -> dict[str, Any]:
    data = asdict(event)
    if "cues" in data:
        data["cues"] = list(data["cues"])  # JSON has lists, not tuples
    return data
