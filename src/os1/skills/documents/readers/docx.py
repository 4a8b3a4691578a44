"""Read a Word document (.docx) with python-docx: "Title"/"Heading N" styles become headings.

Paragraphs and tables are read in document order; a table row becomes one paragraph with its
cells joined by " | ". Password-protected files (an OLE container instead of a zip) are told apart
from damaged ones.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from os1.skills.documents.model import Block, Document, DocumentError
from os1.skills.documents.readers.common import clean, title_from


def read(path: Path, *, max_pages: int | None = None) -> Document:
    """Read the .docx at ``path`` (``max_pages`` is ignored: Word files have no fixed pages)."""
    p = path
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as e:  # pragma: no cover
        raise DocumentError("Word documents need python-docx, which isn't installed.") from e
    try:
        d = docx.Document(str(p))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        if _is_encrypted(p):
            raise DocumentError(
                f"{p.name} is password-protected; save an unprotected copy and send me that."
            ) from e
        raise DocumentError(f"{p.name} looks damaged: it isn't a Word document I can open.") from e
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[Block] = []
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, d)
            text = clean(para.text)
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            level = _heading_level(style)
            if level:
                blocks.append(Block(text=text, kind="heading", level=level))
            else:
                blocks.append(Block(text=text, kind="paragraph"))
        elif tag == "tbl":
            table = Table(child, d)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = clean(cell.text)
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                if cells:
                    blocks.append(Block(text=" | ".join(cells), kind="paragraph"))
    title = ""
    try:
        title = (d.core_properties.title or "").strip()
    except Exception:
        title = ""
    return Document(title=title or title_from(blocks, p.stem), format="docx", blocks=blocks, path=p)


def _heading_level(style: str) -> int:
    s = style.lower()
    if s == "title":
        return 1
    m = re.match(r"heading\s*(\d)", s)
    if m:
        return max(1, int(m.group(1)))
    return 0


def _is_encrypted(p: Path) -> bool:
    with p.open("rb") as fh:
        head = fh.read(8)
    return head.startswith(b"\xd0\xcf\x11\xe0")  # OLE container = encrypted Office file
