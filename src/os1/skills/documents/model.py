"""What a document is once OS1 has read it: ordered blocks of text that keep their structure.

Every reader (PDF, DOCX, EPUB, HTML, Markdown, plain text) produces a :class:`Document`. A block is a
heading or a paragraph and remembers where it came from: its page (PDFs, 1-based), its section
(the nearest heading above it, e.g. "Chapter 3") and its chapter (the nearest top-level heading);
a paragraph that continues onto the next page also records where that page starts in its text.
Ranking, condensing, simplifying, highlighting and reading aloud all work on these blocks, so an
answer can always say "page 12, in 'Results'".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

BlockKind = Literal["heading", "paragraph"]


class DocumentError(Exception):
    """A document could not be read; the message says why in words a user understands."""


@dataclass
class Block:
    text: str
    kind: BlockKind = "paragraph"
    page: int | None = None  # 1-based page for paged formats (PDF); None otherwise
    section: str = ""  # the nearest heading above (or this heading's own text)
    chapter: str = ""  # the nearest top-level heading above
    level: int = 0  # heading level (1 = chapter); 0 for paragraphs
    # Where a paragraph runs onto later pages (PDFs): (character offset in ``text``, page number that
    # starts there). Empty when the whole block is on ``page``.
    page_breaks: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Section:
    title: str
    level: int
    first_block: int  # index into Document.blocks
    page: int | None = None


@dataclass
class Document:
    title: str
    format: str  # "pdf", "docx", "epub", "html", "md", "txt"
    blocks: list[Block] = field(default_factory=list)
    path: Path | None = None
    pages: int | None = None  # page count for paged formats
    warnings: list[str] = field(default_factory=list)  # what was skipped and why

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "paragraph"]

    @property
    def sections(self) -> list[Section]:
        return [Section(b.text, b.level, i, b.page) for i, b in enumerate(self.blocks) if b.kind == "heading"]

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    @property
    def words(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


def where(block: Block) -> str:
    """'page 12, "Results"' — the reference an answer gives for a block."""
    parts = []
    if block.page is not None:
        parts.append(f"page {block.page}")
    if block.section:
        parts.append(f"“{block.section}”")
    return ", ".join(parts)
