"""Tools of the clock skill."""

from __future__ import annotations

from datetime import datetime

from os1.skills.base import ToolContext, ToolResult, tool


@tool("read")
def now(ctx: ToolContext) -> ToolResult:
    """Tell the current local time and date."""
    current = datetime.now().astimezone()
    hour = current.strftime("%I:%M %p").lstrip("0")
    day = current.strftime("%A, %B %d, %Y").replace(" 0", " ")
    return ToolResult(
        text=f"It's {hour} on {day}.",
        data={"iso": current.isoformat(timespec="seconds"), "timezone": current.tzname()},
    )
