"""Duplicates: size, then the first and last 64 KiB, then every byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from os1.skills.files import scanner
from os1.skills.files.duplicates import CHUNK, find_duplicates
from os1.skills.files.store import FileStore
from os1.storage.sqlite import open_store


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(open_store(tmp_path / "os1.sqlite"))


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_identical_files_are_found_and_lookalikes_are_not(tmp_path: Path, store: FileStore) -> None:
    root = tmp_path / "d"
    big = os.urandom(3 * CHUNK)
    middle_differs = big[:CHUNK] + bytes(CHUNK) + big[2 * CHUNK:]  # same size, same ends
    _write(root / "a" / "movie.mp4", big)
    _write(root / "b" / "movie copy.mp4", big)
    _write(root / "c" / "almost.mp4", middle_differs)
    _write(root / "x.txt", b"hello world")
    _write(root / "y.txt", b"hello world")
    _write(root / "z.txt", b"hello there")  # same size, different bytes
    _write(root / "empty1", b"")
    _write(root / "empty2", b"")
    scanner.scan(store, [root])
    report = find_duplicates(store)
    found = [sorted(Path(f.path).name for f in g.files) for g in report.groups]
    assert found == [["movie copy.mp4", "movie.mp4"], ["x.txt", "y.txt"]]  # most wasted space first
    assert report.wasted == 3 * CHUNK + 11
    assert report.hashed_full == 3  # only the three big same-size files were read whole
    again = find_duplicates(store)  # hashes are cached in the index
    assert again.hashed_partial == again.hashed_full == 0 and len(again.groups) == 2


def test_a_file_changed_since_the_scan_is_left_out(tmp_path: Path, store: FileStore) -> None:
    root = tmp_path / "d"
    _write(root / "x.txt", b"same bytes")
    _write(root / "y.txt", b"same bytes")
    scanner.scan(store, [root])
    _write(root / "y.txt", b"SAME BYTES")
    os.utime(root / "y.txt", (1, 1))
    report = find_duplicates(store)
    assert not report.groups
    assert report.skipped == [(str(root / "y.txt"), "changed or vanished since the scan")]
