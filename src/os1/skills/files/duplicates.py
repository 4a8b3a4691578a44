"""Duplicate files, found cheaply: same size → same hash of the first and last 64 KiB → same hash of
the whole file (BLAKE2b). Most files have a unique size and are never opened; most same-size files
differ in their first bytes and are never read whole.

Hashes are cached in the index and cleared when a file changes, so asking again is quick. A file
that changed or vanished since the scan is left out (and reported), never guessed about.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from os1.skills.files.store import FileRow, FileStore

CHUNK = 64 * 1024
READ = 1024 * 1024


@dataclass
class DuplicateGroup:
    size: int
    files: list[FileRow]

    @property
    def wasted(self) -> int:
        """Bytes that would be freed by keeping one copy."""
        return self.size * (len(self.files) - 1)


@dataclass
class DuplicateReport:
    groups: list[DuplicateGroup] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    hashed_partial: int = 0
    hashed_full: int = 0

    @property
    def wasted(self) -> int:
        return sum(g.wasted for g in self.groups)


def _unchanged(row: FileRow) -> bool:
    try:
        st = os.stat(row.path)
    except OSError:
        return False
    return (st.st_size, st.st_mtime) == (row.size, row.mtime)


def partial_hash(path: str, size: int) -> str:
    """BLAKE2b of the first and last 64 KiB (the whole file when it is smaller than 128 KiB)."""
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        h.update(f.read(CHUNK))
        if size > 2 * CHUNK:
            f.seek(size - CHUNK)
            h.update(f.read(CHUNK))
        elif size > CHUNK:
            h.update(f.read())
    return h.hexdigest()


def full_hash(path: str) -> str:
    h = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as f:
        while block := f.read(READ):
            h.update(block)
    return h.hexdigest()


def _split(rows: list[FileRow], key: Callable[[FileRow], str | None]) -> list[list[FileRow]]:
    buckets: dict[str, list[FileRow]] = {}
    for row in rows:
        value = key(row)
        if value is not None:
            buckets.setdefault(value, []).append(row)
    return [b for b in buckets.values() if len(b) > 1]


def find_duplicates(store: FileStore, *, min_size: int = 1,
                    progress: Callable[[str, int, int | None], None] | None = None) -> DuplicateReport:
    """Groups of identical files (at least ``min_size`` bytes), most wasted space first."""
    report = DuplicateReport()
    same_size = store.same_size_groups(min_size)
    total = sum(len(g) for g in same_size)
    done = 0
    saved: list[tuple[int, str | None, str | None]] = []

    def hashed(row: FileRow, whole: bool) -> str | None:
        cached = row.full_hash if whole else row.partial_hash
        if cached:
            return cached
        if not _unchanged(row):
            report.skipped.append((row.path, "changed or vanished since the scan"))
            return None
        try:
            value = full_hash(row.path) if whole else partial_hash(row.path, row.size)
        except OSError as exc:
            report.skipped.append((row.path, f"can't read it ({exc.strerror or exc})"))
            return None
        if whole:
            row.full_hash = value
            report.hashed_full += 1
            saved.append((row.id, None, value))
        else:
            row.partial_hash = value
            report.hashed_partial += 1
            saved.append((row.id, value, None))
        return value

    for group in same_size:
        done += len(group)
        # whole files up to 128 KiB: the partial hash already covers every byte
        small = group[0].size <= 2 * CHUNK
        for candidates in _split(group, lambda r: hashed(r, False)):
            confirmed = [candidates] if small else _split(candidates, lambda r: hashed(r, True))
            report.groups.extend(DuplicateGroup(c[0].size, c) for c in confirmed)
        if progress is not None:
            progress("compare", done, total)
        if len(saved) >= 1000:
            store.set_hashes(saved)
            saved.clear()
    store.set_hashes(saved)
    report.groups.sort(key=lambda g: (-g.wasted, g.files[0].path))
    return report
