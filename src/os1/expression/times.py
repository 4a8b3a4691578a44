"""Times said the way a person says them: "9 am", "half past nine" is too much; "9:30 pm", "noon"."""

from __future__ import annotations

from datetime import datetime


def clock_phrase(moment: datetime) -> str:
    """``moment``'s time of day for speech: "noon", "midnight", "9 am", "9:30 pm"."""
    hour, minute = moment.hour, moment.minute
    if minute == 0 and hour == 12:
        return "noon"
    if minute == 0 and hour == 0:
        return "midnight"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown} {suffix}" if minute == 0 else f"{shown}:{minute:02d} {suffix}"
