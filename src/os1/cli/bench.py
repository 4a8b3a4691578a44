"""``os1 bench …``: benchmarks; each prints, as its last line, one flat JSON object of metrics."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

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


@bench_group.command("emotion")
@click.option("--goemotions", "goemotions_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="A GoEmotions-format TSV: text, comma-separated label ids, id "
                   "(e.g. ../shared/data/goemotions/dev.tsv).")
@click.option("--labels", "labels_path", type=click.Path(exists=True, dir_okay=False),
              help="The label names the ids index, one per line (default: the 28 GoEmotions labels; "
                   "Ekman's 6 + neutral, e.g. goemotions/ekman/labels.txt, use the Ekman head).")
def emotion_command(goemotions_path: str, labels_path: str | None) -> None:
    """Text emotion classifier: multi-label macro-F1, per-label F1 and sentences/s."""
    from pathlib import Path

    from os1.bench import emotion
    from os1.perception.emotion import EmotionModelError

    try:
        result = emotion.run(Path(goemotions_path), Path(labels_path) if labels_path else None,
                             progress=lambda message: click.echo(f"  {message}", err=True))
    except (ValueError, OSError, EmotionModelError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print(result)


@bench_group.command("stt")
@click.option("--manifest", "manifest_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="TSV with columns path, reference (paths relative to it), "
                   "e.g. ../shared/data/speech/manifest.tsv.")
@click.option("--engine", type=click.Choice(["whisper", "sphinx"]), default="whisper", show_default=True)
def stt_command(manifest_path: str, engine: str) -> None:
    """Speech to text: word error rate and real-time factor."""
    from os1.bench import stt
    from os1.perception.stt import STTUnavailable

    try:
        result = stt.run(Path(manifest_path), engine,
                         progress=lambda line: click.echo(f"  {line}", err=True),
                         warn=lambda line: click.echo(f"warning: {line}", err=True))
    except (ValueError, STTUnavailable) as exc:
        raise click.ClickException(str(exc)) from exc
    _print(result)


@bench_group.command("voice")
@click.option("--runs", default=20, show_default=True, help="Timed question-and-interruption runs.")
@click.option("--question", "question_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A recorded question (default: questions spoken by Piper).")
@click.option("--interruption", "interruption_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A recorded interruption (default: 'Wait, stop, stop.' spoken by Piper).")
def voice_command(runs: int, question_path: Path | None, interruption_path: Path | None) -> None:
    """Spoken reply latency (end of speech → first reply audio) and barge-in stop time."""
    from os1.bench import voice
    from os1.perception.audio import AudioError

    click.echo(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
               err=True)
    try:
        result = voice.run(runs, question_path, interruption_path,
                           progress=lambda n, r: click.echo(f"  run {n}: {r}", err=True))
    except (AudioError, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print(result)


@bench_group.command("mail")
@click.option("--corpus", "corpus_path", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="One folder per label with raw messages inside; a folder whose name starts with 'spam' "
                   "is junk (e.g. ../shared/data/email/spamassassin).")
@click.option("--heldout-only", is_flag=True,
              help="Only the files the junk model never saw (its held-out test split).")
@click.option("--generate", type=int, help="Also time import + triage of this many synthetic messages.")
def mail_command(corpus_path: Path | None, heldout_only: bool, generate: int | None) -> None:
    """Junk precision / recall / F1 and import + triage messages/s."""
    from os1.bench import mail
    from os1.skills.mail.junk import JunkModelError

    if corpus_path is None and not generate:
        raise click.UsageError("give --corpus DIR and/or --generate N")
    result: dict = {}
    try:
        if generate:
            result.update(mail.generate(generate, progress=lambda line: click.echo(f"  {line}", err=True)))
        if corpus_path is not None:
            result.update(mail.run(corpus_path, heldout_only=heldout_only,
                                   progress=lambda line: click.echo(f"  {line}", err=True),
                                   warn=lambda line: click.echo(f"warning: {line}", err=True)))
    except (ValueError, JunkModelError) as exc:
        raise click.ClickException(str(exc)) from exc
    _print(result)


@bench_group.command("documents")
@click.option("--frank", "frank_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="FRANK article JSONs (e.g. ../shared/data/summarization/frank/articles): ROUGE of "
                   "3-sentence condensed versions beside Lead-3.")
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Long documents (e.g. ../shared/data/documents): simpler words and reading speed.")
@click.option("--files", "files_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder to scan: file metadata rate.")
@click.option("--generate-files", type=int, default=0, help="Also scan a generated tree of this many files.")
@click.option("--limit", type=int, help="Only the first N FRANK articles.")
@click.option("--no-audiobook", is_flag=True, help="Skip rendering the whole condensed audiobook (minutes).")
def documents_command(frank_dir: Path | None, docs_dir: Path | None, files_dir: Path | None,
                      generate_files: int, limit: int | None, no_audiobook: bool) -> None:
    """Summaries (ROUGE vs Lead-3), simpler words, reading speed and file scanning."""
    from os1.bench import documents

    if not any((frank_dir, docs_dir, files_dir, generate_files)):
        raise click.UsageError("say what to measure: --frank DIR, --docs DIR, --files DIR or "
                               "--generate-files N")
    click.echo(f"machine: {platform.machine()}, {os.cpu_count()} cores", err=True)
    _print(documents.run(frank=frank_dir, docs=docs_dir, files=files_dir, generate_files=generate_files,
                         limit=limit, audiobook=not no_audiobook, echo=lambda m: click.echo(m, err=True)))


@bench_group.command("calendar")
@click.option("--ics", "ics_dir", type=click.Path(file_okay=False, path_type=Path),
              default="../shared/data/contacts_calendar/vobject", show_default=True,
              help="A folder of .ics files (others are ignored) to import without crashing.")
@click.option("--phrases", "phrases_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A phrase file like os1/bench/data/reminder_phrases.tsv (default: the packaged one).")
def calendar_command(ics_dir: Path, phrases_path: Path | None) -> None:
    """Calendar: every .ics file imported without crashing; reminder phrases → the right moment."""
    from os1.bench import calendar

    click.echo(f"machine: {platform.machine()}, {os.cpu_count()} cores", err=True)
    folder = ics_dir if ics_dir.is_dir() else None
    if folder is None:
        click.echo(f"no folder {ics_dir}: the iCalendar part is skipped", err=True)
    _print(calendar.run(folder, phrases_path, progress=lambda line: click.echo(f"  {line}", err=True)))


@bench_group.command("music")
@click.option("--tracks", default=10_000, show_default=True, help="Size of the synthetic library.")
@click.option("--seed", default=7, show_default=True, help="Seed of the library and of the requests.")
@click.option("--real", "real_dir", type=click.Path(file_okay=False, path_type=Path),
              default="../shared/data/music/mutagen", show_default=True,
              help="A folder of real audio files to index: what was read, skipped and why.")
@click.option("--no-real", is_flag=True, help="Skip the real-file part.")
@click.option("--no-meaning", is_flag=True, help="Without the MiniLM encoder (words and sounds only).")
def music_command(tracks: int, seed: int, real_dir: Path, no_real: bool, no_meaning: bool) -> None:
    """Music requests: accuracy and p95 time resolving >= 300 phrased requests among 10,000 tracks;
    real files indexed (read / skipped and why)."""
    from os1.bench import music

    click.echo(f"machine: {platform.machine()}, {os.cpu_count()} cores", err=True)
    _print(music.run(tracks=tracks, seed=seed, real=None if no_real else real_dir,
                     encoder=False if no_meaning else None, echo=lambda m: click.echo(m, err=True)))
