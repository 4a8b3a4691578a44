"""Highlighted copies of a document: the best parts marked where they stand.

* :func:`highlighted_html` — the whole document as one self-contained HTML page, the chosen
  sentences in ``<mark>``, headed by a "Best parts" list that links to each highlight and says where
  it is ("page 12, “Results”"). Works for every input format.
* :func:`highlighted_pdf` — for PDF input, a copy of the PDF with real Highlight annotations over
  the chosen sentences: pypdfium2 finds the character boxes of each sentence on its page, pypdf
  appends the annotations as an incremental update to a new file. The original file is never
  written to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from os1.skills.documents.model import Document, DocumentError, where
from os1.skills.documents.passages import Passage

_CSS = """
body{font:17px/1.6 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}
mark{background:#fff3a3;padding:0 .1em}
nav.best{border:1px solid #ddd;border-radius:6px;padding:.6em 1.2em;margin-bottom:2em;background:#fafafa}
nav.best li{margin:.3em 0}
nav.best .where{color:#777;font-size:.85em}
.page{color:#999;font-size:.75em;margin-left:.4em}
"""


def _norm_ws(text: str) -> str:
    return " ".join(text.split())


def _locate(block_text: str, sentences: list[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """(start, end, highlight number) spans of ``sentences`` inside ``block_text``, in order."""
    spans = []
    cursor = 0
    for number, sent in sentences:
        at = block_text.find(sent, cursor)
        if at < 0:
            at = block_text.find(sent)
        if at < 0:
            continue
        spans.append((at, at + len(sent), number))
        cursor = at + len(sent)
    spans.sort()
    out: list[tuple[int, int, int]] = []
    for s, e, n in spans:
        if out and s < out[-1][1]:
            continue  # overlapping duplicate
        out.append((s, e, n))
    return out


def highlighted_html(doc: Document, chosen: Sequence[Passage]) -> str:
    """The whole document as HTML with ``chosen`` sentences marked and a linked "Best parts" list."""
    ordered = sorted(chosen, key=lambda p: (p.block, p.index))
    by_block: dict[int, list[tuple[int, str]]] = {}
    for number, p in enumerate(ordered, start=1):
        by_block.setdefault(p.block, []).append((number, _norm_ws(p.text)))
    title = html.escape(doc.title or "Document")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{title} — best parts</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1>",
    ]
    if ordered:
        out.append(f'<nav class="best"><h2>Best parts ({len(ordered)})</h2><ol>')
        for number, p in enumerate(ordered, start=1):
            ref = where(doc.blocks[p.block]) if 0 <= p.block < len(doc.blocks) else ""
            short = p.text if len(p.text) <= 160 else p.text[:157].rsplit(" ", 1)[0] + "…"
            ref_html = f' <span class="where">({html.escape(ref)})</span>' if ref else ""
            out.append(f'<li><a href="#best-{number}">{html.escape(short)}</a>{ref_html}</li>')
        out.append("</ol></nav>")
    last_page = None
    for bi, block in enumerate(doc.blocks):
        page_note = ""
        if block.page is not None and block.page != last_page:
            page_note = f'<span class="page" id="page-{block.page}">[page {block.page}]</span>'
            last_page = block.page
        if block.kind == "heading":
            level = min(max(block.level, 1) + 1, 6)
            marked = by_block.get(bi)
            text = html.escape(block.text)
            if marked:
                text = f'<mark id="best-{marked[0][0]}">{text}</mark>'
            out.append(f"<h{level}>{text}{page_note}</h{level}>")
            continue
        text = _norm_ws(block.text)
        pieces = []
        cursor = 0
        for start, end, number in _locate(text, by_block.get(bi, [])):
            pieces.append(html.escape(text[cursor:start]))
            pieces.append(f'<mark id="best-{number}">{html.escape(text[start:end])}</mark>')
            cursor = end
        pieces.append(html.escape(text[cursor:]))
        out.append(f"<p>{''.join(pieces)}{page_note}</p>")
    out.append("</body></html>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# PDF


def _alnum_index(text: str) -> tuple[str, list[int]]:
    """Lower-cased letters and digits of ``text`` and, for each, its index in ``text``."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isalnum():
            chars.append(ch.lower())
            index.append(i)
    return "".join(chars), index


def _key(text: str) -> str:
    return "".join(ch.lower() for ch in text if ch.isalnum())


def _boxes(textpage: object, start: int, end: int) -> list[tuple[float, float, float, float]]:
    """Line rectangles (left, bottom, right, top) covering characters ``start..end`` (inclusive)."""
    n = textpage.count_rects(start, end - start + 1)  # type: ignore[attr-defined]
    rects = [textpage.get_rect(i) for i in range(n)]  # type: ignore[attr-defined]
    lines: list[list[float]] = []
    for left, bottom, right, top in rects:
        for ln in lines:
            if abs(ln[1] - bottom) < 2 and abs(ln[3] - top) < 2 and left - ln[2] < 30:
                ln[0], ln[2] = min(ln[0], left), max(ln[2], right)
                break
        else:
            lines.append([left, bottom, right, top])
    return [(a, b, c, d) for a, b, c, d in lines]


def highlighted_pdf(src_pdf: str | Path, chosen: Sequence[Passage], out_pdf: str | Path) -> int:
    """Write ``out_pdf``: a copy of ``src_pdf`` with the chosen sentences highlighted. Returns the count.

    Sentences are found on their own page (or the next one, when a paragraph runs over a page
    break, split across both); sentences that can't be found are skipped.
    """
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Highlight
    from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

    src = Path(src_pdf)
    out = Path(out_pdf)
    if out.resolve() == src.resolve():
        raise DocumentError("The highlighted copy must be a new file; I never change the original.")
    try:
        pdf = pdfium.PdfDocument(str(src))
    except pdfium.PdfiumError as e:
        raise DocumentError(f"{src.name} can't be opened for highlighting ({e}).") from e
    wanted: dict[int, list[Passage]] = {}
    for p in chosen:
        if p.page is not None and not p.heading:
            wanted.setdefault(p.page, []).append(p)
    marks: dict[int, list[tuple[list[tuple[float, float, float, float]], str]]] = {}
    page_text: dict[int, tuple[str, list[int], object, object]] = {}

    def load(page_no: int) -> tuple[str, list[int], object, object] | None:
        if page_no in page_text:
            return page_text[page_no]
        if not 1 <= page_no <= len(pdf):
            return None
        page = pdf[page_no - 1]
        tp = page.get_textpage()
        key, index = _alnum_index(tp.get_text_range())
        page_text[page_no] = (key, index, tp, page)
        return page_text[page_no]

    def find(page_no: int, text_key: str) -> bool:
        got = load(page_no)
        if got is None or not text_key:
            return False
        key, index, tp, _page = got
        at = key.find(text_key)
        if at < 0:
            return False
        boxes = _boxes(tp, index[at], index[at + len(text_key) - 1])
        if boxes:
            marks.setdefault(page_no, []).append((boxes, ""))
        return bool(boxes)

    count = 0
    try:
        for page_no in sorted(wanted):
            for p in wanted[page_no]:
                k = _key(p.text)
                if len(k) < 4:
                    continue
                if find(page_no, k) or find(page_no + 1, k):
                    count += 1
                    continue
                # across a page break: the longest head on this page, the rest on the next
                for cut in range(len(k) - 4, 3, -max(1, len(k) // 20)):
                    got = load(page_no)
                    if got is not None and got[0].endswith(k[:cut]):
                        if find(page_no, k[:cut]):
                            find(page_no + 1, k[cut:])
                            count += 1
                        break
        reader = PdfReader(str(src))
        writer = PdfWriter(clone_from=reader)
        for page_no, items in sorted(marks.items()):
            for boxes, _note in items:
                quads: list[float] = []
                for left, bottom, right, top in boxes:
                    quads += [left, top, right, top, left, bottom, right, bottom]
                rect = (
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                )
                annot = Highlight(
                    rect=rect,
                    quad_points=ArrayObject([FloatObject(round(q, 2)) for q in quads]),
                    highlight_color="fff000",
                    printing=True,
                )
                annot[NameObject("/T")] = TextStringObject("OS1")
                annot[NameObject("/Contents")] = TextStringObject("Best part")
                writer.add_annotation(page_number=page_no - 1, annotation=annot)
        tmp = out.with_name(out.name + ".part")
        with tmp.open("wb") as fh:
            writer.write(fh)
        tmp.replace(out)
    finally:
        for _text_key, _index, tp, page in page_text.values():
            tp.close()  # type: ignore[attr-defined]
            page.close()  # type: ignore[attr-defined]
        pdf.close()
    return count


def strip_marks(html_text: str) -> str:
    """The text of a highlighted HTML page without tags (handy for checks and previews)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))
