"""Turn a file on disk into a :class:`~os1.skills.documents.model.Document` with its structure kept.

:func:`extract` is the one entry point. It does the checks every format shares (missing file,
folder, unsupported type, zero bytes, permissions), hands the file to the reader for its suffix
(:mod:`os1.skills.documents.readers`: PDF, DOCX, EPUB, HTML, Markdown, plain text), then fills
in each block's section and chapter.

Bad input raises :class:`DocumentError` with a message a user understands (empty, damaged,
password-protected, scanned without a text layer, unsupported type, not text). Problems with a
single page only go to ``Document.warnings`` and the rest is read. Work is linear in the size of
the file: PDF pages are streamed one at a time and closed, so 2,000-page books are fine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from os1.skills.documents.model import Document, DocumentError
from os1.skills.documents.readers import docx, epub, html, markdown, pdf, text
from os1.skills.documents.readers.common import assign_structure

Reader = Callable[..., Document]  # read(path, *, max_pages) -> Document

_READERS: dict[str, Reader] = {
    ".pdf": pdf.read,
    ".docx": docx.read,
    ".epub": epub.read,
    ".html": html.read,
    ".htm": html.read,
    ".xhtml": html.read,
    ".md": markdown.read,
    ".markdown": markdown.read,
    ".txt": text.read,
    ".text": text.read,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_READERS)


def extract(path: str | Path, *, max_pages: int | None = None) -> Document:
    """Read ``path`` into a Document; raise DocumentError with a clear message if it can't be read.

    ``max_pages`` limits paged formats (PDF) to the first N pages (a warning says so).
    """
    p = Path(path)
    if not p.exists():
        raise DocumentError(f"I can't find {p.name}: the file doesn't exist (any more).")
    if p.is_dir():
        raise DocumentError(f"{p.name} is a folder, not a document.")
    suffix = p.suffix.lower()
    read = _READERS.get(suffix)
    if read is None:
        kind = suffix or "files without an extension"
        raise DocumentError(
            f"I can't read {kind} documents ({p.name}). I can read PDF, Word (.docx), EPUB, HTML, "
            "Markdown and plain text."
        )
    try:
        size = p.stat().st_size
    except OSError as e:
        raise DocumentError(f"I can't open {p.name}: {e.strerror or e}.") from e
    if size == 0:
        raise DocumentError(f"{p.name} is empty (zero bytes), there is nothing to read.")
    try:
        doc = read(p, max_pages=max_pages)
    except DocumentError:
        raise
    except PermissionError as e:
        raise DocumentError(f"I'm not allowed to open {p.name} (permission denied).") from e
    except OSError as e:
        raise DocumentError(f"I can't open {p.name}: {e.strerror or e}.") from e
    assign_structure(doc.blocks)
    if not any(b.text.strip() for b in doc.blocks):
        raise DocumentError(f"{p.name} contains no readable text.")
    return doc
