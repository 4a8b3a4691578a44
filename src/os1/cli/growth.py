"""``os1 growth``: how the OS's personality has grown, what it reflected on, and its journal.

``os1 growth mood`` shows how the user has seemed to feel, day by day (:mod:`os1.cli.mood`).
"""

from __future__ import annotations

import json
import time
from typing import Any

import click

from os1.cli.mood import mood_command
from os1.core.config import load_settings
from os1.storage.base import Memory
from os1.storage.sqlite_memory import GrowthEntry

SHORT = 80


def _runtime():  # type: ignore[no-untyped-def]
    from os1.core.runtime import open_runtime

    return open_runtime(load_settings())


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))


def _short(text: str, width: int = SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _entry(entry: GrowthEntry) -> dict[str, Any]:
    return {"id": entry.id, "kind": entry.kind, "text": entry.text, "data": entry.data,
            "created_at": entry.created_at}


def _reflection(memory: Memory, cited: list[Memory]) -> dict[str, Any]:
    return {"id": memory.id, "text": memory.text, "created_at": memory.created_at,
            "cites": [{"id": m.id, "text": m.text, "kind": m.kind, "speaker": m.speaker} for m in cited]}


@click.group("growth", invoke_without_command=True)
@click.option("--reflect", "reflect_now", is_flag=True,
              help="Reflect now on the memories since the last reflection and show what was written.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1),
              help="How many trait changes, reflections and journal lines to show.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.pass_context
def growth_command(ctx: click.Context, reflect_now: bool, limit: int, as_json: bool) -> None:
    """Show how OS1 has grown: its traits and why they changed, its reflections and its journal.

    `os1 growth mood` shows your mood over the last days.
    """
    if ctx.invoked_subcommand is not None:
        return
    from os1.memory.growth import DAILY_CAP, Growth
    from os1.memory.reflection import Reflector
    from os1.persona.profile import Profile

    runtime = _runtime()
    try:
        store = runtime.store
        growth = Growth(store)
        reflector = Reflector(store)
        written = reflector.reflect() if reflect_now else []
        profile = Profile.load(store.profile)
        traits = growth.traits()
        history = growth.trait_history(limit=limit)
        reflections = reflector.reflections(limit)
        journal = growth.journal(limit, kind="journal")
        state = reflector.state()
        if as_json:
            out: dict[str, Any] = {
                "os_name": profile.os_name, "user_name": profile.user_name,
                "traits": [t.to_dict() for t in traits],
                "history": [_entry(e) for e in history],
                "reflections": [_reflection(m, cited) for m, cited in reflections],
                "journal": [_entry(e) for e in journal],
                "reflection_state": {**state.to_dict(), "threshold": reflector.threshold},
            }
            if reflect_now:
                out["reflected"] = [_reflection(m, store.memories.get_many(store.memories.sources(m.id)))
                                    for m in written]
            click.echo(json.dumps(out, ensure_ascii=False, indent=2))
            return

        name = profile.os_name or "OS1"
        if reflect_now:
            if written:
                click.echo(f"Reflected just now and wrote {len(written)} insight"
                           f"{'s' if len(written) != 1 else ''}:")
                for memory in written:
                    click.echo(f"  #{memory.id} {memory.text}")
            else:
                click.echo("Nothing new to reflect on yet: there isn't enough since the last reflection.")
            click.echo()

        click.echo(f"{name}'s personality (first boot → now, allowed range):")
        if not traits:
            click.echo("  not set up yet: run `os1` first.")
        for t in traits:
            click.echo(f"  {t.name:12} {t.initial:.2f} → {t.value:.2f}   ({t.low:.2f}–{t.high:.2f}; "
                       f"moved {t.drift_today:.2f} of {DAILY_CAP:.2f} today)")

        click.echo("\nHow it changed (newest first):")
        if not history:
            click.echo("  nothing yet.")
        for entry in history:
            click.echo(f"  {_when(entry.created_at)}  {entry.text}")

        click.echo("\nReflections (newest first):")
        if not reflections:
            click.echo("  none yet.")
        for memory, cited in reflections:
            click.echo(f"  #{memory.id} {_when(memory.created_at)}  {memory.text}")
            for source in cited:
                click.echo(f"      cites #{source.id}: \"{_short(source.text)}\"")

        click.echo("\nJournal:")
        if not journal:
            click.echo("  nothing yet.")
        for entry in journal:
            click.echo(f"  {_when(entry.created_at)}  {entry.text}")

        click.echo(f"\nNext reflection when new memories add up to {reflector.threshold:g} importance "
                   f"({state.pending:.1f} so far); `os1 growth --reflect` reflects now.")
    finally:
        runtime.close()


growth_command.add_command(mood_command)
