"""Turn a file on disk into a :class:`~os1.skills.documents.model.Document` with its structure kept.

One entry point, :func:`extract`, reads PDF (pypdfium2, with pypdf only to explain encryption),
DOCX (python-docx; "Heading N" styles become heading levels), EPUB (ebooklib; spine order,
one chapter per item), HTML (lxml), Markdown and plain text (encoding detection; Project
Gutenberg "CHAPTER I" headings recognised and the licence boilerplate dropped).

Bad input raises :class:`DocumentError` with a message a user understands (empty, damaged,
password-protected, scanned without a text layer, unsupported type, not text). Problems with a
single page only go to ``Document.warnings`` and the rest is read. Work is linear in the size of
the file: PDF pages are streamed one at a time and closed, so 2,000-page books are fine.
"""

from __future__ import annotations

import itertools
import re
import shutil
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from os1.skills.documents.model import Block, Document, DocumentError

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".pdf", ".docx", ".epub", ".html", ".htm", ".xhtml", ".md", ".markdown", ".txt", ".text"}
)

OCR_MAX_PAGES = 30  # scanned PDFs longer than this are refused rather than OCR'd for minutes


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
    if suffix not in SUPPORTED_SUFFIXES:
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
        if suffix == ".pdf":
            doc = _read_pdf(p, max_pages)
        elif suffix == ".docx":
            doc = _read_docx(p)
        elif suffix == ".epub":
            doc = _read_epub(p)
        elif suffix in {".html", ".htm", ".xhtml"}:
            doc = _read_html_file(p)
        elif suffix in {".md", ".markdown"}:
            doc = _read_markdown(p)
        else:
            doc = _read_text(p)
    except DocumentError:
        raise
    except PermissionError as e:
        raise DocumentError(f"I'm not allowed to open {p.name} (permission denied).") from e
    except OSError as e:
        raise DocumentError(f"I can't open {p.name}: {e.strerror or e}.") from e
    _assign_structure(doc.blocks)
    if not any(b.text.strip() for b in doc.blocks):
        raise DocumentError(f"{p.name} contains no readable text.")
    return doc


# --------------------------------------------------------------------------------------------
# shared helpers


_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _clean(text: str) -> str:
    text = text.replace("\ufffe", "").replace("\u00ad", "").replace("\ufeff", "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return _WS.sub(" ", text).strip()


def _assign_structure(blocks: list[Block]) -> None:
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


def _title_from(blocks: list[Block], fallback: str) -> str:
    for b in blocks[:20]:
        if b.kind == "heading":
            return b.text
    return fallback


# --------------------------------------------------------------------------------------------
# PDF


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


def _pdf_open_error(p: Path, err: Exception) -> DocumentError:
    msg = str(err).lower()
    if "password" in msg or _pdf_is_encrypted(p):
        return DocumentError(
            f"{p.name} is password-protected (encrypted). Open it with its password and save an "
            "unprotected copy, then send me that."
        )
    return DocumentError(f"{p.name} looks damaged: it isn't a PDF I can open ({err}).")


def _pdf_is_encrypted(p: Path) -> bool:
    try:
        from pypdf import PdfReader

        return bool(PdfReader(str(p), strict=False).is_encrypted)
    except Exception:
        return False


def _read_pdf(p: Path, max_pages: int | None) -> Document:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with p.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise DocumentError(
            f"{p.name} is not really a PDF (the file doesn't start like one); it may be damaged."
        )
    try:
        pdf = pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as e:
        raise _pdf_open_error(p, e) from e
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
            ocr = _ocr_pdf(pdf, p, limit)
            doc = Document(title=p.stem, format="pdf", blocks=ocr, path=p, pages=n_pages, warnings=warnings)
            doc.warnings.append(
                "This PDF has no text layer; the text was recognised with OCR and may contain errors."
            )
            doc.title = _title_from(ocr, p.stem)
            return doc
        if empty_pages:
            shown = ", ".join(str(n) for n in empty_pages[:10]) + ("…" if len(empty_pages) > 10 else "")
            warnings.append(f"{len(empty_pages)} page(s) had no text (images only?): {shown}.")
        meta_title = ""
        try:
            meta_title = (pdf.get_metadata_dict().get("Title") or "").strip()
        except Exception:
            meta_title = ""
        toc = _pdf_toc(pdf, limit)
    finally:
        pdf.close()
    blocks = _pdf_blocks(pages_lines, toc)
    title = (
        meta_title
        if meta_title and len(meta_title) > 3 and not meta_title.lower().endswith((".doc", ".pdf"))
        else ""
    )
    title = title or _title_from(blocks, p.stem)
    return Document(title=title, format="pdf", blocks=blocks, path=p, pages=n_pages, warnings=warnings)


def _pdf_toc(pdf: object, limit: int) -> dict[tuple[int, str], int]:
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
        lines.append(_Line(_clean(body), size, bold, x0, x1, y, page_no, y_end or y))
    return [ln for ln in lines if ln.text]


def _soft_hyphen(m: re.Match[str]) -> str:
    a, b = m.group(1), m.group(2)
    if _is_word(a + b) or not (_is_word(a) and _is_word(b)):
        return a + b
    return f"{a}-{b}"


_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(\.\d{1,2}){0,3}\.?|[A-Z]\.|[IVX]{1,4}\.)\s+\S")
_PAGE_NUMBER = re.compile(r"^(page\s*)?[\divxlc]{1,5}(\s*(of|/)\s*\d+)?$", re.I)


def _pdf_blocks(pages_lines: list[list[_Line]], toc: dict[tuple[int, str], int]) -> list[Block]:
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
    para_page: int | None = None

    def flush() -> None:
        nonlocal para, para_page
        if para:
            text = _join_lines(para)
            if text:
                blocks.append(Block(text=text, kind="paragraph", page=para_page))
        para, para_page = [], None

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
            if not para:
                para_page = ln.page
            para.append(ln.text)
            prev = ln
    flush()
    return blocks


def _edge_key(ln: _Line) -> str:
    """Running headers/footers repeat the same words (page numbers aside) at the same height."""
    text = re.sub(r"\d+", "#", ln.text.lower())
    return f"{text}@{round(ln.y / 6)}"


def _join_lines(lines: list[str]) -> str:
    out = ""
    for ln in lines:
        if not out:
            out = ln
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and ln[:1].islower():
            head = re.findall(r"[A-Za-z]+-$", out)
            tail = re.match(r"[a-z]+", ln)
            if head and tail and _is_word(head[0][:-1] + tail.group(0)) and not _is_word(head[0][:-1]):
                out = out[:-1] + ln
            else:
                out = out + ln
        else:
            out = out + " " + ln
    return _clean(out)


def _is_word(w: str) -> bool:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return True
    return zipf_frequency(w, "en") > 1.5


def _ocr_pdf(pdf: object, p: Path, limit: int) -> list[Block]:
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


# --------------------------------------------------------------------------------------------
# DOCX


def _read_docx(p: Path) -> Document:
    import zipfile

    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as e:  # pragma: no cover
        raise DocumentError("Word documents need python-docx, which isn't installed.") from e
    try:
        d = docx.Document(str(p))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        if _zip_encrypted(p):
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
            text = _clean(para.text)
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            level = _docx_level(style)
            if level:
                blocks.append(Block(text=text, kind="heading", level=level))
            else:
                blocks.append(Block(text=text, kind="paragraph"))
        elif tag == "tbl":
            table = Table(child, d)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = _clean(cell.text)
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                if cells:
                    blocks.append(Block(text=" | ".join(cells), kind="paragraph"))
    title = ""
    try:
        title = (d.core_properties.title or "").strip()
    except Exception:
        title = ""
    return Document(title=title or _title_from(blocks, p.stem), format="docx", blocks=blocks, path=p)


def _docx_level(style: str) -> int:
    s = style.lower()
    if s == "title":
        return 1
    m = re.match(r"heading\s*(\d)", s)
    if m:
        return max(1, int(m.group(1)))
    return 0


def _zip_encrypted(p: Path) -> bool:
    with p.open("rb") as fh:
        head = fh.read(8)
    return head.startswith(b"\xd0\xcf\x11\xe0")  # OLE container = encrypted Office file


# --------------------------------------------------------------------------------------------
# HTML / EPUB

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


def _html_blocks(root: object, page: int | None = None) -> list[Block]:
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
        return _clean(" ".join("".join(parts).split()))

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
            t = _clean(el.text)  # type: ignore[attr-defined]
            if t:
                blocks.append(Block(text=t, kind="paragraph", page=page))
        for c in el:  # type: ignore[attr-defined]
            visit(c)
            tail = c.tail  # type: ignore[attr-defined]
            if tail and tail.strip():
                t = _clean(tail)
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
    return _merge_inline_fragments(blocks)


def _merge_inline_fragments(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.text]


def _parse_html(data: bytes) -> object:
    import lxml.html

    try:
        return lxml.html.document_fromstring(data)
    except Exception as e:
        raise DocumentError(f"the HTML could not be parsed ({e})") from e


def _read_html_file(p: Path) -> Document:
    data = p.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"{p.name} isn't a web page: it contains binary data.")
    try:
        root = _parse_html(data)
    except DocumentError as e:
        raise DocumentError(f"{p.name}: {e}.") from e
    body = root.find("body")  # type: ignore[attr-defined]
    blocks = _html_blocks(body if body is not None else root)
    title_el = root.find(".//title")  # type: ignore[attr-defined]
    title = _clean(title_el.text_content()) if title_el is not None else ""
    return Document(title=title or _title_from(blocks, p.stem), format="html", blocks=blocks, path=p)


def _read_epub(p: Path) -> Document:
    import zipfile

    import ebooklib
    from ebooklib import epub

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
    toc_titles = _epub_toc_titles(book)
    for item in items:
        try:
            root = _parse_html(item.get_content())
        except DocumentError as e:
            warnings.append(f"Skipped part {item.get_name()}: {e}.")
            continue
        body = root.find("body")  # type: ignore[attr-defined]
        part = _html_blocks(body if body is not None else root)
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
        title=title or _title_from(blocks, p.stem), format="epub", blocks=blocks, path=p, warnings=warnings
    )


def _epub_toc_titles(book: object) -> dict[str, str]:
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


# --------------------------------------------------------------------------------------------
# Plain text and Markdown


def _decode(p: Path) -> tuple[str, list[str]]:
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


def _read_text(p: Path) -> Document:
    text, warnings = _decode(p)
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
    blocks = _text_blocks(text)
    title = ""
    head = text[:3000]
    tm = re.search(r"^\s*Title:\s*(.+)$", head, re.M)
    if tm:
        title = tm.group(1).strip()
    doc = Document(
        title=title or _title_from(blocks, p.stem), format="txt", blocks=blocks, path=p, warnings=warnings
    )
    if gutenberg:
        doc.warnings.append("Dropped the Project Gutenberg licence text.")
    return doc


def _text_blocks(text: str) -> list[Block]:
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
                    blocks.append(Block(text=h.rstrip("."), kind="heading", level=_heading_level_txt(h)))
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
                    blocks.append(Block(text=heading, kind="heading", level=_heading_level_txt(lines[0])))
                    blocks.append(Block(text=_strip_emphasis(lines[1]), kind="paragraph"))
                    continue
                blocks.append(Block(text=heading, kind="heading", level=_heading_level_txt(lines[0])))
                continue
            if len(lines) == 1 and joined.lower().strip(" .:") in _OTHER_HEADINGS:
                blocks.append(Block(text=joined.strip(" .:").title(), kind="heading", level=1))
                continue
        para = _strip_emphasis(" ".join(lines))
        para = _clean(para)
        if para:
            blocks.append(Block(text=para, kind="paragraph"))
    if any(b.kind == "heading" and b.level == 1 and _PART_RE.match(b.text) for b in blocks):
        for b in blocks:
            if b.kind == "heading" and _CHAPTER_RE.match(b.text):
                b.level = 2
    return blocks


def _heading_level_txt(line: str) -> int:
    return 1


def _strip_emphasis(s: str) -> str:
    return re.sub(r"(?<![\w*])[_*]{1,2}([^_*\n]+?)[_*]{1,2}(?![\w*])", r"\1", s)


def _read_markdown(p: Path) -> Document:
    text, warnings = _decode(p)
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
            t = _md_inline(" ".join(para))
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
            t = _md_inline(m.group(2))
            if t:
                blocks.append(Block(text=t, kind="heading", level=len(m.group(1))))
            continue
        nxt = lines[idx + 1].strip() if idx + 1 < len(lines) else ""
        if line.strip() and para == [] and nxt and re.fullmatch(r"=+|-+", nxt) and len(nxt) >= 3:
            blocks.append(
                Block(text=_md_inline(line.strip()), kind="heading", level=1 if nxt[0] == "=" else 2)
            )
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
    return Document(title=_title_from(blocks, p.stem), format="md", blocks=blocks, path=p, warnings=warnings)


def _md_inline(s: str) -> str:
    s = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"`([^`]*)`", r"\1", s)
    s = re.sub(r"<[^>]+>", "", s)
    s = _strip_emphasis(s)
    return _clean(s)
