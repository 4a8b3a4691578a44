"""The files skill's two passes: the fast metadata walk (incremental, skipping what it can't read)
and the resumable content pass."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from os1.skills.files import scanner
from os1.skills.files.store import FileStore
from os1.storage.sqlite import open_store
from tests.fixtures.files.make import home_tree, text


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(open_store(tmp_path / "os1.sqlite"))


def test_first_scan_then_rescan_touches_only_what_changed(tmp_path: Path, store: FileStore) -> None:
    root = home_tree(tmp_path / "home")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.txt").write_text("not for the index")
    (root / ".DS_Store").write_bytes(b"x")
    first = scanner.scan(store, [root])
    assert (first.files, first.added, first.changed, first.removed) == (8, 8, 0, 0)
    assert first.ignored == 2 and not first.skipped
    assert store.by_path(str(root / "Documents" / "budget.md")) is not None
    assert store.by_path(str(root / ".hidden" / "secret.txt")) is None

    again = scanner.scan(store, [root])
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 8)

    scanner.read_contents(store)
    budget = root / "Documents" / "budget.md"
    assert store.by_path(str(budget)).extracted_at is not None
    text(budget, "# Budget\nA new plan with more savings.")
    (root / "Documents" / "recipes.txt").unlink()
    text(root / "Documents" / "new.txt", "fresh")
    third = scanner.scan(store, [root])
    assert (third.added, third.changed, third.removed, third.unchanged) == (1, 1, 1, 6)
    changed = store.by_path(str(budget))
    assert changed is not None and changed.extracted_at is None  # queued to be read again
    assert store.by_path(str(root / "Documents" / "recipes.txt")) is None
    assert "1 gone since last time" in third.describe()


def test_an_unreadable_folder_is_reported_and_its_files_are_not_forgotten(
        tmp_path: Path, store: FileStore, monkeypatch: pytest.MonkeyPatch) -> None:
    root = home_tree(tmp_path / "home")
    scanner.scan(store, [root])
    locked = str(root / "Documents")
    real = os.scandir

    def scandir(path: str):  # type: ignore[no-untyped-def]
        if str(path) == locked:  # what chmod 000 does for a normal user (tests may run as root)
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(scanner.os, "scandir", scandir)
    report = scanner.scan(store, [root])
    assert report.skipped == [(locked, "can't open this folder (no permission)")]
    assert report.removed == 0  # the files in there may well still exist
    assert store.by_path(str(root / "Documents" / "budget.md")) is not None
    assert "Skipped 1 (1× can't open this folder" in report.describe()


def test_a_file_that_vanishes_mid_scan_is_skipped_and_the_rest_goes_on(
        tmp_path: Path, store: FileStore, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "docs"
    for i in range(5):
        text(root / f"note{i}.txt", f"note {i}")
    real = os.scandir

    class Vanishing:
        """The listing of ``root``; note3.txt is deleted after the listing was read, before its stat."""

        def __init__(self, path: str) -> None:
            self._it = real(path)
            self._entries = list(self._it)
            (root / "note3.txt").unlink()

        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(self._entries)

        def __next__(self):  # type: ignore[no-untyped-def]
            if not self._entries:
                raise StopIteration
            return self._entries.pop(0)

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc: object) -> None:
            self._it.close()

    monkeypatch.setattr(scanner.os, "scandir", Vanishing)
    report = scanner.scan(store, [root])
    assert report.skipped == [(str(root / "note3.txt"), "vanished during the scan")]
    assert report.added == 4


def test_missing_folder_is_a_clear_error(tmp_path: Path, store: FileStore) -> None:
    with pytest.raises(scanner.ScanError, match="can't find"):
        scanner.scan(store, [tmp_path / "nope"])
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(scanner.ScanError, match="is a file"):
        scanner.scan(store, [tmp_path / "a.txt"])


def test_metadata_pass_is_fast_and_reports_progress(tmp_path: Path, store: FileStore) -> None:
    root = tmp_path / "many"
    for d in range(20):
        folder = root / f"d{d}"
        folder.mkdir(parents=True)
        for i in range(100):
            (folder / f"f{i}.txt").write_bytes(b"x" * i)
    seen: list[tuple[str, int, int | None]] = []
    report = scanner.scan(store, [root], progress=lambda *args: seen.append(args))
    assert report.files == 2000
    assert report.files / report.seconds >= 2000  # the floor; here typically > 10,000/s
    assert seen[-1] == ("scan", 2000, 2000) and len(seen) >= 4


def test_content_pass_is_resumable_and_skips_files_changed_while_reading(
        tmp_path: Path, store: FileStore, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "docs"
    for i in range(6):
        text(root / f"doc{i}.txt", f"document number {i} about gardening")
    scanner.scan(store, [root])
    none = scanner.read_contents(store, budget_s=0.0)
    assert none.read == 0 and none.remaining == 6  # out of time at once: nothing lost, all still queued

    real = scanner.read_content

    def read_and_change(path: Path, kind: str, *, ocr: bool = True):  # type: ignore[no-untyped-def]
        content = real(path, kind, ocr=ocr)
        if path.name == "doc2.txt":  # someone saves the file while OS1 reads it
            path.write_text("a longer, newer version of document two")
            os.utime(path, (time.time() + 5, time.time() + 5))
        return content

    monkeypatch.setattr(scanner, "read_content", read_and_change)
    report = scanner.read_contents(store)
    assert report.read == 5
    assert report.skipped == [(str(root / "doc2.txt"), "changed while I was reading it")]
    assert report.remaining == 0  # doc2 waits for the next metadata pass to see its change
    assert store.by_path(str(root / "doc2.txt")).extracted_at is None
    hits = store.search_text("gardening")
    assert len(hits) == 5
    monkeypatch.setattr(scanner, "read_content", real)
    assert scanner.scan(store, [root]).changed == 1
    assert scanner.read_contents(store).read == 1


def test_unreadable_documents_are_reported_once_with_a_reason(tmp_path: Path, store: FileStore) -> None:
    root = tmp_path / "docs"
    text(root / "good.txt", "a perfectly fine letter")
    (root / "empty.pdf").write_bytes(b"")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    scanner.scan(store, [root])
    report = scanner.read_contents(store)
    assert report.read == 1
    reasons = dict(report.failed)
    assert "empty" in reasons[str(root / "empty.pdf")]
    assert "damaged" in reasons[str(root / "broken.pdf")] or "can't" in reasons[str(root / "broken.pdf")]
    assert scanner.read_contents(store).read == 0 and not scanner.read_contents(store).failed  # not retried


def test_excluded_folders_are_left_out(tmp_path: Path, store: FileStore) -> None:
    root = home_tree(tmp_path / "home")
    report = scanner.scan(store, [root], exclude=[root / "Documents"])  # e.g. OS1's own data folder
    assert report.files == 4 and report.ignored == 1
    assert store.by_path(str(root / "Documents" / "budget.md")) is None


def test_a_folder_that_is_gone_is_reported_and_its_files_kept(tmp_path: Path, store: FileStore) -> None:
    drive = home_tree(tmp_path / "usb")
    other = home_tree(tmp_path / "home")
    scanner.scan(store, [drive, other])
    drive.rename(tmp_path / "unplugged")
    report = scanner.scan(store, [drive, other])
    assert report.skipped[0][0] == str(drive) and "isn't there" in report.skipped[0][1]
    assert report.unchanged == 8 and report.removed == 0
    assert store.by_path(str(drive / "IMG_0001.jpg")) is not None
