"""``os1 docs …``: a long document made listenable from the command line.

``about`` and ``find`` answer from the document with page references; ``best`` saves its best parts
(a condensed text and highlighted copies); ``simplify`` says it in simpler words and measures the
readability change; ``read`` reads it aloud — live through the speaker, with typed commands ("skip",
"back", "simpler", "word", "pause", "stop"), or into an MP3 with chapter marks for the car.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from os1.core.config import load_settings

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _load(path: Path) -> Any:
    from os1.skills.documents import library
    from os1.skills.documents.model import DocumentError

    try:
        return library.load(path)
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from exc


def _warn(opened: Any) -> None:
    for warning in opened.document.warnings[:5]:
        click.secho(f"note: {warning}", fg="yellow", err=True)


def _ref(passage: Any) -> str:
    from os1.skills.documents.model import where

    ref = where(passage)
    return f"  ({ref})" if ref else ""


@click.group("docs")
def docs_group() -> None:
    """Your documents: what they're about, their best parts, simpler words, read aloud.

    \b
    Examples:
      os1 docs about ~/Downloads/report.pdf
      os1 docs find ~/lease.pdf "the deposit"
      os1 docs best book.epub --percent 10
      os1 docs simplify paper.pdf
      os1 docs read report.pdf                  # aloud, now; type skip / back / simpler / word / stop
      os1 docs read book.txt --out car.mp3      # an audio file with chapters, for the car
    """


@docs_group.command("about")
@click.argument("path", type=_FILE)
@click.option("-n", "count", default=3, show_default=True, help="How many sentences.")
def about_command(path: Path, count: int) -> None:
    """What a document is about, in its own most central sentences."""
    from os1.skills.documents.condense import about

    opened = _load(path)
    _warn(opened)
    doc = opened.document
    pages = f"{doc.pages} pages, " if doc.pages else ""
    click.echo(f"{opened.name} — {pages}{doc.words:,} words, {len(doc.sections)} headings")
    for passage in about(doc, count):
        click.echo(f"• {passage.text}{_ref(passage)}")


@docs_group.command("find")
@click.argument("path", type=_FILE)
@click.argument("query")
@click.option("-k", "count", default=3, show_default=True, help="How many passages.")
def find_command(path: Path, query: str, count: int) -> None:
    """The part of a document about QUERY, with page references."""
    from os1.skills.documents.condense import find_part

    opened = _load(path)
    found = find_part(opened.document, query, count)
    if not found:
        raise click.ClickException(f"nothing about “{query}” in {opened.name}")
    for passage in found:
        click.echo(f"• {passage.text}{_ref(passage)}")


def _out_dir(out_dir: Path | None, opened: Any) -> Path:
    from os1.skills.documents import library

    if out_dir is None:
        return library.output_dir(load_settings().home, opened.document)
    out_dir.mkdir(parents=True, exist_ok=True)
    return out_dir


@docs_group.command("best")
@click.argument("path", type=_FILE)
@click.option("--percent", default=10.0, show_default=True, help="How much of the text to keep.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to save (default: OS1's reading folder for this document).")
def best_command(path: Path, percent: float, out_dir: Path | None) -> None:
    """The best parts: a condensed text and highlighted copies (HTML; PDF for a PDF)."""
    from os1.skills.documents.condense import condense
    from os1.skills.documents.highlight import highlighted_html, highlighted_pdf

    if not 0 < percent <= 100:
        raise click.BadParameter("give a percentage between 0 and 100", param_hint="--percent")
    opened = _load(path)
    _warn(opened)
    condensed = condense(opened.passages, ratio=percent / 100)
    folder = _out_dir(out_dir, opened)
    text = folder / "best-parts.txt"
    text.write_text("\n".join(p.text + _ref(p) for p in condensed.passages) + "\n", encoding="utf-8")
    html = folder / "highlighted.html"
    html.write_text(highlighted_html(opened.document, condensed.passages), encoding="utf-8")
    click.echo(f"kept {len(condensed.passages)} sentences, {condensed.words_after:,} of "
               f"{condensed.words_before:,} words ({condensed.ratio:.0%})")
    click.echo(f"saved {text}\nsaved {html}")
    if opened.document.format == "pdf":
        pdf = folder / "highlighted.pdf"
        marks = highlighted_pdf(path, condensed.passages, pdf)
        click.echo(f"saved {pdf} ({marks} highlights)")


@docs_group.command("simplify")
@click.argument("path", type=_FILE)
@click.option("--level", type=click.IntRange(1, 2), default=1, show_default=True,
              help="2 is simpler still.")
@click.option("--percent", type=float, help="Simplify only the best parts (this much of the text).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to save the simpler text (default: OS1's reading folder).")
def simplify_command(path: Path, level: int, percent: float | None, out_path: Path | None) -> None:
    """The document in simpler words; prints the Flesch–Kincaid grade before and after."""
    from os1.skills.documents.condense import condense
    from os1.skills.documents.simplify import simplify

    opened = _load(path)
    _warn(opened)
    passages = [p for p in opened.passages if not p.heading]
    if percent:
        passages = condense(opened.passages, ratio=percent / 100).passages
    paragraphs: list[str] = []
    block = None
    for passage in passages:
        if passage.block != block:
            paragraphs.append("")
            block = passage.block
        paragraphs[-1] += (" " if paragraphs[-1] else "") + passage.text
    result = simplify("\n\n".join(paragraphs), level=level)
    out = out_path or _out_dir(None, opened) / f"simpler-{level}.txt"
    out.write_text(result.text, encoding="utf-8")
    click.echo(f"grade {result.grade_before:.1f} → {result.grade_after:.1f}; {len(result.swaps)} words "
               f"swapped, {result.splits} long sentences split")
    for before, after in result.swaps[:8]:
        click.echo(f"  {before} → {after}")
    click.echo(f"saved {out}")


@docs_group.command("read")
@click.argument("path", type=_FILE)
@click.option("--percent", type=float,
              help="Read only the best parts (default: 10 % of anything over 3,000 words).")
@click.option("--all", "whole", is_flag=True, help="Read all of it.")
@click.option("--simpler", count=True, help="In simpler words (twice: simpler still).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Save an MP3 with chapter marks instead of reading now.")
@click.option("--text", "as_text", is_flag=True, help="Print what would be read, without sound.")
@click.option("--voice", default=None, metavar="NAME", help="joe (Piper), espeak-female, espeak-male, "
              "or piper:/path/voice.onnx.")
@click.option("--announce", metavar="CONVERSATION", hidden=True,
              help="When the --out file is done (or failed), OS1 says so in this conversation.")
def read_command(path: Path, percent: float | None, whole: bool, simpler: int, out_path: Path | None,
                 as_text: bool, voice: str | None, announce: str | None = None) -> None:
    """Read a document aloud, or make it an audio file for the car.

    A long document (over 3,000 words) is read as its best 10 % unless you say --percent or --all.
    """
    from os1.skills.documents.reader import ReadingSession
    from os1.skills.documents.reading_items import document_items

    if percent is not None and not 0 < percent <= 100:
        raise click.BadParameter("give a percentage between 0 and 100", param_hint="--percent")
    opened = _load(path)
    _warn(opened)
    long = opened.document.words > 3000
    ratio = None if whole else (percent / 100 if percent else (0.1 if long else None))
    if out_path is not None:  # the whole book is ranked at once: the best parts of all of it
        try:
            book = _audiobook(list(document_items(opened.document, ratio=ratio, lazy=False)), out_path, voice,
                              simpler, opened.name)
        except Exception as exc:
            if announce:
                _announce(announce, f"I couldn't finish the audio of “{opened.name}” for the car: {exc}")
            raise
        if announce:
            _announce(announce, f"The audio of “{opened.name}” for the car is ready: "
                                f"{book.seconds / 60:.0f} minutes in {len(book.chapters)} chapters, "
                                f"saved as {book.path}.")
        return
    items = document_items(opened.document, ratio=ratio, lazy=True)  # condensed as the reading gets there
    session = ReadingSession(items, voice=None if as_text else (voice or load_settings().voice))
    try:
        for _ in range(min(simpler, 2)):
            session.simpler()
        if as_text:
            while (sentence := session.next_sentence()) is not None:
                click.echo(sentence.text)
            return
        _read_live(session)
    finally:
        session.close()


def _announce(conversation_id: str, text: str) -> None:
    """Tell the user on OS1's own initiative (the scheduler of whatever front-end is open says it)."""
    from os1.initiative.outbox import Outbox
    from os1.storage.sqlite import open_store

    store = open_store(load_settings().db_path)
    try:
        Outbox(store).schedule(time.time(), text, kind="notice", source="documents",
                               conversation_id=conversation_id)
    finally:
        store.close()


def _audiobook(items: list, out_path: Path, voice: str | None, simpler: int, title: str) -> Any:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from os1.skills.documents.audiobook import render

    if simpler:
        from os1.skills.documents.simplify import simplify

        items = [i if i.heading else replace(i, text=simplify(i.text, level=min(simpler, 2)).text)
                 for i in items]
    with Progress(TextColumn("making the audio"), BarColumn(), TextColumn("{task.fields[audio]}"),
                  TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("audio", total=None, audio="")

        def progress(done: int, total: int, audio_s: float) -> None:
            bar.update(task, completed=done, total=total, audio=f"{audio_s / 60:.1f} min of audio")

        book = render(items, out_path, voice=voice or "joe", progress=progress, title=title)
    click.echo(f"saved {book.path}: {book.seconds / 60:.1f} minutes, {len(book.chapters)} chapters, "
               f"made in {book.render_seconds:.0f} s")
    return book


def _read_live(session: Any) -> None:
    from os1.voice.playback import OutputUnavailable, SpeakerOutput

    try:
        out = SpeakerOutput(session.rate)
    except OutputUnavailable as exc:
        raise click.ClickException(f"{exc} Use --out FILE.mp3 or --text instead.") from exc
    click.echo("Reading. Type skip, back, simpler, word, pause, go on or stop (then Enter).", err=True)

    def commands() -> None:
        while not session.finished:
            try:
                line = input()
            except EOFError:
                return
            answer = session.handle(line)
            if answer is None:
                click.echo("(skip, back, simpler, word, pause, go on, stop)", err=True)
                continue
            out.cut()  # what was buffered belongs to the old place
            click.echo(answer, err=True)

    threading.Thread(target=commands, name="os1-read-commands", daemon=True).start()
    try:
        for chunk in session.chunks():
            click.echo(chunk.sentence.text)
            out.write(chunk.samples)
            while out.queued() - out.played() > session.rate // 2:  # keep half a second ahead
                time.sleep(0.05)
        while out.queued() - out.played() > 0:
            time.sleep(0.05)
    except KeyboardInterrupt:
        session.stop()
    finally:
        out.close()
