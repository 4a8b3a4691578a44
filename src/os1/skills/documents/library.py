"""The documents a conversation is working with: which one is open, where a reading is, and where the
made things (best parts, highlighted copies, audio for the car) are saved.

Reading a 300-page PDF takes a second or two, so an opened document is kept (with its sentences) in a
small cache keyed by path, size and modification time: a changed file is read again. What a
conversation has open and how far a reading got live in the profile store, per conversation.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from os1.skills.documents.model import Document, DocumentError

CACHE_SIZE = 4
_OPEN = "documents.open:"  # + conversation id → path of the document in view
_READING = "documents.reading:"  # + conversation id → ReadingState


@dataclass
class Opened:
    document: Document
    passages: list[Any]  # passages.Passage, in order

    @property
    def name(self) -> str:
        return self.document.title or (self.document.path.name if self.document.path else "the document")


@dataclass
class ReadingState:
    """How far a reading got: the sentence it starts from next, and how plain its words are."""

    path: str
    ratio: float | None = None  # None: the whole document
    level: int = 0  # 0 as written; 1, 2: simpler words
    position: int = 0  # index into the reading's sentence list
    total: int = 0
    chapters_done: list[str] = field(default_factory=list)


_cache: OrderedDict[tuple[str, int, int], Opened] = OrderedDict()
_lock = threading.Lock()


def load(path: Path) -> Opened:
    """The document at ``path``, read once and cached; raises DocumentError with a clear message."""
    from os1.skills.documents.extract import extract
    from os1.skills.documents.passages import split_passages

    path = path.expanduser()
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise DocumentError(f"I can't find {path}.") from exc
    except OSError as exc:
        raise DocumentError(f"I can't open {path}: {exc.strerror or exc}.") from exc
    if path.is_dir():
        raise DocumentError(f"{path} is a folder, not a document.")
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    document = extract(path)
    opened = Opened(document, split_passages(document))
    with _lock:
        _cache[key] = opened
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return opened


def open_path(profile: Any, conversation_id: str) -> Path | None:
    value = profile.get(_OPEN + conversation_id)
    return Path(value) if value else None


def set_open(profile: Any, conversation_id: str, path: Path) -> None:
    profile.set(_OPEN + conversation_id, str(path.expanduser().resolve()))


def reading(profile: Any, conversation_id: str) -> ReadingState | None:
    value = profile.get(_READING + conversation_id)
    return ReadingState(**value) if value else None


def set_reading(profile: Any, conversation_id: str, state: ReadingState | None) -> None:
    profile.set(_READING + conversation_id, asdict(state) if state is not None else None)


def slug(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return cleaned[:60] or "document"


def output_dir(home: Path, document: Document) -> Path:
    """Where what OS1 makes of a document goes: ``<OS1 home>/reading/<document>/``."""
    stem = document.path.stem if document.path else document.title
    folder = home / "reading" / slug(stem)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
