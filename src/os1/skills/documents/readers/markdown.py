"""Read Markdown (.md, .markdown): ATX and setext headings keep their level, the rest is paragraphs.

Front matter and fenced code blocks are skipped; list items become paragraphs of their own; links,
images, inline code, HTML tags and emphasis are reduced to their text.
"""

from __future__ import annotations

import re
from pathlib import Path

from os1.skills.documents.model import Block, Document
from os1.skills.documents.readers.common import clean, strip_emphasis, title_from
from os1.skills.documents.readers.text import decode


def read(path: Path, *, max_pages: int | None = None) -> Document:
    """Read the Markdown file at ``path`` (``max_pages`` is ignored)."""
    p = path
    text, warnings = decode(p)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            text = text[end + 4 :]
    blocks: list[Block] = []
    para: list[str] = []
    in_code = False

    def flush() -> None:
        if para:
            t = _inline(" ".join(para))
            if t:
                blocks.append(Block(text=t, kind="paragraph"))
            para.clear()

    lines = text.split("\n")
    for idx, raw_line in enumerate(lines):
        line = raw_line.rstrip()
        if line.lstrip().startswith(("```", "~~~")):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        m = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if m:
            flush()
            t = _inline(m.group(2))
            if t:
                blocks.append(Block(text=t, kind="heading", level=len(m.group(1))))
            continue
        nxt = lines[idx + 1].strip() if idx + 1 < len(lines) else ""
        if line.strip() and para == [] and nxt and re.fullmatch(r"=+|-+", nxt) and len(nxt) >= 3:
            blocks.append(Block(text=_inline(line.strip()), kind="heading", level=1 if nxt[0] == "=" else 2))
            continue
        if re.fullmatch(r"\s*(=+|-+|\*{3,}|_{3,})\s*", line):
            flush()
            continue
        if not line.strip():
            flush()
            continue
        item = re.match(r"^\s*([-*+]|\d+[.)])\s+(.*)$", line)
        if item:
            flush()
            para.append(item.group(2))
            continue
        para.append(line.strip().lstrip(">").strip())
    flush()
    return Document(title=title_from(blocks, p.stem), format="md", blocks=blocks, path=p, warnings=warnings)


def _inline(s: str) -> str:
    """Markdown inline markup reduced to plain text."""
    s = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"`([^`]*)`", r"\1", s)
    s = re.sub(r"<[^>]+>", "", s)
    s = strip_emphasis(s)
    return clean(s)
