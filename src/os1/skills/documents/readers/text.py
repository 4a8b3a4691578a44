"""Read plain text (.txt): detect the encoding, find chapter headings, drop Gutenberg boilerplate.

:func:`decode` (also used for Markdown) reads UTF-8, UTF-16 (with or without a BOM), and falls
back to Windows-1252 or Latin-1 with a warning; binary data is refused. Paragraphs are separated
by blank lines; stand-alone "CHAPTER I", "Part Two", "Preface"… lines become headings. For Project
Gutenberg books the licence text before "*** START OF…" and after "*** END OF…" is dropped, as are
front-matter lines ("Title: …"), tables of contents and "[Illustration]" captions.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from os1.skills.documents.model import Block, Document, DocumentError
from os1.skills.documents.readers.common import clean, strip_emphasis, title_from

_GUTENBERG_START = re.compile(r"^\*{3}\s*START OF (THE|THIS) PROJECT GUTENBERG.*$", re.I | re.M)
_GUTENBERG_END = re.compile(r"^\*{3}\s*END OF (THE|THIS) PROJECT GUTENBERG.*$", re.I | re.M)
_ROMAN = r"[IVXLCDM]+"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_NUMWORD = (
    rf"(?:{_UNITS}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    rf"|twenty|thirty|forty|fifty|sixty)(?:[- ](?:{_UNITS}))?"
)
_CHAPTER_RE = re.compile(
    rf"^(chapter|letter|stave)\s+({_ROMAN}|\d+|{_NUMWORD})\b[.:]?(\s*[.:—–-]?\s*\S.{{0,70}})?$", re.I
)
_PART_RE = re.compile(
    rf"^(book|part|volume|vol\.)\s+({_ROMAN}|\d+|{_NUMWORD}|the\s+\w+)\b[.:]?(\s*[.:—–-]?\s*\S.{{0,70}})?$",
    re.I,
)
_OTHER_HEADINGS = {
    "preface",
    "prologue",
    "epilogue",
    "introduction",
    "foreword",
    "afterword",
    "conclusion",
    "contents",
}
_ILLUSTRATION = re.compile(r"^\[(illustration|picture|image)\b", re.I)
_META_LINE = re.compile(
    r"^(title|author|editor|illustrator|translator|release date|language|credits|produced by|"
    r"most recently updated|character set encoding|original publication|posting date|e-?text)\s*:",
    re.I,
)
# A table-of-contents line: a title, then dot leaders or a wide gap, then a page number.
_TOC_LINE = re.compile(r"^\S.{1,90}?(\s*\.{4,}\s*|\s{3,})([0-9]{1,4}|[ivxlc]{1,7})$", re.I)


def read(path: Path, *, max_pages: int | None = None) -> Document:
    """Read the text file at ``path`` (``max_pages`` is ignored)."""
    p = path
    text, warnings = decode(p)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    gutenberg = False
    m = _GUTENBERG_START.search(text)
    if m:
        text = text[m.end() :]
        gutenberg = True
    m = _GUTENBERG_END.search(text)
    if m:
        text = text[: m.start()]
        gutenberg = True
    blocks = _blocks(text)
    title = ""
    head = text[:3000]
    tm = re.search(r"^\s*Title:\s*(.+)$", head, re.M)
    if tm:
        title = tm.group(1).strip()
    doc = Document(
        title=title or title_from(blocks, p.stem), format="txt", blocks=blocks, path=p, warnings=warnings
    )
    if gutenberg:
        doc.warnings.append("Dropped the Project Gutenberg licence text.")
    return doc


# --------------------------------------------------------------------------------------------
# encodings


def decode(p: Path) -> tuple[str, list[str]]:
    """The text of ``p`` and warnings about its encoding; DocumentError if it isn't text."""
    data = p.read_bytes()
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as e:
            raise DocumentError(
                f"{p.name} claims to be UTF-16 text but isn't valid; it may be damaged."
            ) from e
    sample = data[:65536]
    if sample.count(b"\x00") > len(sample) // 10:
        # UTF-16 without a BOM has a NUL in every other byte; anything else with NULs is binary.
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, warnings
        raise DocumentError(f"{p.name} isn't text: it contains binary data (is it really a .txt file?).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            warnings.append("The text wasn't UTF-8; read it as Windows-1252 (Western European).")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            warnings.append("The text wasn't UTF-8; read it as Latin-1.")
    if not _looks_like_text(text):
        raise DocumentError(
            f"{p.name} doesn't look like readable text: it is mostly control characters or binary data "
            "(wrong encoding or not a text file)."
        )
    return text, warnings


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    if not sample.strip():
        return True
    bad = sum(
        1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") and ch not in "\r\n\t\f"
    )
    return bad <= max(2, len(sample) // 100)


# --------------------------------------------------------------------------------------------
# paragraphs and headings


def _blocks(text: str) -> list[Block]:
    """Blank-line separated paragraphs; stand-alone chapter/part lines become headings."""
    blocks: list[Block] = []
    raw_paras = re.split(r"\n[ \t]*\n", text)
    i = 0
    while i < len(raw_paras):
        chunk = raw_paras[i]
        i += 1
        lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        first = lines[0]
        if _ILLUSTRATION.match(first):
            # "[Illustration: … \n\n Chapter I.]" spans blank lines: swallow up to the closing bracket,
            # keeping a chapter heading hidden inside it.
            body = "\n".join(lines)
            while body.count("[") > body.count("]") and i < len(raw_paras):
                body += "\n" + raw_paras[i]
                i += 1
            for ln in body.split("\n"):
                h = ln.strip().strip("[]").strip()
                if _CHAPTER_RE.match(h) or _PART_RE.match(h):
                    blocks.append(Block(text=h.rstrip("."), kind="heading", level=1))
            continue
        raw_lines = [ln.rstrip() for ln in chunk.split("\n") if ln.strip()]
        if len(blocks) < 40 and all(_META_LINE.match(ln) for ln in lines):
            continue  # "Title: …", "Author: …" front matter (the title is kept as Document.title)
        if all(_TOC_LINE.match(ln.strip()) or ln.strip().upper() in {"PAGE", "CONTENTS"} for ln in raw_lines):
            continue  # table of contents / list of illustrations: page numbers mean nothing when listening
        if len(lines) <= 2:
            joined = " ".join(lines)
            if _CHAPTER_RE.match(lines[0]) or _PART_RE.match(lines[0]):
                heading = lines[0].rstrip(".")
                if len(lines) == 2 and len(lines[1]) < 70 and not lines[1].endswith((".", ",")):
                    heading = f"{heading}: {lines[1]}"
                elif len(lines) == 2:
                    blocks.append(Block(text=heading, kind="heading", level=1))
                    blocks.append(Block(text=strip_emphasis(lines[1]), kind="paragraph"))
                    continue
                blocks.append(Block(text=heading, kind="heading", level=1))
                continue
            if len(lines) == 1 and joined.lower().strip(" .:") in _OTHER_HEADINGS:
                blocks.append(Block(text=joined.strip(" .:").title(), kind="heading", level=1))
                continue
        para = strip_emphasis(" ".join(lines))
        para = clean(para)
        if para:
            blocks.append(Block(text=para, kind="paragraph"))
    if any(b.kind == "heading" and b.level == 1 and _PART_RE.match(b.text) for b in blocks):
        for b in blocks:
            if b.kind == "heading" and _CHAPTER_RE.match(b.text):
                b.level = 2
    return blocks
