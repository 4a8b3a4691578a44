"""``os1 memory``: what OS1 remembers about you, the facts it believes and where it learned them,
the people in your life, search, and forgetting one memory or everything about a topic."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from os1.core.config import load_settings

RECENT = 10


@contextmanager
def _opened() -> Iterator[tuple[Any, Any]]:
    """The runtime and its memory system (built here if the runtime has none)."""
    from os1.core.runtime import open_runtime
    from os1.memory.system import MemorySystem

    runtime = open_runtime(load_settings())
    try:
        memory = getattr(runtime, "memory", None) or MemorySystem(runtime.store, runtime.router.encoder)
        yield runtime, memory
    finally:
        runtime.close()


def _day(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(ts)) if ts else "-"


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _memory_line(memory: Any, score: float | None = None) -> str:
    who = memory.speaker or "-"
    scored = f"  {score:.3f}" if score is not None else ""
    return (f"#{memory.id}  {_day(memory.occurred_at)}  {who}  {memory.kind}/{memory.source}{scored}\n"
            f"    {_short(memory.text, 200)}")


@click.group("memory", invoke_without_command=True)
@click.pass_context
def memory_group(ctx: click.Context) -> None:
    """What OS1 remembers about you: counts and the newest memories.

    Subcommands: `search QUERY`, `facts [--all]`, `people`, `forget ID | --about TOPIC`.
    """
    if ctx.invoked_subcommand is not None:
        return
    with _opened() as (runtime, _):
        store = runtime.store
        total = store.memories.count()
        kinds = {k: store.memories.count(k) for k in ("episode", "note", "reflection")}
        facts = store.facts.history()
        current = sum(1 for f in facts if f.current)
        people = store.people.list()
        shown = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in kinds.items() if n)
        persons = "person" if len(people) == 1 else "people"
        click.echo(f"{total} memories" + (f" ({shown})" if shown else "") + f"; {current} current facts "
                   f"({len(facts) - current} superseded); {len(people)} {persons}.")
        recent = store.memories.list(limit=RECENT)
        if not recent:
            click.echo("Nothing remembered yet.")
            return
        click.echo("\nMost recent:")
        for memory in recent:
            click.echo(_memory_line(memory))


@memory_group.command("search")
@click.argument("query")
@click.option("--k", "k", default=10, show_default=True, type=click.IntRange(1, 200),
              help="How many memories to show.")
def search_command(query: str, k: int) -> None:
    """Find memories by meaning and words (the same retrieval the conversation uses)."""
    with _opened() as (_, memory):
        hits = memory.recall(query, k=k)
        if not hits:
            click.echo(f"No memories match “{query}”.")
        for hit in hits:
            click.echo(_memory_line(hit.memory, hit.score))


@memory_group.command("facts")
@click.option("--all", "everything", is_flag=True, help="Include superseded facts (with when they ended).")
def facts_command(everything: bool) -> None:
    """The facts OS1 believes about you and your people, and the memory each came from."""
    with _opened() as (runtime, _):
        store = runtime.store
        facts = store.facts.history() if everything else store.facts.current()
        if not facts:
            click.echo("No facts yet. Tell OS1 about your life and it will learn.")
            return
        for fact in facts:
            state = ""
            if not fact.current:
                replaced = f", replaced by #{fact.superseded_by}" if fact.superseded_by else ""
                state = f"  (until {_day(fact.valid_to)}{replaced})"
            click.echo(f"#{fact.id} {fact.text}  [{fact.subject} · {fact.predicate} · {fact.object}; "
                       f"since {_day(fact.valid_from)}]{state}")
            source = store.memories.get(fact.memory_id) if fact.memory_id is not None else None
            if source is not None:
                click.echo(f"    from memory #{source.id}: “{_short(source.text)}”")
            else:
                click.echo("    (no source memory)")


@memory_group.command("people")
def people_command() -> None:
    """The people (and pets) in your life that OS1 knows of."""
    with _opened() as (runtime, _):
        store = runtime.store
        people = store.people.list()
        if not people:
            click.echo("No people yet.")
            return
        for person in people:
            facts = store.facts.current(person.name)
            known = "; ".join(f.text for f in facts if f.predicate != "relation")
            click.echo(f"{person.name}  ({person.relation or 'relation unknown'})  mentioned "
                       f"{person.mentions}×, last {_day(person.last_seen)}")
            if known:
                click.echo(f"    {known}")


@memory_group.command("forget")
@click.argument("memory_id", type=int, required=False)
@click.option("--about", "topic", help="Forget every memory, fact and person about this topic.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def forget_command(memory_id: int | None, topic: str | None, yes: bool) -> None:
    """Forget one memory (by its id) or everything about a topic. Cannot be undone."""
    from os1.memory.forget import forget_about, forget_memory

    if (memory_id is None) == (topic is None):
        raise click.UsageError("Give a memory id or --about TOPIC (one of them).")
    with _opened() as (runtime, memory):
        store = runtime.store
        if memory_id is not None:
            found = store.memories.get(memory_id)
            if found is None:
                raise click.ClickException(f"There is no memory #{memory_id}.")
            derived = store.facts.by_memory(memory_id)
            click.echo(_memory_line(found))
            for fact in derived:
                click.echo(f"    learned from it: {fact.text}")
            if not yes:
                click.confirm("Forget this memory and what was learned from it? This cannot be undone",
                              abort=True)
            click.echo(forget_memory(store, memory_id).describe())
            return
        assert topic is not None
        retriever = getattr(memory, "retriever", None)
        preview = forget_about(store, topic, retriever, dry_run=True)
        if preview.nothing:
            click.echo(preview.describe())
            return
        for item in preview.memories:
            click.echo(_memory_line(item))
        for fact in preview.facts:
            click.echo(f"fact #{fact.id}: {fact.text}")
        for name in preview.people:
            click.echo(f"person: {name}")
        if not yes:
            click.confirm(f"{preview.describe()} This cannot be undone. Go ahead?", abort=True)
        click.echo(forget_about(store, topic, retriever).describe())
