"""Showing a turn in the terminal: the reply streamed piece by piece, notices set apart.

Takes event dicts (the same shape the WebSocket sends), so local and remote
conversations look the same.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape


class TerminalRenderer:
    def __init__(self, console: Console, os_name: str) -> None:
        self.console = console
        self.os_name = os_name or "OS1"
        self._open = False

    def _start_reply(self) -> None:
        if not self._open:
            self.console.print(f"[bold magenta]{escape(self.os_name)}[/] › ", end="")
            self._open = True

    def show(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "text":
            self._start_reply()
            self.console.print(escape(event["text"]), end="", soft_wrap=True, highlight=False)
        elif kind == "notice":
            self.end_reply()
            style = "yellow" if event.get("level") == "warning" else "dim"
            self.console.print(f"[{style}]{escape(event['text'])}[/]")
        elif kind == "error":
            self.end_reply()
            self.console.print(f"[red]{escape(event.get('text', 'error'))}[/]")
        elif kind == "done":
            if event.get("status") == "interrupted":
                self._start_reply()
                self.console.print(" [dim]… (interrupted)[/]", end="")
            self.end_reply()

    def end_reply(self) -> None:
        if self._open:
            self.console.print()
            self._open = False

    def say(self, text: str) -> None:
        self._start_reply()
        self.console.print(escape(text), soft_wrap=True, highlight=False)
        self._open = False
