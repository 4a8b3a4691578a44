"""``os1 bench …``: benchmarks; each prints, as its last line, one flat JSON object of metrics."""

from __future__ import annotations

import json
import os
import platform

import click


def _print(result: dict) -> None:
    for key, value in result.items():
        click.echo(f"{key:32} {value}", err=True)
    click.echo(json.dumps(result))


@click.group("bench")
def bench_group() -> None:
    """Measure OS1 (results go in BENCHMARKS.md)."""


@bench_group.command("core")
@click.option("--conversations", default=200, show_default=True,
              help="Concurrent WebSocket conversations for the server-overhead part.")
@click.option("--turns", default=5, show_default=True, help="Turns per conversation.")
def core_command(conversations: int, turns: int) -> None:
    """Cold start to first token, embedded tokens/s, WebSocket overhead per turn."""
    from os1.bench import core

    click.echo(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
               err=True)
    _print(core.run(conversations=conversations, turns=turns))


@bench_group.command("memory")
@click.option("--locomo", "locomo_path", type=click.Path(exists=True, dir_okay=False),
              help="A LoCoMo-format JSON file (e.g. ../shared/data/locomo/dev.json).")
@click.option("--k", "ks", default="1,5,10", show_default=True, help="Comma-separated k values.")
@click.option("--scale", type=int, help="Also time ingest and retrieval with this many memories.")
def memory_command(locomo_path: str | None, ks: str, scale: int | None) -> None:
    """Memory retrieval: recall@k on LoCoMo, and speed at scale."""
    from pathlib import Path

    from os1.bench import memory

    if not locomo_path and not scale:
        raise click.UsageError("give --locomo PATH and/or --scale N")
    result: dict = {}
    if locomo_path:
        k_values = tuple(sorted({int(k) for k in ks.split(",") if k.strip()}))
        try:
            result.update(memory.locomo(
                Path(locomo_path), k_values,
                progress=lambda s: click.echo(f"  conversation {s} done", err=True)))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    if scale:
        result.update(memory.scale(scale, progress=lambda n: click.echo(f"  {n:,} ingested", err=True)))
    _print(result)
