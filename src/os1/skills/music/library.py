"""Scanning the user's music folders into the library: incremental, tolerant, with duplicates found.

A scan walks the chosen folders for audio files (mp3, flac, ogg/oga, opus, m4a), and compares each
with the library: a file with the same size and modification time is not read again; a new or
changed one is read with ``mutagen`` (:mod:`os1.skills.music.tags`); a file that is gone is
forgotten — unless the same file (same size, tags and length) turned up at a new path, which is a
move and keeps its history. Broken files (zero-byte, unparseable, truncated, no audio) are kept with
the reason, reported, and never offered for playing.

Then the whole library is checked for duplicates: the same artist and title (same version: "Lua" and
"Lua (live)" are different recordings) with lengths within two seconds are one song; the best copy
(lossless, then the highest bitrate) is kept for requests, the others point to it (``duplicate_of``).
Titles and first lyric lines get a MiniLM vector (for "that song about …"), and finally the mood
pass (:func:`os1.skills.music.mood.refresh`) rates what is new, when that module is there.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from os1.skills.music import names, tags
from os1.skills.music.store import MusicStore, TrackInfo

log = logging.getLogger(__name__)
# (phase, done, total or None, detail): phases "finding", "reading", "understanding", "rating"
Progress = Callable[[str, int, "int | None", str], None]
DUPLICATE_SECONDS = 2.0
SAVE_BATCH = 200
EMBED_BATCH = 64
LOSSLESS = frozenset({"flac", "alac", "wav"})
IGNORED_DIRS = frozenset({"node_modules", "__pycache__", "$RECYCLE.BIN", "System Volume Information"})


class ScanError(Exception):
    """The folder to scan does not exist or is not a folder."""


@dataclass
class ScanReport:
    roots: list[str] = field(default_factory=list)
    files: int = 0  # audio files seen in this walk
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    moved: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # read this time, can't be played
    tagless: int = 0  # read this time, no tags: named from the file name
    duplicates: int = 0  # copies of a better track, in the whole library
    other_files: Counter[str] = field(default_factory=Counter)  # extension -> count (not music)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # folders/files that couldn't be looked at
    embedded: int = 0
    mood_text: str = ""
    remaining: int = 0  # left unread when the time budget ran out (the next scan goes on)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return self.added + self.changed + self.moved

    def reasons(self) -> Counter[str]:
        return Counter(_kind_of_reason(reason) for _p, reason in self.unreadable)

    def describe(self) -> str:
        where = self.roots[0] if len(self.roots) == 1 else f"{len(self.roots)} folders"
        parts = [f"{self.added:,} new"]
        if self.changed:
            parts.append(f"{self.changed:,} changed")
        if self.unchanged:
            parts.append(f"{self.unchanged:,} unchanged")
        if self.moved:
            parts.append(f"{self.moved:,} moved")
        if self.removed:
            parts.append(f"{self.removed:,} gone since last time")
        text = f"Found {self.files:,} music files in {where} ({', '.join(parts)})."
        if self.unreadable:
            top = "; ".join(f"{n}× {r}" for r, n in self.reasons().most_common(3))
            text += f" {len(self.unreadable):,} can't be played ({top})."
        if self.tagless:
            text += (" 1 had no tags, so I named it from its file name." if self.tagless == 1 else
                     f" {self.tagless:,} had no tags, so I named them from their file names.")
        if self.duplicates:
            copies = ("1 is a duplicate" if self.duplicates == 1
                      else f"{self.duplicates:,} are duplicates")
            text += f" {copies} of a better copy; I'll play the better one."
        if self.skipped:
            text += f" Skipped {len(self.skipped):,} folders or files I couldn't open."
        if self.remaining:
            text += f" {self.remaining:,} are still to read: scanning again goes on where I stopped."
        if self.mood_text:
            text += f" {self.mood_text}"
        return text


def _kind_of_reason(reason: str) -> str:
    """"truncated: the audio stops at 3 s of 9 s" → "truncated" (for counting)."""
    return reason.split(" (")[0].split(":")[0]


# -- walking ------------------------------------------------------------------------------------------
def _entries(root: str, report: ScanReport) -> Iterator[tuple[str, os.stat_result]]:
    """Every visible audio file below ``root`` with its stat; other files are counted by extension."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            listing = os.scandir(folder)
        except OSError as exc:
            report.skipped.append((folder, f"can't open this folder ({exc.strerror or exc})"))
            continue
        with listing:
            for entry in listing:
                if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                        continue
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    ext = os.path.splitext(entry.name)[1].lower()
                    if ext not in tags.EXTENSIONS:
                        report.other_files[ext or "(none)"] += 1
                        continue
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    report.skipped.append((entry.path, f"can't read it ({exc.strerror or exc})"))
                    continue
                yield entry.path, st


def _folders(roots: Sequence[str | Path]) -> tuple[list[str], list[tuple[str, str]]]:
    folders, missing = [], []
    for root in roots:
        path = Path(root).expanduser()
        if not path.exists():
            missing.append((str(path), "folder isn't there (an unplugged drive?); its songs are kept"))
        elif not path.is_dir():
            raise ScanError(f"{path} is a file, not a folder. Give me the folder your music is in.")
        else:
            folders.append(str(path.resolve()))
    if not folders:
        raise ScanError(f"I can't find {missing[0][0] if len(missing) == 1 else 'any of those folders'}.")
    return folders, missing


def _move_key(info: TrackInfo) -> tuple[Any, ...]:
    return (info.size, info.title, info.artist, info.album, round(info.duration or 0.0, 1))


# -- scanning -----------------------------------------------------------------------------------------
def scan(db: Any, roots: Sequence[str | Path], *, progress: Progress | None = None, listen: bool = False,
         encoder: Any = None, check_audio: bool = True, mood: bool = True,
         budget_s: float | None = None) -> ScanReport:
    """Index the music in ``roots`` (incremental); see the module docstring.

    ``encoder``: None for the shared MiniLM encoder, False for none (no vectors: meaning-matching
    is weaker), or an object with ``encode(texts)``. ``listen``: let the mood pass decode audio
    (tempo, mode, energy with librosa; slower). ``mood``: run the mood pass at all. ``budget_s``:
    stop reading new files after this long (a conversation can't wait for 20,000 songs); what was
    read is kept and the next scan reads the rest."""
    store = MusicStore(db)
    started = time.perf_counter()
    deadline = started + budget_s if budget_s is not None else None
    folders, missing = _folders(roots)
    report = ScanReport(roots=folders, skipped=missing)
    for root in folders:
        store.add_root(root)
        _scan_root(store, root, report, progress, check_audio, deadline)
        if not report.remaining:
            store.mark_scanned(root)
    report.duplicates = mark_duplicates(store)
    store.bump()
    report.embedded = embed_missing(store, encoder, progress, deadline=deadline)
    if mood:
        left = None if deadline is None else max(0.0, deadline - time.perf_counter())
        if left is None or left > 1.0:  # rating takes ~2 ms a track without listening; the rest next time
            report.mood_text = _rate(db, progress, listen, limit=None if left is None else int(left / 0.003))
    report.seconds = time.perf_counter() - started
    return report


def _scan_root(store: MusicStore, root: str, report: ScanReport, progress: Progress | None,
               check_audio: bool, deadline: float | None = None) -> None:
    known = store.known_under(root)
    todo: list[tuple[str, os.stat_result, bool]] = []  # (path, stat, is new)
    for path, st in _entries(root, report):
        report.files += 1
        old = known.pop(path, None)
        if old is None:
            todo.append((path, st, True))
        elif (old[1], old[2]) != (st.st_size, st.st_mtime):
            todo.append((path, st, False))
        else:
            report.unchanged += 1
        if progress is not None and report.files % 200 == 0:
            progress("finding", report.files, None, path)
    gone = [tid for tid, _size, _mtime in known.values()]
    movable = store.moved_candidates(gone) if gone else {}
    batch: list[TrackInfo] = []
    moves: list[tuple[int, str, float]] = []
    for done, (path, st, is_new) in enumerate(todo, start=1):
        if deadline is not None and time.perf_counter() > deadline:
            report.remaining += len(todo) - done + 1
            gone = [tid for tid in gone if tid not in movable.values()]  # may be among the unread: keep
            break
        info = tags.read(path, size=st.st_size, mtime=st.st_mtime, check_audio=check_audio)
        moved_from = movable.pop(_move_key(info), None) if is_new and info.error is None else None
        if moved_from is not None:
            moves.append((moved_from, path, st.st_mtime))
            gone.remove(moved_from)
        else:
            batch.append(info)
            report.added += is_new
            report.changed += not is_new
        if info.error:
            report.unreadable.append((path, info.error))
        elif info.tagless:
            report.tagless += 1
        if len(batch) >= SAVE_BATCH:
            store.save(batch)
            batch = []
        if progress is not None:
            progress("reading", done, len(todo), path)
    store.save(batch)
    store.move(moves)
    report.moved += len(moves)
    store.remove(gone)
    report.removed += len(gone)


# -- duplicates -----------------------------------------------------------------------------------------
def _quality(row: tuple[Any, ...]) -> tuple[Any, ...]:
    tid, _artist, _album_artist, _title, _duration, fmt, bitrate, size, *_ = row
    return (fmt in LOSSLESS, bitrate or 0, size or 0, -tid)


def find_duplicates(rows: Sequence[tuple[Any, ...]]) -> dict[int, int | None]:
    """id -> id of the better copy it duplicates (None: it is the best copy, or unique).

    ``rows``: (id, artist, album_artist, title, duration, format, bitrate, size)."""
    groups: dict[tuple[str, str, frozenset[str]], list[tuple[Any, ...]]] = defaultdict(list)
    out: dict[int, int | None] = {}
    for row in rows:
        tid, artist, album_artist, title, duration = row[:5]
        out[int(tid)] = None
        who = names.fold(artist if artist and artist != tags.UNKNOWN_ARTIST else album_artist or "")
        base, versions = names.split_title(title or "")
        if not base or duration is None or who == "":
            continue
        groups[(who, base, versions)].append(row)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: r[4])
        cluster = [members[0]]
        for row in [*members[1:], None]:
            if row is not None and row[4] - cluster[0][4] <= DUPLICATE_SECONDS:
                cluster.append(row)
                continue
            if len(cluster) > 1:
                best = max(cluster, key=_quality)
                for other in cluster:
                    if other is not best:
                        out[int(other[0])] = int(best[0])
            if row is not None:
                cluster = [row]
    return out


def mark_duplicates(store: MusicStore) -> int:
    """Recompute ``duplicate_of`` over the whole library; returns how many tracks are copies."""
    rows = store.duplicate_keys()
    found = find_duplicates(rows)
    current = {int(r[0]): r[8] for r in rows}
    changes = [(tid, dup) for tid, dup in found.items() if current.get(tid) != dup]
    if changes:
        store.set_duplicates(changes)
    return sum(1 for dup in found.values() if dup is not None)


# -- meaning ------------------------------------------------------------------------------------------------
def meaning_text(title: str, lyrics: str) -> str:
    """What a track's vector is made of: its title and first lyric lines."""
    lines = [line.strip() for line in lyrics.splitlines() if line.strip()][:4]
    return f"{title}. {' '.join(lines)}".strip()[:400]


def embed_missing(store: MusicStore, encoder: Any = None, progress: Progress | None = None,
                  deadline: float | None = None) -> int:
    """Give every playable track without a vector one (title + first lyric lines); 0 without an encoder.
    ``deadline`` (a ``perf_counter`` time): stop there; the rest get theirs next time."""
    from os1.mind.encoder import EncoderUnavailable, chosen_encoder

    model = chosen_encoder(encoder)
    if model is None:
        return 0
    todo = store.without_embedding()
    done = 0
    for start in range(0, len(todo), EMBED_BATCH * 4):
        if deadline is not None and time.perf_counter() > deadline:
            break
        chunk = todo[start:start + EMBED_BATCH * 4]
        try:
            vectors = np.asarray(model.encode([meaning_text(t, lyr) for _i, t, _a, lyr in chunk]),
                                 dtype=np.float32)
        except EncoderUnavailable as exc:
            log.warning("music without meaning vectors: %s", exc)
            return done
        store.set_embeddings((tid, vec.tobytes()) for (tid, *_), vec in zip(chunk, vectors, strict=True))
        done += len(chunk)
        if progress is not None:
            progress("understanding", done, len(todo), "")
    if done:
        store.bump()
    return done


# -- mood -------------------------------------------------------------------------------------------------
def _rate(db: Any, progress: Progress | None, listen: bool, limit: int | None = None) -> str:
    """Let the mood module rate new tracks, if it is there; its problems never fail a scan."""
    try:
        from os1.skills.music import mood
    except ImportError:
        return ""
    refresh = getattr(mood, "refresh", None)
    if refresh is None:
        return ""

    def rated(done: int, total: int, path: str) -> None:
        if progress is not None:
            progress("rating", done, total, path)

    try:
        summary = refresh(db, progress=rated, listen=listen, limit=limit)
    except Exception as exc:  # moods are a refinement: the library itself is indexed
        log.exception("the mood pass failed")
        return f"(I couldn't work out moods this time: {type(exc).__name__}: {exc}.)"
    return str(getattr(summary, "text", "") or "")
