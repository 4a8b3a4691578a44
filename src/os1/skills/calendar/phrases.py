"""A request in plain words → what kind of thing it is (reminder, alarm, event), what it is for, and when.

"remind me tomorrow at nine to call Amy" → a reminder to "call Amy"; "wake me at 7" → an alarm;
"lunch with Amy on Friday at 1" → an event titled "Lunch with Amy". The time words are read by
:mod:`when`; this module only peels off the asking ("remind me", "set an alarm for", "add … to my
calendar") so what is left is the task or the title, in the user's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from os1.skills.calendar.when import Parsed, parse

_POLITE = (r"(?:(?:please|hey|hi|ok(?:ay)?|so|and|also|oh|can you|could you|would you|will you|"
           r"i want you to|i'?d like you to|i need you to)[\s,]+)*")
_REMIND = re.compile(
    _POLITE + r"(?:remind(?:e|er)?\s+(?:me|us)|"
    r"set\s+(?:me\s+)?(?:a|an|the|my|up\s+a)\s+reminder(?:\s+for\s+me)?|"
    r"(?:add|create|make|new)\s+(?:a\s+)?reminder|reminder|"
    r"don'?t\s+let\s+me\s+forget|make\s+sure\s+i\s+remember|ping\s+me|nudge\s+me|alert\s+me|give\s+me\s+a\s+"
    r"(?:nudge|shout|reminder))\b[\s:,]*", re.I)
_ALARM = re.compile(
    _POLITE + r"(?:wake\s+(?:me|us)(?:\s+up)?|get\s+me\s+up|"
    r"set\s+(?:me\s+)?(?:an?|my|the)\s+alarm(?:\s+clock)?|(?:an\s+)?alarm)\b[\s:,]*(?:for\s+(?=\S))?", re.I)
_EVENT = re.compile(
    _POLITE + r"(?:(?:add|put|schedule|book|create|make|set\s+up|plan|pencil\s+in|note|enter|i\s+have|"
    r"i'?ve\s+got|i\s+got|we\s+have|we'?ve\s+got|there'?s)\s+)(?:(?:an?|the|my|our)\s+)?"
    r"(?:(?:event|appointment|entry)\s*(?:called|named|for|:)?\s*)?", re.I)
_CALENDAR_TAIL = re.compile(r"\s*\b(?:to|on|in|into|onto)\s+(?:my|the|our)\s+"
                            r"(?:calendar|agenda|diary|schedule)\b", re.I)
_TASK_LEAD = re.compile(r"^(?:to\s+|that\s+i\s+(?:need|have|must|should)\s+to\s+|i\s+(?:need|have)\s+to\s+|"
                        r"for\s+me\s+to\s+)", re.I)


@dataclass
class Request:
    kind: str  # reminder | alarm | event
    what: str  # the task ("call Amy") or the event's title ("Lunch with Amy")
    parsed: Parsed


def kind_of(text: str) -> str:
    """"reminder", "alarm" or "event", from how the request starts."""
    if _ALARM.match(text.strip()) or re.search(r"\bwake\s+(me|us)\b|\balarm\b", text, re.I):
        return "alarm"
    if _REMIND.search(text):
        return "reminder"
    return "event"


def understand(text: str, now: datetime, zone: str, kind: str = "") -> Request:
    """What the user asked for, and when (or the question to ask about when)."""
    kind = kind or kind_of(text)
    grammar_kind = kind if kind in ("alarm", "event") else "reminder"
    parsed = parse(text, now, zone, grammar_kind)
    return Request(kind, _what(parsed.rest, kind), parsed)


def _what(rest: str, kind: str) -> str:
    text = " ".join(rest.split())
    if kind == "alarm":
        text = _ALARM.sub("", text, count=1).strip()
        text = re.sub(r"^(?:for|at|to)\s*$", "", text, flags=re.I)
        return _TASK_LEAD.sub("", text).strip(" ,.")
    if kind == "reminder":
        text = _REMIND.sub("", text, count=1).strip()
        text = re.sub(r"\s*\b(?:remind\s+me|please)\b\s*$", "", text, flags=re.I)
        text = re.sub(r"^(?:for|at|on)\s+", "", text, flags=re.I)
        return _TASK_LEAD.sub("", text).strip(" ,.")
    text = _CALENDAR_TAIL.sub("", _EVENT.sub("", text, count=1)).strip(" ,.")
    return text[:1].upper() + text[1:]
