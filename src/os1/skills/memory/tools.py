"""Tools of the memory skill: what OS1 knows about the user and their people, corrections, forgetting.

Answers come from current facts (``store.facts``) and the people graph, each with
the memory it was learned from. A correction is journaled and undone by
``restore_facts``; forgetting is irreversible, so it is declared ``outbound`` and
the consent gate confirms it every time.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from os1.memory.facts import USER, FactKeeper, render
from os1.memory.forget import forget_about as forget_topic
from os1.memory.people import clean_topic, facts_about, is_self, resolve
from os1.skills.base import ToolContext, ToolError, ToolResult, tool
from os1.storage.base import Store
from os1.storage.sqlite_memory import Fact

MAX_LINES = 12


def _keeper(ctx: ToolContext) -> FactKeeper:
    """A keeper of its own: ``last`` (what this correction changed) must not be shared across turns."""
    return FactKeeper(ctx.runtime.store)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _yours(topic: str) -> str:
    """The user's words about their people, said back to them: "my sister" → "your sister"."""
    swapped = re.sub(r"\b(?:my|our)\b", "your", topic, flags=re.I)
    return re.sub(r"\b(?:me|myself)\b", "you", swapped, flags=re.I)


def _source(store: Store, fact: Fact) -> str:
    memory = store.memories.get(fact.memory_id) if fact.memory_id is not None else None
    if memory is None:
        return ""
    when = datetime.fromtimestamp(memory.occurred_at or memory.created_at)
    return f" (you told me on {when.day} {when:%B}: “{_short(memory.text)}”)"


def _lines(store: Store, facts: list[Fact]) -> list[str]:
    lines = []
    for fact in facts[:MAX_LINES]:
        lines.append("- " + render(fact.subject, fact.predicate, fact.object, you=True).rstrip(".")
                     + _source(store, fact) + ".")
    return list(dict.fromkeys(lines))


def _about_user(ctx: ToolContext) -> ToolResult:
    store = ctx.runtime.store
    facts = store.facts.current(USER)
    people = [p for p in store.people.list() if p.relation]
    name = ctx.runtime.profile.user_name if ctx.runtime.profile else ""
    if not facts and not people:
        hello = f"I know you're {name}, but you" if name else "You"
        return ToolResult(text=f"{hello} haven't told me much about your life yet. "
                               "Tell me about it and I'll remember.")
    parts = ["Here's what I know about you:", *_lines(store, facts)]
    if people:
        shown = ", ".join(f"{p.name} (your {p.relation})" for p in people[:MAX_LINES])
        parts.append(f"People in your life: {shown}.")
    return ToolResult(text="\n".join(parts), data={"facts": [f.id for f in facts],
                                                   "people": [p.name for p in people]})


def _about_people(ctx: ToolContext, topic: str, names: list[str]) -> ToolResult:
    store = ctx.runtime.store
    facts: list[Fact] = []
    for name in names:
        found = facts_about(store, name)
        found.sort(key=lambda f: (f.predicate != "relation", f.id))
        facts.extend(found)
    if not facts:
        people = [p for n in names if (p := store.people.get(n)) is not None]
        if people:
            times = sum(p.mentions for p in people)
            return ToolResult(text=f"You've mentioned {topic} {times} time{'s' if times != 1 else ''}, "
                                   "but I don't know much more yet.")
        # nothing personal: "who is Einstein?" is a question for the brain, not for memory
        return ToolResult(text=f"You haven't told me anything about {topic} yet.", defer=True)
    intro = f"Here's what I know about {topic}:" if len(facts) > 1 else "From what you've told me:"
    return ToolResult(text="\n".join([intro, *_lines(store, facts)]), data={"facts": [f.id for f in facts]})


def _about_topic(ctx: ToolContext, topic: str) -> ToolResult:
    store = ctx.runtime.store
    words = [w for w in topic.lower().split() if len(w) > 2 and w not in ("my", "our", "the", "about")]
    facts = [f for f in store.facts.current()
             if words and all(w in (f.text + " " + f.predicate).lower() for w in words)]
    if facts:
        lines = [f"Here's what I know about {_yours(topic)}:", *_lines(store, facts)]
        return ToolResult(text="\n".join(lines), data={"facts": [f.id for f in facts]})
    memories = [m for m in store.memories.search(topic, limit=5) if m.meta.get("role") != "assistant"][:3]
    if memories:
        said = "; ".join(f"“{_short(m.text)}”" for m in memories)
        return ToolResult(text=f"I don't have facts about {_yours(topic)}, but you've mentioned it: {said}.",
                          data={"memories": [m.id for m in memories]})
    return ToolResult(text=f"You haven't told me anything about {_yours(topic)} yet.", defer=True)


@tool("read")
def what_do_you_know(ctx: ToolContext, about: str = "") -> ToolResult:
    """Tell what I know about you, someone in your life, or a topic, and where I learned it."""
    topic = clean_topic(about)
    if not topic or is_self(topic) or topic.lower() in ("who am i",):
        return _about_user(ctx)
    names = [n for n in resolve(ctx.runtime.store, topic) if n != USER]
    if names:
        return _about_people(ctx, _yours(topic), names)
    return _about_topic(ctx, topic)


@tool("outbound")
def forget_about(ctx: ToolContext, topic: str) -> ToolResult:
    """Forget everything you've told me about a person or topic"""
    topic = clean_topic(topic)
    if not topic:
        raise ToolError("What should I forget?")
    if is_self(topic):
        return ToolResult(text="That would be everything I know. To erase it all, run `os1 forget --all`; "
                               "or tell me one person or topic to forget.")
    memory = getattr(ctx.runtime, "memory", None)
    result = forget_topic(ctx.runtime.store, topic, retriever=getattr(memory, "retriever", None))
    data = {"memories": [m.id for m in result.memories], "facts": [f.id for f in result.facts],
            "people": result.people}
    return ToolResult(text=result.describe(), summary=result.describe(), data=data)


def _inline(fact: Fact) -> str:
    """A fact as a clause inside a sentence ("you work at the Times", "Amy is your sister")."""
    text = render(fact.subject, fact.predicate, fact.object, you=True).rstrip(".")
    return text[0].lower() + text[1:] if text.startswith(("You ", "Your ")) else text


def _fact_dict(fact: Fact) -> dict[str, Any]:
    return {"id": fact.id, "subject": fact.subject, "predicate": fact.predicate, "object": fact.object,
            "text": fact.text,
            "memory_id": fact.memory_id, "confidence": fact.confidence, "valid_from": fact.valid_from}


@tool("reversible")
def correct(ctx: ToolContext, statement: str) -> ToolResult:
    """Correct something I got wrong about you or someone in your life."""
    statement = statement.strip()
    store = ctx.runtime.store
    item = {"text": statement, "kind": "note", "source": "correction",
            "meta": {"role": "user", "correction": True}}
    system = getattr(ctx.runtime, "memory", None)
    if system is not None and hasattr(system, "ingest"):  # embedded too, but not observed twice
        note = system.ingest([item], observe=False)[0]
    else:
        note = store.memories.add(**item)
    keeper = _keeper(ctx)
    added = keeper.correct(statement, note)
    change = keeper.last
    if added is None:
        if not store.facts.by_memory(note.id):
            store.memories.delete(note.id)
        raise ToolError("I'm not sure what to correct. You can tell me plainly, like “Amy is my neighbour” "
                        "or “I work at the Times”.")
    now = [_inline(f) for f in added]
    before = [_inline(f) for f in change.closed]
    if now and before:
        text = f"Thanks for setting me straight: {'; '.join(now)}. (I used to think: {'; '.join(before)}.)"
    elif now:
        text = f"Got it: {'; '.join(now)}."
    elif before:
        text = f"Okay, I've let go of that: {'; '.join(before)}."
    elif change.asserted:
        text = "I already had that right."
    else:
        text = "Okay. I didn't have that down anyway."
    undo = {"tool": "restore_facts", "arguments": {
        "memory_id": note.id, "added": [f.id for f in added],
        "closed": [_fact_dict(f) for f in change.closed], "people": change.people_before}}
    return ToolResult(text=text, undo=undo, summary=f"corrected “{_short(statement, 60)}”",
                      data={"added": [f.id for f in added], "closed": [f.id for f in change.closed]})


@tool("reversible", journaled=False)
def restore_facts(ctx: ToolContext, memory_id: int = 0, added: list[int] | None = None,
                  closed: list[dict[str, Any]] | None = None,
                  people: dict[str, str | None] | None = None) -> ToolResult:
    """Put back what I knew before a correction (used by undo)."""
    store = ctx.runtime.store
    for fact_id in added or []:
        store.facts.delete(fact_id)
    if memory_id:
        store.memories.delete(memory_id)
    restored = []
    for old in closed or []:
        if old.get("id") and store.facts.reopen(int(old["id"])):  # the original, not a copy
            fact = store.facts.get(int(old["id"]))
            if fact is not None:
                restored.append(_inline(fact))
                continue
        source = old.get("memory_id")
        if source is not None and store.memories.get(int(source)) is None:
            source = None
        fact = store.facts.add(old["subject"], old["predicate"], old["object"], old["text"], source,
                               float(old.get("confidence", 0.6)), valid_from=old.get("valid_from"))
        restored.append(_inline(fact))
    for name, relation in (people or {}).items():
        if relation is None:
            if not store.facts.current(name):
                store.people.delete(name)
        else:
            store.people.upsert(name, relation=relation)
    if restored:
        return ToolResult(text=f"I'm back to what I knew before: {'; '.join(restored)}.")
    return ToolResult(text="I've dropped that correction.")
