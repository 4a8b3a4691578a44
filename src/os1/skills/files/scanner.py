"""Scanning the folders the user chose, in two passes.

The metadata pass walks with ``os.scandir`` (no extra ``stat`` for folders: the directory entry
says what it is) and compares every file with the index: unchanged files (same size, mtime and
inode) are not touched, changed ones get their new metadata and are queued for reading again,
new ones are added, and files that are gone are removed — except inside folders that could not be
opened this time, whose files may well still be there. Hidden files and folders, symlinks and
special files are left alone. Unreadable folders and files that vanish mid-scan are reported and
skipped; the rest goes on.

The content pass (:func:`read_contents`) is slower and separate: it reads documents, photos and
media whose content is not indexed yet, saves every batch as it goes (so it can be stopped and
resumed), and skips a file that changed or vanished since the metadata pass or while being read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from os1.skills.files.metadata import CONTENT_KINDS, kind_of, read_content
from os1.skills.files.store import FileStore, Seen

Progress = Callable[[str, int, "int | None"], None]  # (phase, done, total or None)
IGNORED_DIRS = frozenset({"node_modules", "__pycache__", "$RECYCLE.BIN", "System Volume Information"})
BATCH = 5000
CONTENT_BATCH = 100


class ScanError(Exception):
    """The folder to scan does not exist or is not a folder."""


@dataclass
class ScanReport:
    roots: list[str] = field(default_factory=list)
    files: int = 0  # files seen in this walk
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    ignored: int = 0  # hidden, symlinks, special files
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    seconds: float = 0.0

    def reasons(self) -> Counter[str]:
        return Counter(reason for _path, reason in self.skipped)

    def describe(self) -> str:
        where = self.roots[0] if len(self.roots) == 1 else f"{len(self.roots)} folders"
        parts = [f"{self.added:,} new"]
        if self.changed:
            parts.append(f"{self.changed:,} changed")
        if self.unchanged:
            parts.append(f"{self.unchanged:,} unchanged")
        if self.removed:
            parts.append(f"{self.removed:,} gone since last time")
        text = f"Looked at {self.files:,} files in {where} ({', '.join(parts)})"
        if self.skipped:
            top = "; ".join(f"{n}× {r}" for r, n in self.reasons().most_common(3))
            text += f". Skipped {len(self.skipped)} ({top})"
        return text + "."


@dataclass
class ContentReport:
    read: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # could not be read (kept, with the reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # changed or vanished: left for next time
    remaining: int = 0  # still to read (stopped by the time budget)
    seconds: float = 0.0

    def describe(self) -> str:
        text = f"Read {self.read:,} documents, photos and recordings"
        if self.failed:
            reasons = Counter(r for _p, r in self.failed)
            top = "; ".join(f"{n}× {r}" for r, n in reasons.most_common(2))
            text += f"; {len(self.failed)} couldn't be read ({top})"
        if self.skipped:
            text += f"; {len(self.skipped)} changed or vanished while I looked (I'll get them next time)"
        if self.remaining:
            text += f"; {self.remaining:,} still to read (scanning again goes on where I stopped)"
        return text + "."


def _entries(root: str, report: ScanReport, unreadable: list[str],
             exclude: frozenset[str] = frozenset()) -> Iterator[tuple[str, os.stat_result]]:
    """Every regular, visible file below ``root`` with its stat; problems go into the report."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            listing = os.scandir(folder)
        except PermissionError:
            report.skipped.append((folder, "can't open this folder (no permission)"))
            unreadable.append(folder)
            continue
        except FileNotFoundError:
            report.skipped.append((folder, "folder vanished during the scan"))
            continue
        except OSError as exc:
            report.skipped.append((folder, f"can't open this folder ({exc.strerror or exc})"))
            unreadable.append(folder)
            continue
        with listing:
            while True:
                try:
                    entry = next(listing)
                except StopIteration:
                    break
                except OSError as exc:  # the folder went away or broke while being listed
                    report.skipped.append((folder, f"stopped reading this folder ({exc.strerror or exc})"))
                    unreadable.append(folder)
                    break
                if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
                    report.ignored += 1
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.path in exclude:
                            report.ignored += 1
                        else:
                            stack.append(entry.path)
                        continue
                    if not entry.is_file(follow_symlinks=False):
                        report.ignored += 1
                        continue
                    st = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    report.skipped.append((entry.path, "vanished during the scan"))
                    continue
                except OSError as exc:
                    report.skipped.append((entry.path, f"can't read it ({exc.strerror or exc})"))
                    continue
                yield entry.path, st


def _seen(path: str, st: os.stat_result) -> Seen:
    name = os.path.basename(path)
    ext = os.path.splitext(name)[1].lower()
    return Seen(path, name, ext, kind_of(ext), st.st_size, st.st_mtime, st.st_ctime, st.st_ino)


def _inside(path: str, folders: Sequence[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def scan(store: FileStore, roots: Sequence[str | Path], *, progress: Progress | None = None,
         exclude: Sequence[str | Path] = ()) -> ScanReport:
    """The metadata pass over ``roots`` (incremental: see the module docstring). ``exclude``: folders
    to leave out (OS1's own data folder)."""
    skip = frozenset(str(Path(e).expanduser().resolve()) for e in exclude)
    start = time.perf_counter()
    folders = []
    missing: list[tuple[str, str]] = []
    for root in roots:
        path = Path(root).expanduser()
        if not path.exists():
            missing.append((str(path), "folder isn't there (an unplugged drive?); its files are kept"))
        elif not path.is_dir():
            raise ScanError(f"{path} is a file, not a folder.")
        else:
            folders.append(str(path.resolve()))
    if not folders:
        raise ScanError(f"I can't find {missing[0][0] if len(missing) == 1 else 'any of those folders'}.")
    report = ScanReport(roots=folders, skipped=missing)
    done = 0
    for root in folders:
        store.add_root(root)
        known = store.known_under(root)
        unreadable: list[str] = []
        new: list[Seen] = []
        changed: list[tuple[int, Seen]] = []
        for path, st in _entries(root, report, unreadable, skip):
            report.files += 1
            old = known.pop(path, None)
            if old is None:
                new.append(_seen(path, st))
            elif (old[1], old[2], old[3]) != (st.st_size, st.st_mtime, st.st_ino):
                changed.append((old[0], _seen(path, st)))
            else:
                report.unchanged += 1
            done += 1
            if len(new) >= BATCH:
                report.added += store.add_many(new)
                new = []
            if len(changed) >= BATCH:
                store.update_changed(changed)
                report.changed += len(changed)
                changed = []
            if progress is not None and done % 500 == 0:
                progress("scan", done, None)
        report.added += store.add_many(new)
        store.update_changed(changed)
        report.changed += len(changed)
        gone = [fid for path, (fid, *_rest) in known.items() if not _inside(path, unreadable)]
        store.remove(gone)
        report.removed += len(gone)
        store.mark_scanned(root)
    if progress is not None:
        progress("scan", done, done)
    report.seconds = time.perf_counter() - start
    return report


@contextlib.contextmanager
def _quiet_readers() -> Iterator[None]:
    """PDF libraries log every damaged file to stderr ("EOF marker not found"): the report says it once."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_contents(store: FileStore, *, progress: Progress | None = None, ocr: bool = True,
                  budget_s: float | None = None, kinds: Sequence[str] = CONTENT_KINDS) -> ContentReport:
    """The content pass: read what is not read yet, batch by batch, until done or out of time."""
    with _quiet_readers():
        return _read_contents(store, progress, ocr, budget_s, kinds)


def _read_contents(store: FileStore, progress: Progress | None, ocr: bool, budget_s: float | None,
                   kinds: Sequence[str]) -> ContentReport:
    start = time.perf_counter()
    report = ContentReport()
    total = store.count_pending(kinds)
    done = 0
    after = 0
    out_of_time = False
    while not out_of_time:
        batch = store.pending(kinds, CONTENT_BATCH, after)
        if not batch:
            break
        results = []
        vanished = []
        for row in batch:
            if budget_s is not None and time.perf_counter() - start > budget_s:
                out_of_time = True
                break
            after = row.id
            done += 1
            try:
                before = os.stat(row.path)
            except FileNotFoundError:
                vanished.append(row.id)
                report.skipped.append((row.path, "vanished since the scan"))
                continue
            except OSError as exc:
                results.append((row.id, "", None, {}, f"can't open it ({exc.strerror or exc})"))
                report.failed.append((row.path, f"can't open it ({exc.strerror or exc})"))
                continue
            if (before.st_size, before.st_mtime) != (row.size, row.mtime):
                report.skipped.append((row.path, "changed since the scan"))
                continue
            content = read_content(Path(row.path), row.kind, ocr=ocr)
            if content.retry:
                report.skipped.append((row.path, content.error or "can't read it yet"))
                continue
            try:
                after_stat = os.stat(row.path)
            except OSError:
                vanished.append(row.id)
                report.skipped.append((row.path, "vanished while I was reading it"))
                continue
            if (after_stat.st_size, after_stat.st_mtime) != (before.st_size, before.st_mtime):
                report.skipped.append((row.path, "changed while I was reading it"))
                continue
            results.append((row.id, content.text, content.taken_at, content.meta, content.error))
            if content.error:  # the name out of the reason, so that the same reasons add up
                report.failed.append((row.path, content.error.replace(row.name, "this file")))
            else:
                report.read += 1
            if progress is not None:
                progress("read", done, total)
        store.save_content(results)
        store.remove(vanished)
    stuck = sum(1 for _p, why in report.skipped if not why.startswith("vanished"))  # still pending
    report.remaining = max(0, store.count_pending(kinds) - stuck)
    report.seconds = time.perf_counter() - start
    return report
