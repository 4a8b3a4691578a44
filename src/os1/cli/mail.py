"""``os1 mail``: bring mail in with a progress bar, and see what OS1 holds.

The same work is available in conversation ("import my mail from …", "check my email"); these
commands are for the long first import of a big mailbox, where a progress bar matters.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from os1.core.config import load_settings


def _store() -> tuple[Any, Any]:
    from os1.skills.mail.store import MailStore
    from os1.storage.sqlite import open_store

    settings = load_settings()
    db = open_store(settings.db_path)
    return db, MailStore(db)


def _report(report: Any) -> None:
    click.echo(f"{report.describe().capitalize()} in {report.seconds:.1f} s.")
    if report.skipped:
        reasons = Counter(reason for _where, reason in report.skipped)
        click.secho(f"Skipped {len(report.skipped)} (nothing was changed in your files):", fg="yellow")
        for reason, count in reasons.most_common(5):
            click.secho(f"  {count} × {reason}", fg="yellow")


def _progress() -> tuple[Any, Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   transient=True)
    return bar, bar.add_task("reading mail", total=None)


@click.group("mail")
def mail_group() -> None:
    """Import and sync your email (also possible by just asking in the chat)."""


@mail_group.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def import_command(path: Path) -> None:
    """Import an mbox file, a Maildir, or a folder of .eml files."""
    from os1.skills.mail.importers import MailImportError, import_path

    db, store = _store()
    bar, task = _progress()
    try:
        with bar:
            report = import_path(store, path, progress=lambda done, total: bar.update(
                task, completed=done, total=total or None))
    except MailImportError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        db.close()
    _report(report)


@mail_group.command("sync")
@click.option("--folder", "folders", multiple=True, help="IMAP folder (repeatable; default INBOX).")
def sync_command(folders: tuple[str, ...]) -> None:
    """Fetch new mail from the IMAP account in config.toml ([mail]; password in OS1_MAIL_PASSWORD)."""
    from os1.skills.mail.account import AccountError, load_account
    from os1.skills.mail.importers import ImapAccount, MailImportError, sync_imap

    try:
        account = load_account(load_settings().home)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    if not account.can_fetch:
        raise click.ClickException("No mail account yet: set [mail] imap_host and username in config.toml, "
                                   "and OS1_MAIL_PASSWORD in the environment.")
    imap = ImapAccount(host=account.imap_host, username=account.username, password=account.password,
                       port=account.imap_port, ssl=account.imap_ssl)
    db, store = _store()
    bar, task = _progress()
    try:
        with bar:
            report = sync_imap(store, imap, list(folders) or None, progress=lambda done, total: bar.update(
                task, completed=done, total=total or None))
    except MailImportError as exc:
        raise click.ClickException(f"{exc} (what was fetched before is kept; run it again to go on)") from exc
    finally:
        db.close()
    _report(report)


@mail_group.command("status")
def status_command() -> None:
    """How much mail OS1 holds: in the inbox, archived, in the trash."""
    db, store = _store()
    try:
        counts = {status: store.count(status) for status in ("inbox", "archived", "trashed")}
    finally:
        db.close()
    click.echo("  ".join(f"{status}: {count:,}" for status, count in counts.items()))
