"""Tidying up, as a proposal first: "these 212 photos from 2019 could go into Photos/2019".

:func:`propose` groups photos and videos by the year they were taken (EXIF, else the file's date)
and music by artist, each into a folder inside the scanned folder it came from; files already in
place are left alone. Nothing moves until :func:`apply` is called — the tools call it only after
the user said yes — and every move can be reversed with :func:`undo`.

The rules: a move never overwrites anything (an existing name gets " (2)"; the move itself is a
hard link plus unlink, which fails rather than replace a file that appeared meanwhile), and
nothing is ever deleted — undo moves files back and removes only the folders it created, and only
when they are empty.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from os1.skills.files.store import FileRow, FileStore

PHOTO_MIN_BYTES = 30_000  # smaller pictures without a camera are icons and thumbnails, not photos
_UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>|\x00'})


@dataclass
class Group:
    label: str  # "photos from 2019"
    folder: str  # the destination folder (absolute)
    moves: list[tuple[str, str]]  # (from, to)

    def describe(self, root: str = "") -> str:
        where = os.path.relpath(self.folder, root) if root else self.folder
        n = len(self.moves)
        noun = self.label if n != 1 else self.label.replace("photos", "photo").replace("videos", "video") \
            .replace("songs", "song")
        return f"these {n:,} {noun} could go into {where}" if n != 1 else f"this {noun} could go into {where}"


@dataclass
class Proposal:
    groups: list[Group] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)  # destination folder -> the scanned folder

    @property
    def moves(self) -> list[tuple[str, str]]:
        return [m for g in self.groups for m in g.moves]

    def lines(self, limit: int = 8) -> list[str]:
        out = [g.describe(self.roots.get(g.folder, "")) for g in self.groups[:limit]]
        if len(self.groups) > limit:
            rest = sum(len(g.moves) for g in self.groups[limit:])
            out.append(f"and {rest:,} more files in {len(self.groups) - limit} other groups")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"groups": [{"label": g.label, "folder": g.folder, "moves": [list(m) for m in g.moves]}
                           for g in self.groups], "roots": self.roots}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Proposal:
        groups = [Group(g["label"], g["folder"], [(str(a), str(b)) for a, b in g["moves"]])
                  for g in data.get("groups", [])]
        return cls(groups, dict(data.get("roots", {})))


@dataclass
class MoveResult:
    moved: list[tuple[str, str]] = field(default_factory=list)
    made_dirs: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def undo(self) -> dict[str, Any] | None:
        if not self.moved:
            return None
        return {"tool": "undo_organize",
                "arguments": {"moves": [[b, a] for a, b in self.moved], "made_dirs": list(self.made_dirs)}}

    def describe(self, verb: str = "Moved") -> str:
        text = f"{verb} {len(self.moved):,} file{'s' if len(self.moved) != 1 else ''}."
        if self.problems:
            shown = "; ".join(f"{os.path.basename(p)}: {why}" for p, why in self.problems[:3])
            text += f" Left {len(self.problems)} where they were ({shown})."
        return text


def _root_of(path: str, roots: list[str]) -> str | None:
    best = None
    for root in roots:
        if path.startswith(root.rstrip(os.sep) + os.sep) and (best is None or len(root) > len(best)):
            best = root
    return best


def _is_photo(row: FileRow) -> bool:
    return bool(row.meta.get("camera") or row.taken_at is not None or row.size >= PHOTO_MIN_BYTES)


def _free_name(folder: str, name: str, taken: set[str]) -> str:
    """``folder/name``, or ``folder/stem (2).ext`` … when that name exists or is already planned."""
    stem, ext = os.path.splitext(name)
    candidate = os.path.join(folder, name)
    n = 2
    while candidate in taken or os.path.lexists(candidate):
        candidate = os.path.join(folder, f"{stem} ({n}){ext}")
        n += 1
    taken.add(candidate)
    return candidate


TOPICS = {"photos": "image", "pictures": "image", "images": "image", "videos": "video", "movies": "video",
          "music": "audio", "songs": "audio"}


def propose(store: FileStore, what: str = "") -> Proposal:
    """What could go where (``what``: "photos", "music", "videos"; anything else: all of them).
    Reads the index only; nothing on disk changes."""
    only = TOPICS.get(what.strip().lower())
    roots = [r for r, _when in store.roots()]
    plans: dict[tuple[str, str], list[FileRow]] = defaultdict(list)
    labels: dict[tuple[str, str], str] = {}
    for kind, top, noun in (("image", "Photos", "photos"), ("video", "Videos", "videos")):
        if only not in (None, kind):
            continue
        for row in store.of_kind(kind):
            if kind == "image" and not _is_photo(row):
                continue
            root = _root_of(row.path, roots)
            if root is None:
                continue
            year = time.strftime("%Y", time.localtime(row.when))
            folder = os.path.join(root, top, year)
            parent = os.path.dirname(row.path)
            if parent == folder or os.path.basename(parent) == year:
                continue  # already sorted by year
            plans[(root, folder)].append(row)
            labels[(root, folder)] = f"{noun} from {year}"
    for row in store.of_kind("audio") if only in (None, "audio") else []:
        artist = str(row.meta.get("artist", "")).strip().translate(_UNSAFE).strip(". ")
        root = _root_of(row.path, roots)
        if not artist or root is None:
            continue
        folder = os.path.join(root, "Music", artist[:80])
        parent = os.path.dirname(row.path)
        if parent.startswith(folder) or artist.lower() in parent.lower():
            continue
        plans[(root, folder)].append(row)
        labels[(root, folder)] = f"songs by {artist}"
    proposal = Proposal()
    taken: set[str] = set()
    for (root, folder), rows in sorted(plans.items(), key=lambda kv: (-len(kv[1]), kv[0][1])):
        moves = [(r.path, _free_name(folder, r.name, taken)) for r in sorted(rows, key=lambda r: r.path)]
        proposal.groups.append(Group(labels[(root, folder)], folder, moves))
        proposal.roots[folder] = root
    return proposal


def _make_parents(folder: str, made: list[str]) -> None:
    missing = []
    path = folder
    while path and not os.path.isdir(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    for path in reversed(missing):
        os.mkdir(path)
        made.append(path)


def move_no_clobber(src: str, dst: str) -> None:
    """Move a file; raise FileExistsError rather than replace anything at ``dst``."""
    try:
        os.link(src, dst)  # atomic: fails if dst exists
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK):
            raise
        if os.path.lexists(dst):  # no hard links here (another disk, FAT): check, then move
            raise FileExistsError(errno.EEXIST, "exists", dst) from None
        shutil.move(src, dst)
        return
    os.unlink(src)


def _move_all(moves: list[tuple[str, str]], result: MoveResult) -> None:
    for src, dst in moves:
        if not os.path.lexists(src):
            result.problems.append((src, "it isn't there any more"))
            continue
        try:
            _make_parents(os.path.dirname(dst), result.made_dirs)
            move_no_clobber(src, dst)
        except FileExistsError:
            result.problems.append((src, f"something is already at {dst}"))
        except OSError as exc:
            result.problems.append((src, exc.strerror or str(exc)))
        else:
            result.moved.append((src, dst))


def apply(store: FileStore, moves: list[tuple[str, str]]) -> MoveResult:
    """Carry out the moves (after the user said yes); the index follows the files."""
    result = MoveResult()
    _move_all(moves, result)
    store.moved(result.moved)
    return result


def undo(store: FileStore, moves: list[tuple[str, str]], made_dirs: list[str]) -> MoveResult:
    """Move files back (``moves`` are (where it is now, where it was)); remove the folders the move
    created, when they are empty again. Nothing is overwritten or deleted."""
    result = MoveResult()
    _move_all([(a, b) for a, b in moves], result)
    store.moved(result.moved)
    for folder in sorted(made_dirs, key=len, reverse=True):
        with contextlib.suppress(OSError):
            os.rmdir(folder)  # only ever succeeds on an empty folder
    return result
