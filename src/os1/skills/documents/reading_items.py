"""What to read aloud: a document as :class:`ReadItem` paragraphs, condensed part by part.

:func:`items_from_path` reads a file lazily (a long PDF's first pages on their own, so reading starts
within ~2 s even for 300 pages) and :func:`document_items` condenses a :class:`Document` part by part
(chapter by chapter), so the first words are spoken long before the last chapter is condensed.
:func:`speech_sentences` is what a voice says for one item; :func:`spoken_heading` how a chapter title
sounds. A :class:`~os1.skills.documents.reader.ReadingSession` or an audiobook reads these items.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from os1.expression.sentences import speakable, split_sentences
from os1.skills.documents.model import Document

PART_WORDS = 2500  # a part condensed at once when a document has no chapters
FIRST_PART_WORDS = 800  # the first part is small so speech starts quickly
QUICK_WORDS = 150  # condense without MiniLM (whose first load takes seconds) until this much is ready
HEAD_PAGES = 12  # a long PDF's first pages are extracted on their own, so reading starts at once


@dataclass(frozen=True)
class ReadItem:
    text: str
    chapter: str = ""
    page: int | None = None
    heading: bool = False  # a chapter title, read as "Chapter 3."



_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _roman(s: str) -> int | None:
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def spoken_heading(title: str) -> str:
    """A heading as it should sound: "CHAPTER XIV." -> "Chapter 14."."""
    words = title.strip().strip("[](){}*_ ").rstrip(".:").split()
    out = []
    for w in words:
        n = _roman(w.upper().strip(".,:")) if w.isupper() or w.upper() == w else None
        out.append(str(n) if n is not None and out else (w.capitalize() if w.isupper() and len(w) > 1 else w))
    text = " ".join(out)
    return text + "." if text and text[-1].isalnum() else text


_PAGE_REF = re.compile(r"^(\d+|[ivxlc]{2,}|v|[IVXLC]{2,})$")


def _listing(sentence: str) -> bool:
    """A run of page numbers (a table of contents, a list of illustrations), not prose."""
    tokens = sentence.split()
    numbers = sum(1 for t in tokens if _PAGE_REF.match(t.strip(".,;:()[]")))
    return numbers >= 2 and numbers >= 0.15 * len(tokens)


def speech_sentences(item: ReadItem) -> list[str]:
    """The sentences a voice says for one item (markdown, symbols and page-number listings left out)."""
    if item.heading:
        return [spoken_heading(item.text)] if any(c.isalnum() for c in item.text) else []
    out = (speakable(s) for s in split_sentences(item.text))
    return [s for s in out if any(c.isalpha() for c in s) and not _listing(s)]


def items_from_passages(passages: Sequence[Any]) -> list[ReadItem]:
    """Read items from passages (``passages.Passage``: text, block, page, chapter, heading), in order.

    Consecutive sentences of one block become one item (a paragraph); a chapter title item is put
    in front of each chapter's first sentence. Heading passages themselves are not read twice.
    """
    items: list[ReadItem] = []
    chapter: str | None = None
    block: int | None = None
    buf: list[str] = []
    page: int | None = None

    def flush() -> None:
        nonlocal buf
        if buf:
            items.append(ReadItem(" ".join(buf), chapter or "", page))
        buf = []

    for p in passages:
        ch = getattr(p, "chapter", "") or ""
        if ch != (chapter or "") or chapter is None:
            flush()
            chapter = ch
            block = None
            if ch:
                items.append(ReadItem(ch, ch, getattr(p, "page", None), heading=True))
        if getattr(p, "heading", False):
            flush()
            block = None
            continue
        b = getattr(p, "block", None)
        if b != block:
            flush()
            block, page = b, getattr(p, "page", None)
        buf.append(p.text.strip())
    flush()
    return items


def _passages_of(doc: Document) -> list[Any]:
    try:
        from os1.skills.documents.passages import split_passages
    except ImportError:  # pragma: no cover - the documents helper's module is missing
        split_passages = None
    if split_passages is not None:
        return split_passages(doc)
    from types import SimpleNamespace

    return [SimpleNamespace(text=s, block=i, page=b.page, chapter=b.chapter, heading=b.kind == "heading")
            for i, b in enumerate(doc.blocks)
            for s in ([b.text] if b.kind == "heading" else split_sentences(b.text))]


def _parts(passages: list[Any], part_words: int, first_words: int) -> Iterator[list[Any]]:
    """Chapters (cut further when long, and the first part kept short); fixed-size parts otherwise."""
    part: list[Any] = []
    words = 0
    limit = first_words
    chapter = None
    for p in passages:
        ch = getattr(p, "chapter", "")
        if part and ((ch and ch != chapter) or words >= limit):
            yield part
            part, words, limit = [], 0, part_words
        chapter = ch
        part.append(p)
        words += len(p.text.split())
    if part:
        yield part


def _condense(passages: list[Any], ratio: float, interests: Sequence[str], quick: bool = False) -> list[Any]:
    try:
        from os1.skills.documents.condense import condense
    except ImportError:
        condense = None
    body = [p for p in passages if not getattr(p, "heading", False)]
    if not body:
        return passages
    if condense is not None:
        extra = {"embeddings": False} if quick else {}  # no MiniLM load before the first words
        try:
            return list(condense(passages, ratio=ratio, interests=tuple(interests), **extra).passages)
        except TypeError:
            return list(condense(passages, ratio=ratio, interests=tuple(interests)).passages)
    # fallback until condense() exists: evenly spaced sentences up to the ratio of the words
    total = sum(len(p.text.split()) for p in body)
    keep_words = max(1, round(total * ratio))
    step = max(1, round(1 / max(ratio, 1e-3)))
    chosen = body[::step]
    out, words = [], 0
    for p in chosen:
        if words >= keep_words:
            break
        out.append(p)
        words += len(p.text.split())
    return out


def document_items(doc: Document, *, ratio: float | None = None, interests: Sequence[str] = (),
                   lazy: bool = True, part_words: int = PART_WORDS,
                   first_part_words: int = FIRST_PART_WORDS) -> Iterator[ReadItem]:
    """What to read of ``doc``: all of it (``ratio=None``) or condensed to ``ratio`` of its words.

    ``lazy``: condense chapter by chapter (long chapters, and documents without chapters, in
    parts of ``part_words``; the very first part only ``first_part_words``) as the reader gets
    there, so speech starts at once. ``lazy=False`` condenses the whole document in one go (for
    an audiobook: ranking sees the whole book).
    """
    passages = _passages_of(doc)
    if ratio is None or ratio >= 1:
        yield from items_from_passages(passages)
        return
    if not lazy:
        yield from items_from_passages(_condense(passages, ratio, interests))
        return
    previous = None
    said = 0  # words of speakable text yielded: no MiniLM load until the reading has begun
    for part in _parts(passages, part_words, first_part_words):
        chosen = _condense(part, ratio, interests, quick=said < QUICK_WORDS)
        items = items_from_passages(chosen)
        said += sum(len(" ".join(speech_sentences(i)).split()) for i in items if not i.heading)
        if previous and items and items[0].heading and items[0].chapter == previous:
            items = items[1:]  # a chapter cut into parts gets one title
        if items:
            previous = items[-1].chapter
        yield from items


class FileItems:
    """Items of a file, extracted on the first pull (so a session can load its voice meanwhile).

    A long PDF is read in two steps: its first ``HEAD_PAGES`` pages at once (the reading starts
    from pages 1 … HEAD_PAGES − 1), then the whole file, continuing from the first block that
    starts on a later page.
    """

    def __init__(self, path: str | Path, kwargs: dict[str, Any]) -> None:
        self.path, self.kwargs = Path(path), kwargs
        self.max_pages: int | None = kwargs.pop("max_pages", None)
        self.document: Document | None = None
        self.extract_s = 0.0
        self._it: Iterator[ReadItem] | None = None

    def __iter__(self) -> Iterator[ReadItem]:
        if self._it is None:
            self._it = self._items()
        return self._it

    def __next__(self) -> ReadItem:
        return next(iter(self))

    def _extract(self, max_pages: int | None) -> Document:
        from os1.skills.documents.extract import extract

        t0 = time.perf_counter()
        self.document = extract(self.path, max_pages=max_pages)
        self.extract_s += time.perf_counter() - t0
        return self.document

    def _items(self) -> Iterator[ReadItem]:
        limit = self.max_pages
        if self.path.suffix.lower() != ".pdf" or (limit is not None and limit <= 2 * HEAD_PAGES):
            yield from document_items(self._extract(limit), **self.kwargs)
            return
        head = self._extract(HEAD_PAGES)
        if not head.pages or head.pages <= HEAD_PAGES:
            yield from document_items(head, **self.kwargs)
            return
        cut = HEAD_PAGES - 1  # the last page read may end mid-paragraph: it is read with the rest
        first = [b for b in head.blocks if b.page is not None and b.page < cut]
        last_chapter = ""
        for item in document_items(replace(head, blocks=first), **self.kwargs):
            last_chapter = item.chapter
            yield item
        full = self._extract(limit)
        rest = [b for b in full.blocks if b.page is None or b.page >= cut]
        for n, item in enumerate(document_items(replace(full, blocks=rest), **self.kwargs)):
            if n == 0 and item.heading and item.chapter == last_chapter:
                continue  # the chapter in progress is not announced again
            yield item


def items_from_path(path: str | Path, *, ratio: float | None = None, interests: Sequence[str] = (),
                    max_pages: int | None = None) -> FileItems:
    """Lazy items of a file: extracted (``extract.extract``) and condensed part by part when the
    session first needs them; ``.document`` is the Document once read. DocumentError surfaces from
    the session's first chunk/sentence."""
    return FileItems(path, {"ratio": ratio, "interests": interests, "max_pages": max_pages})
