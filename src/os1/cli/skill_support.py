"""What the skill commands (``os1 files``, ``music``, ``news``, ``calendar``) share: the database, the
consent question asked at the terminal, and the progress bar of long work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from os1.core.config import load_settings


@contextmanager
def open_db() -> Iterator[Any]:
    """The OS1 database of this ``OS1_HOME``, closed afterwards."""
    from os1.storage.sqlite import open_store

    db = open_store(load_settings().db_path)
    try:
        yield db
    finally:
        db.close()


def ask_consent(db: Any, scope: str, question: str, *, yes: bool, refusal: str = "Okay, I won't.") -> None:
    """Ask ``question`` unless ``scope`` was granted before (``--yes`` answers it); a no ends the command."""
    grant = db.consent.get(scope)
    if grant is not None and grant.granted:
        return
    if not yes and not click.confirm(question, default=False):
        raise click.ClickException(f"{refusal} (Allow it any time: os1 consent grant {scope}, "
                                   "or answer --yes)")
    db.consent.set(scope, True)


def progress_bar() -> Any:
    """A rich progress bar: what, how far, how long so far and how long still (gone when done)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), transient=True)
