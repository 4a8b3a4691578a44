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
