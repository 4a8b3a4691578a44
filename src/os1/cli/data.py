"""``os1 export``, ``os1 forget --all`` and ``os1 reset``: the user owns their data."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
from rich.console import Console

from os1.core.config import load_settings
from os1.storage.archive import default_export_path, erase_everything, write_archive
from os1.storage.sqlite import open_store


def _export(path: Path | None) -> Path:
    settings = load_settings()
    target = path or default_export_path()
    store = open_store(settings.db_path)
    try:
        counts = write_archive(store, target)
    except OSError as exc:
        raise click.ClickException(f"Cannot write the export to {target}: {exc.strerror or exc}") from exc
    finally:
        store.close()
    summary = ", ".join(f"{n} {table}" for table, n in counts.items() if n)
    click.echo(f"Exported to {target} ({summary or 'nothing stored yet'}).")
    return target


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
def export_command(path: Path | None) -> None:
    """Write everything OS1 knows about you to one zip archive (default: ./os1-export-DATE.zip)."""
    _export(path)


@click.command("forget")
@click.option("--all", "everything", is_flag=True, required=True,
              help="Erase everything: profile, conversations, notes, permissions, journal.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def forget_command(everything: bool, yes: bool) -> None:
    """Erase everything OS1 knows (asks first; `os1 export` before if you want a copy)."""
    settings = load_settings()
    if not yes:
        click.confirm(
            f"This permanently erases everything OS1 knows about you ({settings.home}). "
            "It cannot be undone. Continue?", abort=True)
    removed = erase_everything(settings)
    click.echo("Everything is erased." if removed else "There was nothing to erase.")


@click.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (no export is made).")
def reset_command(yes: bool) -> None:
    """Start over: erase this OS and run the first-boot interview again (offers an export first)."""
    settings = load_settings()
    if not yes:
        if settings.db_path.exists() and click.confirm(
                "Before resetting, export everything to an archive?", default=True):
            _export(None)
        click.confirm("Reset erases your OS's memory and personality, and starts a new one. "
                      "Continue?", abort=True)
    erase_everything(settings)
    click.echo("Reset done.")
    if yes:
        return
    from os1.cli.chat import _first_boot
    from os1.core.runtime import open_runtime

    runtime = open_runtime(settings)
    with asyncio.Runner() as runner:
        _first_boot(runtime, runner, Console(highlight=False))
    runtime.close()

