"""The scripted brain: deterministic replies, for tests and benchmarks only.

Replies come from a queue given in code or from the JSON file named by
``OS1_SCRIPT`` (a list whose items are strings, or objects
``{"tool": name, "arguments": {...}}`` for a native tool call). When the queue
is empty it echoes the last user message, so every turn has a reply.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from os1.brain.base import Brain, BrainUnavailable, Delta, Message, TextDelta, ToolCall
from os1.core.config import BrainSettings


class ScriptedBrain(Brain):
    name = "scripted"
    supports_tools = True
    context_tokens = 8192

    def __init__(
        self,
        settings: BrainSettings | None = None,
        replies: Iterable[str | dict[str, Any]] | None = None,
        delay_s: float = 0.0,
    ) -> None:
        self.replies: list[str | dict[str, Any]] = list(replies or [])
        script = os.environ.get("OS1_SCRIPT")
        if replies is None and script:
            try:
                self.replies = list(json.loads(Path(script).read_text()))
            except (OSError, ValueError) as exc:
                raise BrainUnavailable(f"OS1_SCRIPT {script} is unreadable: {exc}") from exc
        self.delay_s = float(os.environ.get("OS1_SCRIPT_DELAY", delay_s))
        self.seen: list[list[Message]] = []
        self.seen_tools: list[list[dict[str, Any]] | None] = []

    def describe(self) -> str:
        return "scripted (tests only)"

    async def stream(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[Delta]:
        self.seen.append(list(messages))
        self.seen_tools.append(tools)
        if self.replies:
            reply = self.replies.pop(0)
        else:
            last_user = next((m.content for m in reversed(messages) if m.role == "user"), "")
            reply = f"You said: {last_user}"
        if isinstance(reply, dict):
            yield ToolCall(
                id=f"call_{len(self.seen)}",
                name=str(reply["tool"]),
                arguments=dict(reply.get("arguments", {})),
            )
            return
        for i, word in enumerate(reply.split(" ")):
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            yield TextDelta(word if i == 0 else " " + word)
