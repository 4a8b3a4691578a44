"""``os1 files``: look through folders with a progress bar, and see what OS1 found there.

The same things can be asked in conversation ("look through my files in ~/Documents", "find the
lease I signed last spring", "organize my photos"); these commands suit the first long scan of a
big folder. Scanning asks the files.read question first ("You mind if I look through your hard
drive?") unless it was already answered yes (``--yes`` answers it). ``organize`` only shows a
proposal; ``organize --apply`` moves the files after a confirmation, journaled so ``os1 undo``
puts them back. Nothing is ever deleted or overwritten.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import click

from os1.cli.skill_support import ask_consent, open_db, progress_bar
from os1.core.config import load_settings

READ_QUESTION = "You mind if I look through your hard drive?"


def _files(db: Any) -> Any:
    from os1.skills.files.store import FileStore

    return FileStore(db)


def _consent(db: Any, yes: bool) -> None:
    """Ask the files.read question unless it was answered yes before (``--yes`` answers it)."""
    ask_consent(db, "files.read", READ_QUESTION, yes=yes, refusal="Okay, I won't look.")


def _echo_skipped(skipped: list[tuple[str, str]], what: str = "Skipped") -> None:
    from collections import Counter

    if not skipped:
        return
    click.secho(f"{what} {len(skipped):,} (the rest went on):", fg="yellow")
    for reason, count in Counter(r for _p, r in skipped).most_common(5):
        example = next(p for p, r in skipped if r == reason)
        click.secho(f"  {count:,} × {reason} (e.g. {example})", fg="yellow")


@click.group("files")
def files_group() -> None:
    """Your files: scan folders, find files by name or meaning, duplicates, big and old files, tidy up.

    \b
    os1 files scan ~/Documents ~/Pictures   look through folders (asks first; re-scans are quick)
    os1 files status                        what OS1 knows about your files
    os1 files find "the lease I signed last spring"
    os1 files dupes | large | stale         identical copies, biggest files, untouched for years
    os1 files organize [--apply]            a tidy-up proposal; --apply moves after a yes (os1 undo)
    """


@files_group.command("scan", short_help="Look through folders and index what's in them (asks first).")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Answer yes to \"You mind if I look through your hard drive?\".")
@click.option("--no-read", is_flag=True, help="Metadata only: don't read documents, photos and media now.")
@click.option("--no-ocr", is_flag=True, help="Don't look for text in screenshots and scans (tesseract).")
def scan_command(folders: tuple[Path, ...], yes: bool, no_read: bool, no_ocr: bool) -> None:
    """Look through FOLDERS (default: the folders scanned before) and index what's in them.

    First the names, sizes and dates of every file (fast); then what's inside documents, photos
    and recordings (slower; stop it with Ctrl-C any time and the next scan goes on where it stopped).
    Unchanged files are not looked at again; changed ones are re-read; deleted ones are forgotten.
    """
    from os1.skills.files import scanner

    with open_db() as db:
        store = _files(db)
        roots = [str(f) for f in folders] or [r for r, _ in store.roots()]
        if not roots:
            raise click.UsageError("Which folders? For example: os1 files scan ~/Documents ~/Pictures")
        _consent(db, yes)
        bar = progress_bar()
        with bar:
            task = bar.add_task("looking at files", total=None)

            def progress(phase: str, done: int, total: int | None) -> None:
                label = "looking at files" if phase == "scan" else "reading contents"
                bar.update(task, description=label, completed=done, total=total)

            try:
                report = scanner.scan(store, roots, progress=progress, exclude=[load_settings().home])
            except scanner.ScanError as exc:
                raise click.ClickException(str(exc)) from exc
        rate = report.files / report.seconds if report.seconds else 0.0
        click.echo(f"{report.describe()} {report.seconds:.1f} s ({rate:,.0f} files/s).")
        _echo_skipped(report.skipped)
        if no_read:
            return
        bar = progress_bar()
        try:
            with bar:
                task = bar.add_task("reading contents", total=store.count_pending(scanner.CONTENT_KINDS))
                content = scanner.read_contents(
                    store, ocr=not no_ocr,
                    progress=lambda _p, done, total: bar.update(task, completed=done, total=total))
        except KeyboardInterrupt:
            click.echo("Stopped; what was read is saved. Scan again to go on.")
            return
        click.echo(f"{content.describe()} {content.seconds:.1f} s.")
        _echo_skipped(content.failed, "Couldn't read")
        _echo_skipped(content.skipped, "Left for next time")


@files_group.command("status", short_help="What OS1 knows about your files.")
def status_command() -> None:
    """What OS1 knows about your files: folders, kinds, how much is read."""
    from os1.skills.files.scanner import CONTENT_KINDS
    from os1.skills.files.tools import human_size, short

    with open_db() as db:
        store = _files(db)
        roots = store.roots()
        if not roots:
            click.echo("No folders scanned yet (os1 files scan FOLDER).")
            return
        for root, when in roots:
            stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(when)) if when else "not finished"
            click.echo(f"{short(root)}  (scanned {stamp})")
        info = store.summary()
        for kind, (n, size) in info["kinds"].items():
            click.echo(f"  {kind:10} {n:>9,}  {human_size(size):>10}")
        pending = store.count_pending(CONTENT_KINDS)
        click.echo(f"{store.count():,} files; {info['with_text']:,} with searchable text; "
                   f"{pending:,} still to read; {info['read_errors']:,} unreadable.")


@files_group.command("find", short_help="Find files by name, content, meaning and date.")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=10, show_default=True)
@click.option("--no-meaning", is_flag=True, help="Don't re-rank by meaning with the MiniLM encoder (faster).")
def find_command(query: tuple[str, ...], limit: int, no_meaning: bool) -> None:
    """Find files by name, by what's in them, and by when: os1 files find the lease I signed last spring."""
    from os1.skills.files import search
    from os1.skills.files.tools import human_size, short

    text = " ".join(query)
    with open_db() as db:
        _consent(db, False)
        hits = search.find(_files(db), text, limit=limit, encoder=False if no_meaning else None)
    parsed = search.parse(text)
    if parsed.phrase:
        click.echo(f"(from {parsed.phrase})", err=True)
    if not hits:
        click.echo("Nothing found.")
        raise SystemExit(1)
    for hit in hits:
        row = hit.file
        when = time.strftime("%Y-%m-%d", time.localtime(row.when))
        click.echo(f"{short(row.path)}  [{when}, {human_size(row.size)}, by {hit.why}]")


@files_group.command("dupes", short_help="Identical files (nothing is deleted).")
@click.option("--min-size", default=1, show_default=True, help="Ignore files smaller than this (bytes).")
@click.option("--limit", default=20, show_default=True, help="Groups to show.")
def dupes_command(min_size: int, limit: int) -> None:
    """Identical files (same size, then same bytes). Nothing is deleted."""
    from os1.skills.files.duplicates import find_duplicates
    from os1.skills.files.tools import human_size, short

    with open_db() as db:
        _consent(db, False)
        report = find_duplicates(_files(db), min_size=min_size)
    if not report.groups:
        click.echo("No duplicates among the files scanned.")
    for group in report.groups[:limit]:
        click.echo(f"{len(group.files)} × {human_size(group.size)}:")
        for row in group.files:
            click.echo(f"    {short(row.path)}")
    if report.groups:
        freed = human_size(report.wasted)
        click.echo(f"{len(report.groups):,} groups; keeping one of each would free {freed}.")
    _echo_skipped(report.skipped)


@files_group.command("large")
@click.option("-n", "--limit", default=20, show_default=True)
def large_command(limit: int) -> None:
    """The biggest files."""
    from os1.skills.files.tools import human_size, short

    with open_db() as db:
        _consent(db, False)
        rows = _files(db).largest(limit)
    for row in rows:
        click.echo(f"{human_size(row.size):>10}  {short(row.path)}")
    if not rows:
        click.echo("No files scanned yet.")


@files_group.command("stale")
@click.option("--years", default=2.0, show_default=True, help="Untouched for at least this long.")
@click.option("-n", "--limit", default=20, show_default=True)
def stale_command(years: float, limit: int) -> None:
    """Files nobody has changed in years (biggest first)."""
    from os1.skills.files.tools import human_size, short

    with open_db() as db:
        _consent(db, False)
        rows = _files(db).untouched_since(time.time() - years * 365.25 * 86400)
    for row in rows[:limit]:
        when = time.strftime("%Y-%m-%d", time.localtime(row.mtime))
        click.echo(f"{when}  {human_size(row.size):>10}  {short(row.path)}")
    total = sum(r.size for r in rows)
    click.echo(f"{len(rows):,} files untouched for {years:g}+ years ({human_size(total)}).")


@files_group.command("organize", short_help="Suggest a tidy-up; --apply moves after a yes (os1 undo).")
@click.option("--apply", "do_apply", is_flag=True,
              help="Move the files (asks first; `os1 undo` puts them back).")
@click.option("--yes", is_flag=True, help="With --apply: don't ask.")
@click.option("--details", is_flag=True, help="List every move.")
@click.option("--only", type=click.Choice(["photos", "videos", "music"]), help="Just these.")
def organize_command(do_apply: bool, yes: bool, details: bool, only: str | None) -> None:
    """Suggest where photos, videos and music could go ("these 212 photos from 2019 could go into
    Photos/2019"). Nothing moves without --apply; nothing is ever overwritten or deleted."""
    from os1.skills.files import organize
    from os1.skills.files.tools import short

    with open_db() as db:
        _consent(db, False)
        store = _files(db)
        proposal = organize.propose(store, only or "")
        if not proposal.groups:
            click.echo("Photos, videos and music already look tidy.")
            return
        for group in proposal.groups:
            line = group.describe(proposal.roots.get(group.folder, ""))
            click.echo(line[0].upper() + line[1:] + ".")
            for src, dst in group.moves if details else []:
                click.echo(f"    {short(src)} -> {short(dst)}")
        moves = proposal.moves
        if not do_apply:
            click.echo(f"{len(moves):,} files in all. Run `os1 files organize --apply` to move them.")
            return
        if not yes and not click.confirm(f"Move these {len(moves):,} files? (os1 undo puts them back)",
                                         default=False):
            click.echo("Nothing moved.")
            return
        result = organize.apply(store, moves)
        folders = ", ".join(os.path.relpath(g.folder, proposal.roots.get(g.folder, "/"))
                            for g in proposal.groups[:3])
        if result.undo:
            db.journal.record("files", "apply_organize", f"moved {len(result.moved):,} files into {folders}",
                              {"skill": "files", **result.undo})
        click.echo(result.describe() + (" `os1 undo` puts them back." if result.moved else ""))
