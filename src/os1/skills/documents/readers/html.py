"""Read a web page (.html, .htm, .xhtml) with lxml; :func:`html_blocks` is also used for EPUB chapters.

Headings h1–h6 keep their level; paragraphs, list items, table cells and similar become
paragraphs; scripts, styles, navigation and forms are skipped.
"""

from __future__ import annotations

from pathlib import Path

from os1.skills.documents.model import Block, Document, DocumentError
from os1.skills.documents.readers.common import clean, title_from

_BLOCK_TAGS = {"p", "li", "blockquote", "pre", "dd", "dt", "figcaption", "td", "th", "caption", "address"}
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SKIP_TAGS = {
    "script",
    "style",
    "nav",
    "noscript",
    "template",
    "svg",
    "math",
    "head",
    "button",
    "form",
    "select",
}


def read(path: Path, *, max_pages: int | None = None) -> Document:
    """Read the web page at ``path`` (``max_pages`` is ignored)."""
    p = path
    data = p.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"{p.name} isn't a web page: it contains binary data.")
    try:
        root = parse_html(data)
    except DocumentError as e:
        raise DocumentError(f"{p.name}: {e}.") from e
    body = root.find("body")  # type: ignore[attr-defined]
    blocks = html_blocks(body if body is not None else root)
    title_el = root.find(".//title")  # type: ignore[attr-defined]
    title = clean(title_el.text_content()) if title_el is not None else ""
    return Document(title=title or title_from(blocks, p.stem), format="html", blocks=blocks, path=p)


def parse_html(data: bytes) -> object:
    """An lxml tree of ``data``; DocumentError("the HTML could not be parsed (…)") if it can't be."""
    import lxml.html

    try:
        return lxml.html.document_fromstring(data)
    except Exception as e:
        raise DocumentError(f"the HTML could not be parsed ({e})") from e


def html_blocks(root: object, page: int | None = None) -> list[Block]:
    """Walk an lxml tree in document order and collect headings and text blocks."""
    blocks: list[Block] = []

    def text_of(el: object) -> str:
        parts: list[str] = []

        def walk(e: object) -> None:
            tag = e.tag if isinstance(e.tag, str) else ""  # type: ignore[attr-defined]
            tag = tag.rsplit("}", 1)[-1].lower()
            if tag in _SKIP_TAGS:
                if e.tail:  # type: ignore[attr-defined]
                    parts.append(e.tail)  # type: ignore[attr-defined]
                return
            if tag == "br":
                parts.append(" ")
            if e.text and tag:  # type: ignore[attr-defined]
                parts.append(e.text)  # type: ignore[attr-defined]
            for c in e:  # type: ignore[attr-defined]
                walk(c)
            if e.tail:  # type: ignore[attr-defined]
                parts.append(e.tail)  # type: ignore[attr-defined]

        if el.text:  # type: ignore[attr-defined]
            parts.append(el.text)  # type: ignore[attr-defined]
        for c in el:  # type: ignore[attr-defined]
            walk(c)
        return clean(" ".join("".join(parts).split()))

    def visit(el: object) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""  # type: ignore[attr-defined]
        tag = tag.rsplit("}", 1)[-1].lower()
        if not tag or tag in _SKIP_TAGS:
            return
        if tag in _HEADING_TAGS:
            t = text_of(el)
            if t:
                blocks.append(Block(text=t, kind="heading", level=_HEADING_TAGS[tag], page=page))
            return
        if tag in _BLOCK_TAGS and not any(
            isinstance(c.tag, str) and c.tag.rsplit("}", 1)[-1].lower() in _BLOCK_TAGS | set(_HEADING_TAGS)  # type: ignore[attr-defined]
            for c in el.iter()  # type: ignore[attr-defined]
            if c is not el
        ):
            t = text_of(el)
            if t:
                blocks.append(Block(text=t, kind="paragraph", page=page))
            return
        # a container: its own loose text counts as a paragraph
        if el.text and el.text.strip():  # type: ignore[attr-defined]
            t = clean(el.text)  # type: ignore[attr-defined]
            if t:
                blocks.append(Block(text=t, kind="paragraph", page=page))
        for c in el:  # type: ignore[attr-defined]
            visit(c)
            tail = c.tail  # type: ignore[attr-defined]
            if tail and tail.strip():
                t = clean(tail)
                if t:
                    if (
                        blocks
                        and blocks[-1].kind == "paragraph"
                        and tag not in {"body", "div", "section", "article", "main"}
                    ):
                        blocks[-1].text += " " + t
                    else:
                        blocks.append(Block(text=t, kind="paragraph", page=page))

    visit(root)
    return [b for b in blocks if b.text]
