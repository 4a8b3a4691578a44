"""The ``os1`` command: the entry point and the group every command module plugs into.

``os1`` alone opens the terminal chat (with first boot on the very first run).
Errors users can act on (a locked or damaged database, a bad config, an
unreachable server) are printed as one clear line with exit code 1, never as a
traceback.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

import click

from os1.cli import (
    bench,
    chat,
    data,
    documents,
    files,
    growth,
    guard,
    mail,
    memory,
    news,
    status,
    voice,
)
from os1.cli import calendar as calendar_cli
from os1.cli import music as music_cli
from os1.core.config import ConfigError
from os1.storage.base import StorageError


class FriendlyErrors(click.Group):
    """Turns known failures into one readable line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (StorageError, ConfigError) as exc:
            click.secho(f"os1: {exc}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=FriendlyErrors, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="os1")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """OS1 — a personal AI that lives on your computer and runs offline.

    Run without a command to talk (the first run starts a short interview).
    Data lives in $OS1_HOME (default: your user data folder); the brain is
    chosen with $OS1_BRAIN (see `os1 status`).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(chat.chat_command)


for command in (
    chat.chat_command,
    chat.say_command,
    data.export_command,
    data.forget_command,
    data.reset_command,
    guard.consent_group,
    guard.undo_command,
    guard.journal_command,
    growth.growth_command,
    memory.memory_group,
    status.status_command,
    bench.bench_group,
    voice.voice_command,
    mail.mail_group,
    files.files_group,
    documents.docs_group,
    news.news_group,
    calendar_cli.calendar_group,
    music_cli.music_group,
):
    cli.add_command(command)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Keep 127.0.0.1 unless you put OS1 behind a proxy.")
@click.option("--port", default=8765, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Run the OS1 server (REST + WebSocket) so other terminals and devices can join.

    Every request needs the token stored in $OS1_HOME/server_token
    (print it with `os1 token`).
    """
    from os1.core.config import load_settings
    from os1.server.app import serve
    from os1.server.auth import TokenError

    try:
        serve(load_settings(), host=host, port=port)
    except (OSError, TokenError) as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("token")
def token_command() -> None:
    """Print the server's access token (creating it if needed)."""
    from os1.core.config import load_settings
    from os1.server.auth import load_or_create_token

    click.echo(load_or_create_token(load_settings()))


def main() -> None:
    # A shell may start us with Ctrl-C ignored (background jobs of scripts, some CI runners);
    # in an interactive program Ctrl-C must always stop the reply, so take it back.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    cli(prog_name="os1")


if __name__ == "__main__":
    main()
