"""``os1 consent``, ``os1 undo`` and ``os1 journal``: permissions and the action journal from the shell."""

from __future__ import annotations

import asyncio
import time

import click

from os1.core.config import load_settings


def _runtime():  # type: ignore[no-untyped-def]
    from os1.core.runtime import open_runtime

    return open_runtime(load_settings())


@click.group("consent", invoke_without_command=True)
@click.pass_context
def consent_group(ctx: click.Context) -> None:
    """Show what OS1 may do; grant or revoke permission scopes."""
    if ctx.invoked_subcommand is not None:
        return
    runtime = _runtime()
    try:
        grants = {g.scope: g for g in runtime.store.consent.list()}
        scopes = sorted({s for skill in runtime.skills.skills.values() for s in skill.scopes} | set(grants))
        if not scopes:
            click.echo("No skill needs permissions yet, and none were granted.")
        for scope in scopes:
            grant = grants.get(scope)
            state = "not asked yet" if grant is None else ("allowed" if grant.granted else "refused")
            when = f" ({time.strftime('%Y-%m-%d %H:%M', time.localtime(grant.updated_at))})" if grant else ""
            click.echo(f"{scope:24} {state}{when}")
    finally:
        runtime.close()


@consent_group.command("grant")
@click.argument("scope")
def grant_command(scope: str) -> None:
    """Allow a permission scope (e.g. files.read) without being asked."""
    runtime = _runtime()
    try:
        runtime.gate.grant([scope])
        click.echo(f"Allowed {scope}.")
    finally:
        runtime.close()


@consent_group.command("revoke")
@click.argument("scope")
def revoke_command(scope: str) -> None:
    """Take a permission back; OS1 will ask again before using it."""
    runtime = _runtime()
    try:
        changed = runtime.gate.revoke(scope)
        click.echo(f"Revoked {scope}." if changed else f"{scope} was not granted.")
    finally:
        runtime.close()


@click.command("undo")
def undo_command() -> None:
    """Undo the last reversible change OS1 made."""
    from os1.guard.journal import undo_last
    from os1.skills.base import ToolContext

    runtime = _runtime()
    try:
        latest = runtime.store.conversations.latest()
        ctx = ToolContext(runtime, latest.id if latest else "")
        click.echo(asyncio.run(undo_last(runtime.store.journal, runtime.skills, ctx)))
    finally:
        runtime.close()


@click.command("journal")
@click.option("--limit", default=20, show_default=True)
def journal_command(limit: int) -> None:
    """List the changes OS1 made, newest first, and whether they were undone."""
    runtime = _runtime()
    try:
        entries = runtime.store.journal.list(limit)
        if not entries:
            click.echo("OS1 hasn't changed anything yet.")
        for entry in entries:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.created_at))
            state = " (undone)" if entry.undone_at else ("" if entry.undo else " (cannot be undone)")
            click.echo(f"#{entry.id} {when} {entry.skill}.{entry.tool}: {entry.summary}{state}")
    finally:
        runtime.close()
