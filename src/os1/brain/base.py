"""The brain interface: one async method that streams deltas for a list of messages.

A backend is one small class: ``stream(messages, tools)`` yields
:class:`TextDelta` pieces and, where the model can call tools,
:class:`ToolCall` objects. Capability flags tell the mind what to expect.
A backend that cannot be reached raises :class:`BrainUnavailable` with a message
meant for the user.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any


class BrainUnavailable(Exception):
    """The brain cannot answer; ``str(exc)`` is a message a user can act on."""


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TextDelta:
    text: str


Delta = TextDelta | ToolCall


@dataclass(frozen=True)
class Message:
    role: str  # system | user | assistant | tool
    content: str
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None


class Brain(ABC):
    """A language model backend."""

    name: str = "brain"
    supports_tools: bool = False
    context_tokens: int = 2048
    max_reply_tokens: int = 256

    @abstractmethod
    def stream(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[Delta]:
        """Yield the reply as it is produced."""

    def count_tokens(self, text: str) -> int:
        """Estimate of the tokens ``text`` takes; backends with a tokenizer override it."""
        return len(text) // 4 + 1

    async def check(self) -> None:  # noqa: B027 - optional hook
        """Raise :class:`BrainUnavailable` when the backend cannot be used."""

    def describe(self) -> str:
        return self.name

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""
