"""Helpers every reader shares: cleaning extracted text, guessing a title, filling in sections."""

from __future__ import annotations

import re
import unicodedata

from os1.skills.documents.model import Block

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def clean(text: str) -> str:
    """Drop control characters, soft hyphens and BOMs; collapse runs of spaces; strip."""
    text = text.replace("\ufffe", "").replace("\u00ad", "").replace("\ufeff", "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return _WS.sub(" ", text).strip()


def strip_emphasis(s: str) -> str:
    """Remove Markdown/Gutenberg emphasis markers: ``_word_``, ``*word*``, ``**word**``."""
    return re.sub(r"(?<![\w*])[_*]{1,2}([^_*\n]+?)[_*]{1,2}(?![\w*])", r"\1", s)


def title_from(blocks: list[Block], fallback: str) -> str:
    """The first heading near the start of the document, else ``fallback`` (usually the file name)."""
    for b in blocks[:20]:
        if b.kind == "heading":
            return b.text
    return fallback


def assign_structure(blocks: list[Block]) -> None:
    """Fill in section and chapter on every block from the headings above it."""
    levels = [b.level for b in blocks if b.kind == "heading" and b.level > 0]
    top = min(levels) if levels else 1
    chapter = ""
    section = ""
    for b in blocks:
        if b.kind == "heading":
            if b.level <= top:
                chapter = b.text
            section = b.text
        b.section = section
        b.chapter = chapter
