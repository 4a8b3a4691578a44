"""Tools of the remember skill: notes kept in the memory store."""

from __future__ import annotations

from os1.skills.base import ToolContext, ToolError, ToolResult, tool


@tool("reversible")
def remember(ctx: ToolContext, fact: str) -> ToolResult:
    """Remember a note the user gave."""
    fact = fact.strip().rstrip(".")
    if not fact:
        raise ToolError("What should I remember?")
    memory = ctx.runtime.memory.record(fact, kind="note", source="user", meta={"role": "user"})
    if memory is None:
        raise ToolError("What should I remember?")
    return ToolResult(
        text=f"Got it. I'll remember that {fact}.",
        data={"memory_id": memory.id},
        undo={"tool": "forget", "arguments": {"memory_id": memory.id}},
        summary=f"remembered “{fact}”",
    )


@tool("reversible", journaled=False)
def forget(ctx: ToolContext, memory_id: int) -> ToolResult:
    """Forget one note by its id."""
    memory = ctx.runtime.store.memories.get(memory_id)
    if memory is None or not ctx.runtime.store.memories.delete(memory_id):
        return ToolResult(text="That note was already gone.")
    return ToolResult(text=f"I've forgotten “{memory.text}”.")


@tool("reversible")
def forget_last(ctx: ToolContext) -> ToolResult:
    """Forget the most recent note."""
    notes = ctx.runtime.store.memories.list(kind="note", limit=1)
    if not notes:
        return ToolResult(text="There's nothing to forget; you haven't asked me to remember anything.")
    note = notes[0]
    ctx.runtime.store.memories.delete(note.id)
    return ToolResult(
        text=f"Okay, I've forgotten that {note.text}.",
        undo={"tool": "remember", "arguments": {"fact": note.text}},
        summary=f"forgot “{note.text}”",
    )


@tool("read")
def recall(ctx: ToolContext, query: str = "") -> ToolResult:
    """Recall notes, optionally about a topic."""
    memories = ctx.runtime.store.memories
    found = memories.search(query, limit=5) if query else memories.list(kind="note", limit=5)
    if not found:
        about = f" about {query}" if query else ""
        return ToolResult(text=f"You haven't asked me to remember anything{about} yet.")
    lines = "; ".join(m.text for m in found)
    return ToolResult(text=f"You told me: {lines}.", data={"ids": [m.id for m in found]})
