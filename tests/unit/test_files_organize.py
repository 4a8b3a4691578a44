"""Tidying up: a proposal, moves that never overwrite, and an undo that puts everything back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from os1.skills.files import organize, scanner
from os1.skills.files.store import FileStore
from os1.storage.sqlite import open_store
from tests.fixtures.files.make import home_tree, photo, recording


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(open_store(tmp_path / "os1.sqlite"))


def _index(store: FileStore, root: Path) -> None:
    scanner.scan(store, [root])
    scanner.read_contents(store, ocr=False)


def _undo(store: FileStore, undo: dict) -> organize.MoveResult:
    args = undo["arguments"]
    return organize.undo(store, [(a, b) for a, b in args["moves"]], args["made_dirs"])


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_photos_by_year_and_music_by_artist(tmp_path: Path, store: FileStore) -> None:
    root = home_tree(tmp_path / "home")
    photo(root / "Photos" / "2019" / "sorted.jpg")  # already in place: left alone
    photo(root / "phone" / "IMG_2021.jpg", taken="2021:03:01 10:00:00")
    _index(store, root)
    proposal = organize.propose(store)
    lines = proposal.lines()
    assert lines[0] == "these 2 photos from 2019 could go into Photos/2019"
    assert "this photo from 2021 could go into Photos/2021" in lines
    assert "this song by Nina Simone could go into Music/Nina Simone" in lines
    moved_from = {src for src, _dst in proposal.moves}
    assert str(root / "Photos" / "2019" / "sorted.jpg") not in moved_from
    assert not any(src.endswith((".txt", ".md")) for src in moved_from)  # documents stay put
    assert (root / "IMG_0001.jpg").exists()  # a proposal changes nothing
    music = organize.propose(store, "music")
    assert music.lines() == ["this song by Nina Simone could go into Music/Nina Simone"]


def test_apply_and_undo_move_files_there_and_back(tmp_path: Path, store: FileStore) -> None:
    root = home_tree(tmp_path / "home")
    _index(store, root)
    before = _tree(root)
    proposal = organize.propose(store)
    result = organize.apply(store, proposal.moves)
    assert len(result.moved) == 3 and not result.problems
    assert (root / "Photos" / "2019" / "IMG_0001.jpg").exists()
    assert (root / "Photos" / "2019" / "IMG_0002.jpg").exists()
    assert (root / "Music" / "Nina Simone" / "sinnerman.flac").exists()
    assert store.by_path(str(root / "Photos" / "2019" / "IMG_0001.jpg")) is not None  # the index follows
    assert store.by_path(str(root / "IMG_0001.jpg")) is None
    undo = result.undo
    assert undo is not None and undo["tool"] == "undo_organize"
    back = _undo(store, undo)
    assert len(back.moved) == 3 and not back.problems
    assert _tree(root) == before  # every file back, the folders the move made are gone
    assert store.by_path(str(root / "IMG_0001.jpg")) is not None


def test_moves_never_overwrite(tmp_path: Path, store: FileStore) -> None:
    root = tmp_path / "home"
    photo(root / "a" / "IMG_1.jpg", color=(1, 2, 3))
    photo(root / "b" / "IMG_1.jpg", color=(200, 2, 3))  # same name, another photo
    photo(root / "c" / "IMG_2.jpg", color=(3, 2, 1))
    _index(store, root)
    proposal = organize.propose(store)
    targets = sorted(os.path.basename(dst) for _src, dst in proposal.moves)
    assert targets == ["IMG_1 (2).jpg", "IMG_1.jpg", "IMG_2.jpg"]
    # something appears at a destination between the proposal and the yes
    intruder = Path(dict(proposal.moves)[str(root / "c" / "IMG_2.jpg")])
    intruder.parent.mkdir(parents=True)
    intruder.write_bytes(b"someone else's file")
    result = organize.apply(store, proposal.moves)
    assert len(result.moved) == 2
    assert result.problems[0][0] == str(root / "c" / "IMG_2.jpg") and "already" in result.problems[0][1]
    assert intruder.read_bytes() == b"someone else's file"  # untouched
    assert (root / "c" / "IMG_2.jpg").exists()  # left where it was
    # undo will not overwrite either: a new file sits where a moved photo came from
    (root / "a" / "IMG_1.jpg").write_bytes(b"new file with the old name")
    undo = result.undo
    assert undo is not None
    back = _undo(store, undo)
    assert len(back.moved) == 1 and len(back.problems) == 1
    assert (root / "a" / "IMG_1.jpg").read_bytes() == b"new file with the old name"
    assert (root / "Photos" / "2019").is_dir()  # still holds the photo that couldn't go back: kept


def test_small_pictures_without_a_camera_are_not_photos(tmp_path: Path, store: FileStore) -> None:
    root = tmp_path / "home"
    photo(root / "icons" / "icon.jpg", taken=None, camera=None, size=(16, 16))
    recording(root / "x.flac", artist="")
    _index(store, root)
    assert organize.propose(store).groups == []
