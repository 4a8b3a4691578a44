"""``os1 status``: where the data lives, which brain answers, which skills loaded — and what is wrong."""

from __future__ import annotations

import asyncio

import click

from os1.brain import registry
from os1.brain.base import BrainUnavailable
from os1.core.config import load_settings


def _next_nudge(runtime: object) -> str:
    """The next thing OS1 will say on its own, e.g. "2 waiting; next: Tue 9 am, reminder: Call Amy."."""
    from os1.expression.times import clock_phrase
    from os1.initiative.outbox import Outbox

    waiting = Outbox(runtime.store).upcoming(limit=1000)  # type: ignore[attr-defined]
    if not waiting:
        return "nothing scheduled"
    first = waiting[0]
    return (f"{len(waiting)} waiting; next: {first.due.strftime('%a %b %d')} {clock_phrase(first.due)}, "
            f"{first.kind}: {first.text}")


@click.command("status")
@click.option("--check/--no-check", default=True,
              help="Try the brain (loads the model or calls the endpoint).")
def status_command(check: bool) -> None:
    """Show the data folder, the brain, the skills and their health."""
    from os1.core.runtime import open_runtime

    settings = load_settings()
    runtime = open_runtime(settings)
    try:
        profile = runtime.profile
        click.echo(f"data folder   {settings.home}")
        click.echo(f"database      {settings.db_path} (schema {runtime.store.schema_version})")
        config_state = "present" if settings.config_path.exists() else "not present; optional"
        click.echo(f"config file   {settings.config_path} ({config_state})")
        state = (f"set up: {profile.os_name} with {profile.user_name}" if profile.booted
                 else "not set up yet (run os1)")
        click.echo(f"profile       {state}")
        click.echo(f"brains known  {', '.join(sorted(registry.available()))}")
        if runtime.brain is None:
            click.secho(f"brain         unavailable: {runtime.brain_notice}", fg="red")
        else:
            line = runtime.brain.describe()
            if check:
                try:
                    asyncio.run(runtime.brain.check())
                    line += " — ok"
                except BrainUnavailable as exc:
                    line += f" — NOT WORKING: {exc}"
            click.echo(f"brain         {line}")
            if runtime.brain_notice:
                click.secho(f"              {runtime.brain_notice}", fg="yellow")
        click.echo(f"router        {settings.router}")
        click.echo(f"skills        {', '.join(sorted(runtime.skills.skills)) or 'none'}")
        for name, reason in runtime.skills.broken.items():
            click.secho(f"skill broken  {name}: {reason}", fg="red")
        click.echo(f"initiative    {_next_nudge(runtime)}")
    finally:
        runtime.close()
