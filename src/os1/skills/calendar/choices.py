"""The one short question the calendar may be waiting on, per conversation, and reading the answer.

When a time could mean two moments ("at 9": tonight or tomorrow morning?) or a request could mean two
reminders ("cancel the reminder about Amy" with two of them), the options are kept in the profile store
under ``calendar.pending:<conversation id>`` until the user answers: "the later one", "tomorrow",
"pm", "this Friday", "the 30th" — or another time altogether, which is then compared with the options.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from os1.skills.calendar.when import When, parse

_KEY = "calendar.pending:"
FORGET_AFTER_S = 15 * 60  # an answer this much later is about something else
_FIRST = re.compile(r"^(?:the\s+)?(?:earlier|earliest|sooner|soonest|first|former|1st)(?:\s+one)?$")
_SECOND = re.compile(r"^(?:the\s+)?(?:later|latest|second|latter|other|last|2nd|one after|next one)"
                     r"(?:\s+one)?$")
_EITHER = re.compile(r"^(?:either|either one|whichever|any|you (?:choose|pick|decide)|"
                     r"(?:it )?doesn'?t matter|"
                     r"i don'?t mind|up to you)$")
_NEITHER = re.compile(r"^(?:neither|neither one|none|none of them|never ?mind|forget it|cancel( that)?)$")


@dataclass
class Choice:
    label: str
    answers: list[str] = field(default_factory=list)
    when: dict[str, Any] | None = None  # When.to_dict()
    value: Any = None  # what picking it means to the action (a reminder id …)


@dataclass
class Waiting:
    action: str  # "remind" | "event" | "cancel"
    question: str
    options: list[Choice]
    details: dict[str, Any] = field(default_factory=dict)  # what the action needs besides the choice
    asked_at: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Waiting:
        return cls(data["action"], data["question"], [Choice(**c) for c in data["options"]],
                   dict(data.get("details", {})), float(data.get("asked_at", 0.0)))


def load(profile: Any, conversation_id: str) -> Waiting | None:
    """The question still waiting for an answer in this conversation (None after a quarter of an hour)."""
    data = profile.get(_KEY + conversation_id)
    if not data:
        return None
    waiting = Waiting.from_dict(data)
    if time.time() - waiting.asked_at > FORGET_AFTER_S:
        save(profile, conversation_id, None)
        return None
    return waiting


def save(profile: Any, conversation_id: str, waiting: Waiting | None) -> None:
    profile.set(_KEY + conversation_id, waiting.to_dict() if waiting is not None else None)


_FILLER = re.compile(r"\b(i mean|i meant|please|make it|let'?s say|let'?s do|go with|oh|um|uh|well|yes|yeah|"
                     r"no|sorry|the one|one)\b")


def _clean(text: str) -> str:
    """The answer without filler ("I mean the later one, please" → "later")."""
    text = re.sub(r"[?!.,]+", " ", text.lower())
    if not re.fullmatch(r"\s*(the )?(one after|next one)\s*", text):
        text = _FILLER.sub(" ", text)
    return " ".join(text.split())


def pick(waiting: Waiting, answer: str, now: datetime, zone: str) -> int | None:
    """Which option the answer chose (its index), -1 for "neither", or None when it is not clear."""
    raw = " ".join(re.sub(r"[?!.,]+", " ", answer.lower()).split())
    text = _clean(answer)
    if _NEITHER.match(raw) or _NEITHER.match(text):
        return -1
    if _EITHER.match(raw) or _EITHER.match(text):
        return 0
    for candidate in (raw, text):
        if _FIRST.match(candidate):
            return 0
        if _SECOND.match(candidate) and len(waiting.options) > 1:
            return len(waiting.options) - 1 if "last" in candidate else 1
    scores = []
    for index, option in enumerate(waiting.options):
        score = 0
        for said in option.answers:
            if said and re.search(rf"(?<![\w:]){re.escape(said.lower())}(?![\w:])", raw):
                score = max(score, len(said))
        scores.append((score, index))
    best = max(scores)
    if best[0] and [s for s, _ in scores].count(best[0]) == 1:
        return best[1]
    return _by_time(waiting, answer, now, zone)


def _by_time(waiting: Waiting, answer: str, now: datetime, zone: str) -> int | None:
    """The answer is a time of its own ("9 pm", "Friday the 3rd"): the option it lands on."""
    options = [When.from_dict(o.when) for o in waiting.options if o.when]
    if len(options) != len(waiting.options):
        return None
    parsed = parse(answer, now, zone, waiting.details.get("kind", "reminder"))
    candidates: list[When] = []
    if parsed.when is not None:
        candidates = [parsed.when]
    elif parsed.question is not None:
        candidates = [o.when for o in parsed.question.options]
    for candidate in candidates:
        exact = [i for i, o in enumerate(options) if abs((o.start - candidate.start).total_seconds()) < 60]
        if len(exact) == 1:
            return exact[0]
        same_day = [i for i, o in enumerate(options) if o.start.date() == candidate.start.date()]
        if len(same_day) == 1:
            return same_day[0]
        if candidate.time_said:
            same_clock = [i for i, o in enumerate(options)
                          if (o.start.hour, o.start.minute) == (candidate.start.hour, candidate.start.minute)]
            if len(same_clock) == 1:
                return same_clock[0]
    return None
