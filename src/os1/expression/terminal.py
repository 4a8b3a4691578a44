"""Showing a turn in the terminal: the reply streamed piece by piece, notices set apart.

Takes event dicts (the same shape the WebSocket sends), so local and remote
conversations look the same. How the user seems to feel (the ``affect`` event) is
not shown unless asked for (``os1 chat --feelings``): then as one dim line. What OS1 says on its
own (an ``initiative`` event: a reminder, an alarm) gets a line of its own (and the bell, for an
alarm).
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.markup import escape


class TerminalRenderer:
    def __init__(self, console: Console, os_name: str, show_feelings: bool = False) -> None:
        self.console = console
        self.os_name = os_name or "OS1"
        self.show_feelings = show_feelings
        self._open = False
        self._column = 0

    def _start_reply(self) -> None:
        if not self._open:
            self.console.print(f"[bold magenta]{escape(self.os_name)}[/] › ", end="")
            self._open = True
            self._column = len(self.os_name) + 3

    def _stream(self, text: str) -> None:
        """Print streamed text, wrapping at word boundaries as the pieces arrive."""
        width = max(20, self.console.width - 1)
        for token in re.split(r"(\s+)", text):
            if not token:
                continue
            if "\n" in token:
                self.console.print("\n" * token.count("\n"), end="")
                self._column = 0
                continue
            if token.isspace():
                if self._column and self._column + 1 < width:
                    self.console.print(" ", end="")
                    self._column += 1
                continue
            if self._column + len(token) > width and self._column > 0:
                self.console.print()
                self._column = 0
            self.console.print(escape(token), end="", highlight=False)
            self._column += len(token)

    def show(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "text":
            self._start_reply()
            self._stream(event["text"])
        elif kind == "notice":
            self.end_reply()
            style = "yellow" if event.get("level") == "warning" else "dim"
            self.console.print(f"[{style}]{escape(event['text'])}[/]")
        elif kind == "affect":
            if self.show_feelings:
                self._feeling(event)
        elif kind == "initiative":
            self.end_reply()
            mark = {"alarm": "⏰ ", "reminder": "🔔 "}.get(str(event.get("kind")), "")
            if event.get("kind") == "alarm":
                self.console.bell()
            self.console.print(f"[bold magenta]{escape(self.os_name)}[/] › {mark}{escape(event['text'])}",
                               highlight=False)
        elif kind == "error":
            self.end_reply()
            self.console.print(f"[red]{escape(event.get('text', 'error'))}[/]")
        elif kind == "done":
            if event.get("status") == "interrupted":
                self._start_reply()
                self.console.print(" [dim]… (interrupted)[/]", end="")
            self.end_reply()

    def _feeling(self, event: dict[str, Any]) -> None:
        self.end_reply()
        state = str(event.get("state", "neutral"))
        cues = event.get("cues") or []
        confidence = float(event.get("confidence") or 0.0)
        why = f", {', '.join(str(c) for c in cues)}" if cues else ""
        self.console.print(f"[dim](you sound {escape(state)}: {confidence:.0%}{escape(why)})[/]",
                           highlight=False)

    def end_reply(self) -> None:
        if self._open:
            self.console.print()
            self._open = False

    def say(self, text: str) -> None:
        self._start_reply()
        self._stream(text)
        self.end_reply()
