"""Extraction of every supported format, structure kept, and clear errors for bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from os1.skills.documents.extract import SUPPORTED_SUFFIXES, extract
from os1.skills.documents.model import Block, Document, DocumentError, where
from os1.skills.documents.passages import split_passages, split_sentences
from tests.fixtures.documents.pdfgen import book_pages, write_pdf

PARA = (
    "The committee met on Tuesday to discuss the new bridge. Mr. Smith said the cost had risen to 3.5 "
    "million pounds. Nobody expected that, and the mayor asked for a second opinion."
)


def _gutenberg(tmp_path: Path) -> Path:
    text = (
        "The Project Gutenberg eBook of A Test\r\n\r\nTitle: A Test Book\r\n\r\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK A TEST ***\r\n\r\n"
        "[Illustration: ·A TEST·\r\n\r\n\r\nChapter I.]\r\n\r\n"
        "It is a truth universally acknowledged, that a single man\r\n"
        "in possession of a good fortune.\r\n\r\n"
        "“_You_ want to tell me,” she said.\r\n\r\n[Illustration: “A picture”]\r\n\r\n"
        "CHAPTER II.\r\n\r\nMr. Bennet was among the earliest.\r\n\r\n"
        "CHAPTER III\r\n\r\nNot all that Mrs. Bennet could ask.\r\n\r\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK A TEST ***\r\n\r\nLicence text that must go.\r\n"
    )
    p = tmp_path / "book.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_gutenberg_text_chapters_and_boilerplate(tmp_path: Path) -> None:
    doc = extract(_gutenberg(tmp_path))
    heads = [b.text for b in doc.blocks if b.kind == "heading"]
    assert heads == ["Chapter I", "CHAPTER II", "CHAPTER III"]
    assert "Licence text" not in doc.text and "Illustration" not in doc.text
    assert "You want to tell me" in doc.text  # _emphasis_ markers removed
    para = next(b for b in doc.blocks if b.text.startswith("It is a truth"))
    assert para.chapter == "Chapter I" and "man in possession" in para.text
    assert doc.blocks[-1].chapter == "CHAPTER III"


def test_text_encodings(tmp_path: Path) -> None:
    p = tmp_path / "latin.txt"
    p.write_bytes("Café crème at the bistro. It cost 5 €.".encode("cp1252"))
    doc = extract(p)
    assert "Café crème" in doc.text and "€" in doc.text
    assert any("Windows-1252" in w for w in doc.warnings)
    u16 = tmp_path / "u16.txt"
    u16.write_bytes("Hello there. Second line.".encode("utf-16"))
    assert "Hello there" in extract(u16).text
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(DocumentError, match=r"binary|text"):
        extract(binary)


def test_bad_files_give_clear_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty"):
        extract(empty)
    with pytest.raises(DocumentError, match=r"can't read .xyz"):
        (tmp_path / "a.xyz").write_text("x")
        extract(tmp_path / "a.xyz")
    with pytest.raises(DocumentError, match="doesn't exist"):
        extract(tmp_path / "missing.txt")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"this is not a pdf at all" * 10)
    with pytest.raises(DocumentError, match=r"not really a PDF|damaged"):
        extract(junk)
    good = write_pdf(tmp_path / "good.pdf", book_pages([PARA] * 30))
    truncated = tmp_path / "trunc.pdf"
    truncated.write_bytes(good.read_bytes()[:200])
    with pytest.raises(DocumentError, match="damaged"):
        extract(truncated)
    assert {".pdf", ".docx", ".epub", ".html", ".md", ".txt"} <= SUPPORTED_SUFFIXES


def test_pdf_pages_headings_and_where(tmp_path: Path) -> None:
    paras = [f"{PARA} This is paragraph number {i}." for i in range(60)]
    pdf = write_pdf(tmp_path / "book.pdf", book_pages(paras, chapter_every=20), title="Bridge Report")
    doc = extract(pdf)
    assert doc.format == "pdf" and doc.title == "Bridge Report" and doc.pages and doc.pages >= 5
    heads = [b for b in doc.blocks if b.kind == "heading"]
    assert [h.text for h in heads] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert heads[0].page == 1 and heads[-1].page and heads[-1].page > 2
    paras_out = [b for b in doc.blocks if b.kind == "paragraph"]
    assert len(paras_out) == 60  # wrapped lines joined into paragraphs, including across pages
    last = paras_out[-1]
    assert last.text.endswith("number 59.") and last.chapter == "Chapter 3"
    assert where(last).startswith(f"page {last.page}")
    short = extract(pdf, max_pages=2)
    assert short.pages == doc.pages and max(b.page or 0 for b in short.blocks) == 2
    assert any("first 2" in w for w in short.warnings)


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    src = write_pdf(tmp_path / "plain.pdf", book_pages([PARA] * 5))
    w = PdfWriter()
    for page in PdfReader(str(src)).pages:
        w.add_page(page)
    w.encrypt(user_password="secret", owner_password="owner")
    enc = tmp_path / "locked.pdf"
    with enc.open("wb") as fh:
        w.write(fh)
    with pytest.raises(DocumentError, match="password"):
        extract(enc)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    blank = write_pdf(tmp_path / "scan.pdf", [[("", 11, False)]] * 3)
    with pytest.raises(DocumentError, match=r"scan|no text"):
        extract(blank)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_scanned_pdf_is_ocrd(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (1400, 400), "white")
    ImageDraw.Draw(img).text(
        (40, 120), "Quarterly results improved", fill="black", font=ImageFont.load_default(size=72)
    )
    path = tmp_path / "scan.pdf"
    img.save(path, "PDF", resolution=150)
    doc = extract(path)
    assert "results" in doc.text.lower() and any("OCR" in w for w in doc.warnings)


def test_docx_headings(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Annual Report", level=1)
    d.add_paragraph(PARA)
    d.add_heading("Costs", level=2)
    d.add_paragraph("Costs went up.")
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text = "Steel"
    t.rows[0].cells[1].text = "40%"
    p = tmp_path / "r.docx"
    d.save(str(p))
    doc = extract(p)
    heads = [(b.text, b.level) for b in doc.blocks if b.kind == "heading"]
    assert heads == [("Annual Report", 1), ("Costs", 2)]
    costs = next(b for b in doc.blocks if b.text == "Costs went up.")
    assert costs.section == "Costs" and costs.chapter == "Annual Report"
    assert any(b.text == "Steel | 40%" for b in doc.blocks)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(DocumentError, match="damaged"):
        extract(bad)


def test_epub_chapters(tmp_path: Path) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("id1")
    book.set_title("Tiny Book")
    book.set_language("en")
    chapters = []
    for i in (1, 2):
        c = epub.EpubHtml(title=f"Chapter {i}", file_name=f"c{i}.xhtml", lang="en")
        c.content = f"<html><body><h1>Chapter {i}</h1><p>Text of chapter {i}. {PARA}</p></body></html>"
        book.add_item(c)
        chapters.append(c)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    p = tmp_path / "b.epub"
    epub.write_epub(str(p), book)
    doc = extract(p)
    assert doc.title == "Tiny Book"
    body = [b for b in doc.blocks if b.text.startswith("Text of chapter 2")]
    assert body and body[0].chapter == "Chapter 2"


def test_html_and_markdown(tmp_path: Path) -> None:
    h = tmp_path / "p.html"
    h.write_text(
        "<html><head><title>News</title><script>var x=1;</script></head><body><nav>Home | About</nav>"
        "<h1>Big story</h1><p>First <b>bold</b> paragraph.</p><h2>Details</h2><ul><li>One item.</li></ul>"
        "</body></html>",
        encoding="utf-8",
    )
    doc = extract(h)
    assert doc.title == "News" and "var x" not in doc.text and "Home | About" not in doc.text
    assert [b.text for b in doc.blocks] == ["Big story", "First bold paragraph.", "Details", "One item."]
    assert doc.blocks[-1].section == "Details" and doc.blocks[-1].chapter == "Big story"
    m = tmp_path / "n.md"
    m.write_text(
        "# Title\n\nSome *emphasis* and a [link](http://x).\n\n## Part two\n\n```\ncode\n```\n- item\n",
        encoding="utf-8",
    )
    md = extract(m)
    assert [(b.kind, b.text) for b in md.blocks] == [
        ("heading", "Title"),
        ("paragraph", "Some emphasis and a link."),
        ("heading", "Part two"),
        ("paragraph", "item"),
    ]


def test_sentence_splitting() -> None:
    s = split_sentences(
        "“My dear Mr. Bennet,” said his lady, “have you heard?” Mr. Bennet replied that he had not. "
        "Dr. J. R. Smith paid 3.5 million, e.g. in cash, at 5 p.m. on Monday. Really? Yes! "
        "See Fig. 3 for details. Smith et al. (2020) agree.It was over."
    )
    assert s == [
        "“My dear Mr. Bennet,” said his lady, “have you heard?”",
        "Mr. Bennet replied that he had not.",
        "Dr. J. R. Smith paid 3.5 million, e.g. in cash, at 5 p.m. on Monday.",
        "Really?",
        "Yes!",
        "See Fig. 3 for details.",
        "Smith et al. (2020) agree.",
        "It was over.",
    ]
    assert split_sentences("“Why?” she asked. He left.") == ["“Why?” she asked.", "He left."]
    assert split_sentences("") == []


def test_passages_keep_position(tmp_path: Path) -> None:
    doc = extract(_gutenberg(tmp_path))
    ps = split_passages(doc)
    assert [p.index for p in ps] == list(range(len(ps)))
    bennet = next(p for p in ps if p.text.startswith("Mr. Bennet was"))
    assert bennet.chapter == "CHAPTER II" and doc.blocks[bennet.block].text.startswith("Mr. Bennet")
    assert ps[0].heading and ps[0].text == "Chapter I"


def test_sentence_reports_the_page_it_starts_on(tmp_path: Path) -> None:
    # One paragraph runs from page 1 onto page 2; its last sentence starts on page 2.
    page1 = [
        ("Chapter 1", 16, True),
        ("The committee met on Tuesday to discuss the new bridge. Mr. Smith said the cost", 11, False),
        ("had risen to 3.5 million pounds. Nobody expected that, and the mayor asked for a", 11, False),
    ]
    page2 = [
        ("second opinion. The engineers will report back in the spring, when the river is", 11, False),
        ("low enough to inspect the piers.", 11, False),
        ("", 11, False),
        ("A new paragraph starts here on the second page.", 11, False),
    ]
    doc = extract(write_pdf(tmp_path / "break.pdf", [page1, page2]))
    para = next(b for b in doc.blocks if b.text.startswith("The committee"))
    assert para.page == 1 and "for a second opinion. The engineers" in para.text  # one paragraph
    assert len(para.page_breaks) == 1
    offset, page = para.page_breaks[0]
    assert page == 2 and para.text[offset:].startswith("second opinion.")
    pages = {p.text[:20]: p.page for p in split_passages(doc)}
    assert pages["Chapter 1"] == 1
    assert pages["The committee met on"] == 1 and pages["Mr. Smith said the c"] == 1
    assert pages["Nobody expected that"] == 1  # starts on page 1, ends on page 2
    assert pages["The engineers will r"] == 2  # was reported as page 1 (the paragraph's first page)
    assert pages["A new paragraph star"] == 2
    # A break inside a sentence (even mid-word, after de-hyphenation) keeps that sentence on its first page.
    text = "One two. Three four. Five six."
    block = Block(text=text, page=5, page_breaks=[(text.index("four"), 6), (text.index("ix"), 7)])
    ps = split_passages(Document(title="t", format="pdf", blocks=[block]))
    assert [(p.text, p.page) for p in ps] == [("One two.", 5), ("Three four.", 5), ("Five six.", 6)]
