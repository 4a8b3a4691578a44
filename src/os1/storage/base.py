"""The storage interface: one repository per kind of data.

The rest of OS1 only sees these protocols. ``storage.sqlite`` implements them
for the embedded, single-machine case; a PostgreSQL backend implements the same
protocols for the grown deployment. Nothing here assumes one process owns the
data: every method is a complete unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class StorageError(Exception):
    """The database cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: str
    role: str
    content: str
    created_at: float
    status: str = "complete"  # complete | interrupted


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class Memory:
    id: int
    kind: str
    text: str
    source: str
    created_at: float


@dataclass(frozen=True)
class Grant:
    scope: str
    granted: bool
    updated_at: float


@dataclass(frozen=True)
class JournalEntry:
    id: int
    skill: str
    tool: str
    summary: str
    undo: dict[str, Any] | None
    created_at: float
    undone_at: float | None


class ProfileRepo(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...
    def all(self) -> dict[str, Any]: ...
    def clear(self) -> None: ...


class ConversationRepo(Protocol):
    def create(self, title: str = "") -> Conversation: ...
    def latest(self) -> Conversation | None: ...
    def get(self, conversation_id: str) -> Conversation | None: ...
    def list(self, limit: int = 50) -> list[Conversation]: ...
    def add_message(
        self, conversation_id: str, role: str, content: str, status: str = "complete"
    ) -> StoredMessage: ...
    def messages(self, conversation_id: str, limit: int | None = None) -> list[StoredMessage]: ...
    def set_pending(self, conversation_id: str, pending: dict[str, Any] | None) -> None: ...
    def pending(self, conversation_id: str) -> dict[str, Any] | None: ...


class MemoryRepo(Protocol):
    def add(self, text: str, kind: str = "note", source: str = "user") -> Memory: ...
    def get(self, memory_id: int) -> Memory | None: ...
    def delete(self, memory_id: int) -> bool: ...
    def list(self, kind: str | None = None, limit: int = 100) -> list[Memory]: ...
    def search(self, query: str, limit: int = 10) -> list[Memory]: ...


class ConsentRepo(Protocol):
    def get(self, scope: str) -> Grant | None: ...
    def set(self, scope: str, granted: bool) -> None: ...
    def list(self) -> list[Grant]: ...


class JournalRepo(Protocol):
    def record(self, skill: str, tool: str, summary: str, undo: dict[str, Any] | None) -> int: ...
    def last_undoable(self) -> JournalEntry | None: ...
    def mark_undone(self, entry_id: int) -> None: ...
    def list(self, limit: int = 50) -> list[JournalEntry]: ...


class Store(Protocol):
    profile: ProfileRepo
    conversations: ConversationRepo
    memories: MemoryRepo
    consent: ConsentRepo
    journal: JournalRepo

    def export(self) -> dict[str, list[dict[str, Any]]]: ...
    def close(self) -> None: ...
