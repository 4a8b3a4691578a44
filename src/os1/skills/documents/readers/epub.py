"""Read an EPUB book with ebooklib: its chapters in spine order, each parsed as HTML.

A chapter file without a heading of its own gets its title from the book's table of contents,
and within a chapter file the first heading becomes the chapter (level 1).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from os1.skills.documents.model import Block, Document, DocumentError
from os1.skills.documents.readers.common import title_from
from os1.skills.documents.readers.html import html_blocks, parse_html


def read(path: Path, *, max_pages: int | None = None) -> Document:
    """Read the EPUB at ``path`` (``max_pages`` is ignored: EPUBs reflow, they have no pages)."""
    import ebooklib
    from ebooklib import epub

    p = path
    try:
        book = epub.read_epub(str(p), options={"ignore_ncx": True})
    except (zipfile.BadZipFile, KeyError, ValueError, epub.EpubException) as e:
        raise DocumentError(f"{p.name} looks damaged: it isn't an EPUB I can open ({e}).") from e
    except Exception as e:
        raise DocumentError(f"{p.name} looks damaged: it isn't an EPUB I can open ({e}).") from e
    warnings: list[str] = []
    blocks: list[Block] = []
    items = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is not None and item.get_type() == ebooklib.ITEM_DOCUMENT:
            items.append(item)
    if not items:
        items = list(book.get_items_of_type(ebooklib.ITEM_DOCUMENT))
    toc_titles = _toc_titles(book)
    for item in items:
        try:
            root = parse_html(item.get_content())
        except DocumentError as e:
            warnings.append(f"Skipped part {item.get_name()}: {e}.")
            continue
        body = root.find("body")  # type: ignore[attr-defined]
        part = html_blocks(body if body is not None else root)
        if not part:
            continue
        if not any(b.kind == "heading" for b in part[:3]):
            name = toc_titles.get(item.get_name().split("#")[0])
            if name:
                part.insert(0, Block(text=name, kind="heading", level=1))
        # Within a chapter file, the first heading is the chapter (level 1).
        first = next((b for b in part if b.kind == "heading"), None)
        if first is not None:
            shift = first.level - 1
            for b in part:
                if b.kind == "heading":
                    b.level = max(1, b.level - shift) if b is not first else 1
        blocks.extend(part)
    titles = book.get_metadata("DC", "title")
    title = titles[0][0] if titles else ""
    return Document(
        title=title or title_from(blocks, p.stem), format="epub", blocks=blocks, path=p, warnings=warnings
    )


def _toc_titles(book: object) -> dict[str, str]:
    """The table of contents as {file name: title}."""
    out: dict[str, str] = {}

    def walk(entries: Iterable[object]) -> None:
        for e in entries:
            if isinstance(e, tuple):
                sec, children = e
                href = getattr(sec, "href", "") or ""
                if href and getattr(sec, "title", ""):
                    out.setdefault(href.split("#")[0], sec.title)
                walk(children)
            else:
                href = getattr(e, "href", "") or ""
                if href and getattr(e, "title", ""):
                    out.setdefault(href.split("#")[0], e.title)

    try:
        walk(book.toc)  # type: ignore[attr-defined]
    except Exception:
        return {}
    return out
