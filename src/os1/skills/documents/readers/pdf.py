"""Read a PDF: pypdfium2 text and layout into headings and paragraphs, OCR for scans.

Each page's text lines come with their font size, weight and position. Running headers and
footers (the same words at the same height on many pages) and page numbers are dropped; wrapped
lines are joined into paragraphs, also across a page break (``Block.page_breaks`` records where
the next page starts); headings come from the PDF outline, a larger font or a short bold line.
Pages are streamed one at a time and closed, so 2,000-page books are fine. pypdf is used only
to tell an encrypted file from a damaged one. A PDF without a text layer is OCR'd with tesseract
when it is installed and short (``OCR_MAX_PAGES``).
"""

from __future__ import annotations

import itertools
import logging
import re
import shutil
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from os1.skills.documents.model import Block, Document, DocumentError
from os1.skills.documents.readers.common import clean, title_from

OCR_MAX_PAGES = 30  # scanned PDFs longer than this are refused rather than OCR'd for minutes

_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(\.\d{1,2}){0,3}\.?|[A-Z]\.|[IVX]{1,4}\.)\s+\S")
_PAGE_NUMBER = re.compile(r"^(page\s*)?[\divxlc]{1,5}(\s*(of|/)\s*\d+)?$", re.I)


@dataclass
class _Line:
    text: str
    size: float
    bold: bool
    x0: float
    x1: float
    y: float  # baseline-ish (bottom of the first char), PDF units, grows upwards
    page: int
    y_end: float = 0.0  # bottom of the last char (differs when pdfium joined a hyphenated break)


def read(path: Path, *, max_pages: int | None = None) -> Document:
    """Read the PDF at ``path``; only its first ``max_pages`` pages when given (a warning says so)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    p = path
    with p.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise DocumentError(
            f"{p.name} is not really a PDF (the file doesn't start like one); it may be damaged."
        )
    try:
        pdf = pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as e:
        raise _open_error(p, e) from e
    warnings: list[str] = []
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise DocumentError(f"{p.name} has no pages.")
        limit = n_pages if max_pages is None else max(0, min(n_pages, max_pages))
        if limit < n_pages:
            warnings.append(f"Read only the first {limit} of {n_pages} pages.")
        pages_lines: list[list[_Line]] = []
        empty_pages: list[int] = []
        for i in range(limit):
            try:
                page = pdf[i]
                tp = page.get_textpage()
            except pdfium.PdfiumError as e:
                warnings.append(f"Page {i + 1} couldn't be read ({e}); skipped.")
                pages_lines.append([])
                continue
            try:
                lines = _page_lines(tp, raw, i + 1)
            except Exception as e:
                warnings.append(f"Page {i + 1} couldn't be read ({e}); skipped.")
                lines = []
            finally:
                tp.close()
                page.close()
            if not lines:
                empty_pages.append(i + 1)
            pages_lines.append(lines)
        text_chars = sum(len(ln.text) for pl in pages_lines for ln in pl)
        if text_chars < 20 * max(1, limit - len(empty_pages)) and len(empty_pages) >= max(1, limit // 2):
            ocr = _ocr(pdf, p, limit)
            doc = Document(title=p.stem, format="pdf", blocks=ocr, path=p, pages=n_pages, warnings=warnings)
            doc.warnings.append(
                "This PDF has no text layer; the text was recognised with OCR and may contain errors."
            )
            doc.title = title_from(ocr, p.stem)
            return doc
        if empty_pages:
            shown = ", ".join(str(n) for n in empty_pages[:10]) + ("…" if len(empty_pages) > 10 else "")
            warnings.append(f"{len(empty_pages)} page(s) had no text (images only?): {shown}.")
        meta_title = ""
        try:
            meta_title = (pdf.get_metadata_dict().get("Title") or "").strip()
        except Exception:
            meta_title = ""
        toc = _outline(pdf, limit)
    finally:
        pdf.close()
    blocks = _blocks(pages_lines, toc)
    title = (
        meta_title
        if meta_title and len(meta_title) > 3 and not meta_title.lower().endswith((".doc", ".pdf"))
        else ""
    )
    title = title or title_from(blocks, p.stem)
    return Document(title=title, format="pdf", blocks=blocks, path=p, pages=n_pages, warnings=warnings)


# --------------------------------------------------------------------------------------------
# opening: damaged or encrypted


def _open_error(p: Path, err: Exception) -> DocumentError:
    msg = str(err).lower()
    if "password" in msg or _is_encrypted(p):
        return DocumentError(
            f"{p.name} is password-protected (encrypted). Open it with its password and save an "
            "unprotected copy, then send me that."
        )
    return DocumentError(f"{p.name} looks damaged: it isn't a PDF I can open ({err}).")


def _is_encrypted(p: Path) -> bool:
    """Ask pypdf whether ``p`` is encrypted; its complaints about damaged files are not shown.

    pypdf logs warnings such as "EOF marker not found" for broken files, which would end up on
    stderr; we explain the problem ourselves, so only pypdf's own logger is quietened, briefly.
    """
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        from pypdf import PdfReader

        return bool(PdfReader(str(p), strict=False).is_encrypted)
    except Exception:
        return False
    finally:
        logger.setLevel(previous)


# --------------------------------------------------------------------------------------------
# text lines of a page, with layout


def _outline(pdf: object, limit: int) -> dict[tuple[int, str], int]:
    """Outline entries as {(page, normalised title): level}."""
    out: dict[tuple[int, str], int] = {}
    try:
        for item in pdf.get_toc(max_depth=4):  # type: ignore[attr-defined]
            if item.page_index is not None and item.page_index < limit and item.title:
                out[(item.page_index + 1, _norm(item.title))] = item.level + 1
    except Exception:
        return {}
    return out


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def _page_lines(tp: object, raw: object, page_no: int) -> list[_Line]:
    text: str = tp.get_text_range()  # type: ignore[attr-defined]
    if not text.strip():
        return []
    n = tp.count_chars()  # type: ignore[attr-defined]
    aligned = len(text) == n  # char index == string offset (no surrogate pairs)
    lines: list[_Line] = []
    off = 0
    for seg in text.split("\r\n"):
        start = off
        off += len(seg) + 2
        lead = len(seg) - len(seg.lstrip())
        body = seg.strip()
        if not body:
            continue
        size, bold, x0, x1, y, y_end = 0.0, False, 0.0, 0.0, 0.0, 0.0
        if aligned:
            i0 = start + lead
            i1 = start + len(seg.rstrip()) - 1
            size = float(raw.FPDFText_GetFontSize(tp, i0))  # type: ignore[attr-defined]
            w0 = raw.FPDFText_GetFontWeight(tp, i0)  # type: ignore[attr-defined]
            w1 = raw.FPDFText_GetFontWeight(tp, i1)  # type: ignore[attr-defined]
            bold = w0 >= 600 and (w1 >= 600 or bool(_NUMBERED_HEADING.match(body)))
            left, bottom, _r, _t = tp.get_charbox(i0)  # type: ignore[attr-defined]
            _l, b_end, right, _t2 = tp.get_charbox(i1)  # type: ignore[attr-defined]
            x0, x1, y, y_end = float(left), float(right), float(bottom), float(b_end)
        if "\ufffe" in body:
            body = re.sub(r"(\w*)\ufffe(\w*)", _soft_hyphen, body)
        lines.append(_Line(clean(body), size, bold, x0, x1, y, page_no, y_end or y))
    return [ln for ln in lines if ln.text]


def _soft_hyphen(m: re.Match[str]) -> str:
    a, b = m.group(1), m.group(2)
    if _is_word(a + b) or not (_is_word(a) and _is_word(b)):
        return a + b
    return f"{a}-{b}"


# --------------------------------------------------------------------------------------------
# lines -> blocks


def _blocks(pages_lines: list[list[_Line]], toc: dict[tuple[int, str], int]) -> list[Block]:
    """Lines -> paragraphs and headings: drop running headers/footers, join wrapped lines."""
    n_pages = len(pages_lines)
    # Running headers/footers: the same (digit-normalised) text at the top or bottom of many pages.
    edge: Counter[str] = Counter()
    for pl in pages_lines:
        seen = {_edge_key(ln) for ln in pl[:2] + pl[-2:] if len(ln.text) <= 70 and not ln.text.endswith(".")}
        edge.update(seen)
    repeated = {k for k, c in edge.items() if n_pages >= 4 and c >= max(3, n_pages * 0.3)}
    sizes: Counter[float] = Counter()
    for pl in pages_lines:
        for ln in pl:
            sizes[round(ln.size, 1)] += len(ln.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    heading_sizes = sorted(
        {round(ln.size, 1) for pl in pages_lines for ln in pl if body and ln.size >= body * 1.15},
        reverse=True,
    )

    def heading_level(ln: _Line) -> int:
        if len(ln.text) > 120 or not re.search(r"[A-Za-z]", ln.text):
            return 0
        key = (ln.page, _norm(ln.text))
        if key in toc:
            return min(toc[key], 6)
        words = len(ln.text.split())
        if body and ln.size >= body * 1.15 and words <= 15 and not ln.text.endswith((".", ",", ";")):
            return (
                min(heading_sizes.index(round(ln.size, 1)) + 1, 3)
                if round(ln.size, 1) in heading_sizes
                else 1
            )
        if (
            ln.bold
            and words <= 12
            and not ln.text.endswith((".", ",", ";", ":"))
            and (_NUMBERED_HEADING.match(ln.text) or ln.text[:1].isupper())
        ):
            depth = ln.text.split()[0].rstrip(".").count(".") if _NUMBERED_HEADING.match(ln.text) else 0
            return min(len(heading_sizes) + 1 + depth, 6)
        return 0

    blocks: list[Block] = []
    para: list[str] = []
    para_pages: list[int] = []  # the page of each line in ``para``

    def flush() -> None:
        nonlocal para, para_pages
        if para:
            text, starts = _join_lines_at(para)
            if text:
                pages = para_pages
                breaks = [(starts[i], pages[i]) for i in range(1, len(pages)) if pages[i] != pages[i - 1]]
                blocks.append(Block(text=text, kind="paragraph", page=para_pages[0], page_breaks=breaks))
        para, para_pages = [], []

    for pl in pages_lines:
        widths = [ln.x1 - ln.x0 for ln in pl if ln.x1 > ln.x0]
        full = statistics.median(widths) if widths else 0.0
        prev: _Line | None = None
        gaps = [abs(a.y - b.y) for a, b in itertools.pairwise(pl) if 0 < abs(a.y - b.y) < 3 * max(a.size, 1)]
        spacing = statistics.median(gaps) if gaps else 0.0
        for idx, ln in enumerate(pl):
            at_edge = idx < 2 or idx >= len(pl) - 2
            if at_edge and (
                (
                    len(ln.text) <= 70
                    and not ln.text.endswith(".")
                    and (not body or ln.size <= body * 1.05)
                    and _edge_key(ln) in repeated
                )
                or _PAGE_NUMBER.match(ln.text)
            ):
                continue
            if body and ln.size and ln.size < body * 0.75 and len(ln.text) <= 4:
                continue  # superscript footnote marks
            if re.search(r"(\.\s?){4,}\s*\d{1,4}$", ln.text):
                continue  # table-of-contents line with dot leaders
            level = heading_level(ln)
            if (
                not level
                and ln.bold
                and not para
                and prev is not None
                and blocks
                and blocks[-1].kind == "heading"
                and blocks[-1].page == ln.page
                and abs(prev.size - ln.size) < 0.5
                and 0 < prev.y - ln.y < 2.5 * max(ln.size, 1)
                and len(ln.text.split()) <= 10
            ):
                blocks[-1].text = f"{blocks[-1].text} {ln.text}"  # heading wrapped onto a non-capital line
                prev = ln
                continue
            if level:
                flush()
                if (
                    blocks
                    and blocks[-1].kind == "heading"
                    and blocks[-1].page == ln.page
                    and blocks[-1].level == level
                    and prev is not None
                    and abs(prev.y - ln.y) < 2.5 * max(ln.size, 1)
                ):
                    blocks[-1].text = f"{blocks[-1].text} {ln.text}"  # a heading wrapped over two lines
                else:
                    blocks.append(Block(text=ln.text, kind="heading", page=ln.page, level=level))
                prev = ln
                continue
            new_para = False
            if prev is None:
                # continue a paragraph across the page break unless it clearly ended
                new_para = bool(para) and para[-1].rstrip().endswith((".", "!", "?", ":", "”", '"'))
            else:
                dy = prev.y_end - ln.y
                if spacing and dy > spacing * 1.6:
                    new_para = True
                elif dy < -spacing * 3 if spacing else False:
                    new_para = para != [] and para[-1].rstrip().endswith((".", "!", "?", ":"))  # column jump
                elif (
                    full
                    and prev.text.endswith((".", "!", "?", ":", "”", '"'))
                    and (prev.x1 - prev.x0) < 0.8 * full
                ) or (prev.size and ln.size and abs(prev.size - ln.size) > 1.0):
                    new_para = True
            if new_para:
                flush()
            para.append(ln.text)
            para_pages.append(ln.page)
            prev = ln
    flush()
    return blocks


def _edge_key(ln: _Line) -> str:
    """Running headers/footers repeat the same words (page numbers aside) at the same height."""
    text = re.sub(r"\d+", "#", ln.text.lower())
    return f"{text}@{round(ln.y / 6)}"


def _join_lines(lines: list[str]) -> str:
    return _join_lines_at(lines)[0]


def _join_lines_at(lines: list[str]) -> tuple[str, list[int]]:
    """Join wrapped lines into one paragraph, undoing end-of-line hyphenation ("bri-" + "dge").

    Also returns where each line starts in the joined text (inside the word it completes, when
    its start was glued to a hyphenated word).
    """
    out = ""
    starts: list[int] = []
    for ln in lines:
        if not out:
            starts.append(0)
            out = ln
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and ln[:1].islower():
            head = re.findall(r"[A-Za-z]+-$", out)
            tail = re.match(r"[a-z]+", ln)
            if head and tail and _is_word(head[0][:-1] + tail.group(0)) and not _is_word(head[0][:-1]):
                starts.append(len(out) - 1)
                out = out[:-1] + ln
            else:
                starts.append(len(out))
                out = out + ln
        else:
            starts.append(len(out) + 1)
            out = out + " " + ln
    text = clean(out)
    if text != out:  # cleaning moved things: find each start again ("x" marks the spot)
        starts = [len(clean(out[:s] + "x")) - 1 for s in starts]
    return text, starts


def _is_word(w: str) -> bool:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return True
    return zipf_frequency(w, "en") > 1.5


# --------------------------------------------------------------------------------------------
# scans


def _ocr(pdf: object, p: Path, limit: int) -> list[Block]:
    """OCR a scanned PDF with tesseract when it is installed and the document is short."""
    if shutil.which("tesseract") is None:
        raise DocumentError(
            f"{p.name} is a scan: its pages are pictures with no text layer, and OCR (tesseract) isn't "
            "installed, so I can't read it."
        )
    if limit > OCR_MAX_PAGES:
        raise DocumentError(
            f"{p.name} is a scan with no text layer ({limit} pages). Recognising that many pages would take "
            f"too long here; I only OCR scans up to {OCR_MAX_PAGES} pages."
        )
    import pytesseract

    blocks: list[Block] = []
    for i in range(limit):
        page = pdf[i]  # type: ignore[index]
        try:
            image = page.render(scale=200 / 72).to_pil()
            text = pytesseract.image_to_string(image)
        finally:
            page.close()
        for para in re.split(r"\n\s*\n", text):
            t = _join_lines([ln.strip() for ln in para.splitlines() if ln.strip()])
            if t:
                blocks.append(Block(text=t, kind="paragraph", page=i + 1))
    if not blocks:
        raise DocumentError(f"{p.name} is a scan with no text layer, and OCR found no text in it.")
    return blocks
