"""The storage interface: one repository per kind of data.

The rest of OS1 only sees these protocols. ``storage.sqlite`` implements them
for the embedded, single-machine case; a PostgreSQL backend implements the same
protocols for the grown deployment. Nothing here assumes one process owns the
data: every method is a complete unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    """One memory: an exchange, a note, a reflection, or something from another source."""

    id: int
    kind: str  # episode | note | reflection | …
    text: str
    source: str  # conversation | user | email:<id> | document:<path> | reflection | …
    created_at: float
    speaker: str = ""
    conversation_id: str | None = None
    occurred_at: float = 0.0  # when it happened (a session's date), not when it was stored
    importance: float = 0.3  # 0..1
    emotion: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


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
    def find_messages(self, words: list[str], limit: int = 10_000) -> list[StoredMessage]: ...
    def delete_messages(self, ids: list[int]) -> int: ...
    def set_pending(self, conversation_id: str, pending: dict[str, Any] | None) -> None: ...
    def pending(self, conversation_id: str) -> dict[str, Any] | None: ...


class MemoryRepo(Protocol):
    """Memories with a lexical index and stored embeddings; see ``storage.sqlite_memory``."""

    def add(self, text: str, kind: str = "note", source: str = "user", **fields: Any) -> Memory: ...
    def add_many(self, items: list[dict[str, Any]]) -> list[Memory]: ...
    def get(self, memory_id: int) -> Memory | None: ...
    def get_many(self, ids: list[int]) -> list[Memory]: ...
    def delete(self, memory_id: int) -> bool: ...
    def delete_many(self, ids: list[int]) -> int: ...
    def list(self, kind: str | None = None, limit: int = 100, offset: int = 0) -> list[Memory]: ...
    def count(self, kind: str | None = None) -> int: ...
    def lexical(self, query: str, limit: int = 50,
                kinds: tuple[str, ...] | None = None) -> list[tuple[int, float]]: ...
    def search(self, query: str, limit: int = 10) -> list[Memory]: ...
    def between(self, start: float, end: float, limit: int = 200) -> list[Memory]: ...
    def embeddings_after(self, after_id: int, limit: int = 5000) -> list[tuple[int, bytes]]: ...
    def missing_embeddings(self, limit: int = 500) -> list[tuple[int, str]]: ...
    def set_embeddings(self, pairs: list[tuple[int, bytes]]) -> None: ...
    def stats(self) -> tuple[int, int, int]: ...
    def cite(self, memory_id: int, source_ids: list[int]) -> None: ...
    def sources(self, memory_id: int) -> list[int]: ...


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
    facts: Any  # FactRepo (storage.sqlite_memory)
    people: Any  # PeopleRepo
    growth: Any  # GrowthRepo

    def export(self) -> dict[str, list[dict[str, Any]]]: ...
    def close(self) -> None: ...
