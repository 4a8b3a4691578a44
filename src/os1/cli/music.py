"""``os1 music``: index your music with a progress bar, find and play songs, see what was played.

The same things can be asked in conversation ("scan my music in ~/Music", "play Lua by Bright Eyes",
"play something calm", "what's this song?"); these commands suit the first long scan of a big
library and playing from a terminal. Scanning asks the music.read question first ("Can I look
through your music?") unless it was answered yes before (``--yes`` answers it).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import click

from os1.cli.skill_support import ask_consent, open_db, progress_bar

READ_QUESTION = "Can I look through your music?"


def _consent(db: Any, yes: bool) -> None:
    """Ask the music.read question unless it was answered yes before (``--yes`` answers it)."""
    ask_consent(db, "music.read", READ_QUESTION, yes=yes, refusal="Okay, I won't look.")


def _short(path: str) -> str:
    home = str(Path.home())
    return "~" + path[len(home):] if path == home or path.startswith(home + "/") else path


def _clock(seconds: float | None) -> str:
    if not seconds:
        return "-:--"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


@click.group("music")
def music_group() -> None:
    """Your music: index it, find and play songs, albums and artists, see what was played.

    \b
    os1 music scan ~/Music                 index a folder (asks first; re-scans read only what changed)
    os1 music status                       what OS1 knows about your music
    os1 music find "Lua by Bright Eyes"    which track a request means, and why (or the question)
    os1 music play "the third track of Lifted"   play it here (Ctrl-C stops)
    os1 music history                      what was played lately
    """


@music_group.command("scan", short_help="Index the music in folders (asks first).")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help=f"Answer yes to \"{READ_QUESTION}\".")
@click.option("--listen/--no-listen", default=False, show_default=True,
              help="Also listen to new tracks (tempo, key, energy with librosa) to judge their mood: slower, "
                   "about half a second a track.")
@click.option("--no-meaning", is_flag=True, help="Don't give titles and lyrics MiniLM vectors (\"that song "
                                                 "about …\" then works on words only).")
@click.option("--no-check", is_flag=True,
              help="Don't decode the end of each new file to catch truncated ones.")
def scan_command(folders: tuple[Path, ...], yes: bool, listen: bool, no_meaning: bool,
                 no_check: bool) -> None:
    """Index the music in FOLDERS (default: the folders scanned before): mp3, flac, ogg/oga, opus, m4a.

    Unchanged files (same size and time) are not read again; changed ones are; files that are gone
    are forgotten, and a file moved elsewhere keeps its history. Broken files (empty, unparseable,
    truncated) are listed with the reason and never played; duplicates point to the best copy.
    """
    from os1.skills.music import library
    from os1.skills.music.store import MusicStore

    with open_db() as db:
        store = MusicStore(db)
        roots = [str(f) for f in folders] or [r for r, _ in store.roots()]
        if not roots:
            raise click.UsageError("Which folders? For example: os1 music scan ~/Music")
        _consent(db, yes)
        bar = progress_bar()
        labels = {"finding": "finding music files", "reading": "reading tags",
                  "understanding": "understanding titles and lyrics", "rating": "judging moods"}
        with bar:
            task = bar.add_task(labels["finding"], total=None)

            def progress(phase: str, done: int, total: int | None, _detail: str) -> None:
                bar.update(task, description=labels.get(phase, phase), completed=done, total=total)

            try:
                report = library.scan(db, roots, progress=progress, listen=listen,
                                      encoder=False if no_meaning else None, check_audio=not no_check)
            except library.ScanError as exc:
                raise click.ClickException(str(exc)) from exc
            except KeyboardInterrupt:
                store.bump()
                raise click.ClickException("Stopped; what was read is kept. Scan again to go on.") from None
        rate = report.read / report.seconds if report.seconds else 0.0
        click.echo(f"{report.describe()} {report.seconds:.1f} s ({rate:,.0f} files/s read).")
        if report.unreadable:
            click.secho(f"Can't play {len(report.unreadable):,} (kept, never offered):", fg="yellow")
            for path, why in report.unreadable[:10]:
                click.secho(f"  {_short(path)}: {why}", fg="yellow")
            if len(report.unreadable) > 10:
                click.secho(f"  … and {len(report.unreadable) - 10:,} more (os1 music status)", fg="yellow")
        if report.other_files:
            top = ", ".join(f"{n:,} {ext}" for ext, n in report.other_files.most_common(5))
            click.echo(f"Not music, left alone: {top}.")
        for path, why in report.skipped[:5]:
            click.secho(f"Skipped {_short(path)}: {why}", fg="yellow")


@music_group.command("status", short_help="What OS1 knows about your music.")
def status_command() -> None:
    """Folders, songs, artists, albums, hours, duplicates, moods rated, and files that can't be played."""
    from os1.skills.music.store import MusicStore

    with open_db() as db:
        store = MusicStore(db)
        roots = store.roots()
        if not roots:
            click.echo("No music scanned yet (os1 music scan FOLDER).")
            return
        for root, when in roots:
            stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(when)) if when else "not finished"
            click.echo(f"{_short(root)}  (scanned {stamp})")
        info = store.summary()
    seconds = float(info["seconds"] or 0)
    length = f"{seconds / 3600:,.1f} hours" if seconds >= 3600 else f"{seconds / 60:,.0f} minutes"
    click.echo(f"{info['playable']:,} songs by {info['artists']:,} artists on {info['albums']:,} albums "
               f"({length}); {info['duplicates']:,} duplicates of a better copy; "
               f"{info['tagless']:,} without tags; {info['with_lyrics']:,} with lyrics; "
               f"{info['rated']:,} with a mood.")
    if info["unreadable"]:
        reasons = Counter(why.split(":")[0].split(" (")[0] for _p, why in info["errors"])
        top = "; ".join(f"{n:,} × {r}" for r, n in reasons.most_common(4))
        click.secho(f"{info['unreadable']:,} files can't be played: {top}.", fg="yellow")
        for path, why in info["errors"][:5]:
            click.secho(f"  {_short(path)}: {why}", fg="yellow")


def _show(result: Any) -> None:
    if result.kind == "question":
        click.echo(result.question)
        for number, option in enumerate(result.options, start=1):
            album = f" — {option.album}" if option.album and option.kind == "song" else ""
            click.echo(f"  {number}. {option.label}{album}")
        return
    if result.kind == "none":
        click.echo(result.text)
        return
    head = {"track": "Track", "album": f"Album {result.album} by {result.artist}",
            "artist": f"Artist {result.artist}"}[result.kind]
    click.echo(f"{head}  (by {result.why}; score {result.score:.0f}; {result.ms:.1f} ms)")
    for track in result.tracks[:12]:
        where = f"{track.album}, track {track.track_no}" if track.album and track.track_no else track.album
        click.echo(f"  {track.label}" + (f" — {where}" if where else "") + f"  [{_clock(track.duration)}]  "
                   f"{_short(track.path)}")
    if len(result.tracks) > 12:
        click.echo(f"  … {len(result.tracks) - 12} more")


@music_group.command("find", short_help="Which track a request means, and why.")
@click.argument("request", nargs=-1, required=True)
@click.option("--no-meaning", is_flag=True, help="Don't match by meaning with the MiniLM encoder (faster).")
def find_command(request: tuple[str, ...], no_meaning: bool) -> None:
    """Show what a request resolves to: os1 music find "the third track of Lifted".

    Exits 1 when nothing matches, 2 when the request is ambiguous (the question is shown)."""
    from os1.skills.music.resolve import resolve

    text = " ".join(request)
    with open_db() as db:
        _consent(db, False)
        result = resolve(db, text, encoder=False if no_meaning else None)
    _show(result)
    if result.kind == "none":
        raise SystemExit(1)
    if result.kind == "question":
        raise SystemExit(2)


def _choose_interactively(result: Any) -> Any:
    """Ask the question; the reply ("2", "the live one", "the one by Cat Power") picks an option."""
    from os1.skills.music.resolve import choose

    _show(result)
    answer = click.prompt("Which one?", default="1", show_default=False)
    index = int(answer) - 1 if answer.strip().isdigit() else choose(result.options, answer)
    if index is None or not 0 <= index < len(result.options):
        raise click.ClickException("I couldn't tell which one you meant.")
    return result.options[index]


def _items(db: Any, text: str, no_meaning: bool) -> tuple[list[Any], str]:
    """What to play for ``text``, and the request kind to record: exact, or by mood."""
    from os1.skills.music import mood as mood_module
    from os1.skills.music.resolve import resolve
    from os1.skills.music.store import MusicStore

    result = None
    if text and not mood_module.is_mood_request(text):
        result = resolve(db, text, encoder=False if no_meaning else None)
        if result.kind == "none":
            raise click.ClickException(result.text)
        if result.kind == "question":
            option = _choose_interactively(result)
            return MusicStore(db).get_many(option.ids), text
        if result.kind != "artist":
            return result.tracks, text
    target = mood_module.target_for(text or "music")
    picks = mood_module.pick(db, target, artist=result.artist if result is not None else None,
                             count=10 if result is not None else 5)
    if not picks:
        raise click.ClickException("I couldn't find anything to play.")
    click.echo(picks[0].why)
    return picks, target.kind


@music_group.command("play", short_help="Play a song, album, artist or mood here (Ctrl-C stops).")
@click.argument("request", nargs=-1)
@click.option("--yes", is_flag=True, help=f"Answer yes to \"{READ_QUESTION}\".")
@click.option("--no-meaning", is_flag=True, help="Don't match by meaning with the MiniLM encoder.")
def play_command(request: tuple[str, ...], yes: bool, no_meaning: bool) -> None:
    """Play REQUEST in the foreground: os1 music play "Lua by Bright Eyes", "the album Lifted", "some Bright
    Eyes", "something calm". With no request, something for now. Ctrl-C stops.

    It plays through mpv (or ffplay, or the sound card directly); OS1_AUDIO_OUT=null plays silently."""
    from os1.skills.music.player import PlayerError, PlayerUnavailable, as_item, make_player

    text = " ".join(request).strip()
    with open_db() as db:
        _consent(db, yes)
        items, kind = _items(db, text, no_meaning)
        try:
            player = make_player(db)
        except PlayerUnavailable as exc:
            raise click.ClickException(str(exc)) from exc
        started: list[str] = []

        def on_event(event: Any) -> None:
            if event.kind == "started":
                started.append(event.item.label)
                click.echo(f"▶ {event.item.label}")
            elif event.kind == "error":
                click.secho(f"  couldn't play {event.item.label}: {event.message}", fg="yellow")

        player.on_event(on_event)
        try:
            player.play([as_item(i, request=kind) for i in items])
            while player.state().get("status") != "stopped":
                time.sleep(0.1)
        except KeyboardInterrupt:
            click.echo("Stopped.")
        except PlayerError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            player.close()
        _remember(db, started)


def _remember(db: Any, labels: list[str]) -> None:
    """One memory line for the session: what was listened to."""
    if not labels:
        return
    try:
        from os1.memory.system import MemorySystem

        what = labels[0] + (f" and {len(labels) - 1} more" if len(labels) > 1 else "")
        MemorySystem(db, None).record(f"Listened to {what}.", speaker="OS1", source="music", kind="episode")
    except Exception:  # memory is a refinement; the music played
        pass


@music_group.command("history", short_help="What was played lately.")
@click.option("-n", "--limit", default=20, show_default=True)
def history_command(limit: int) -> None:
    """The latest plays, newest first: when, what, how long, and whether it was skipped."""
    from os1.skills.music.store import MusicStore

    with open_db() as db:
        rows = MusicStore(db).history(limit)
    if not rows:
        click.echo("Nothing played yet.")
        return
    for row in rows:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row["started_at"]))
        title = f"“{row['title']}” by {row['artist']}" if row["title"] else f"track {row['track_id']} (gone)"
        played = f"{_clock(row['played_s'])}" if row["played_s"] is not None else "playing"
        mark = "  skipped" if row["skipped"] else ""
        click.echo(f"{when}  {title}  [{played}]{mark}" + (f"  ({row['request']})" if row["request"] else ""))
