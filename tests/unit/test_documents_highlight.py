"""Highlighted HTML for any document and a highlighted PDF copy (the original untouched)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from os1.skills.documents.extract import extract
from os1.skills.documents.highlight import highlighted_html, highlighted_pdf, strip_marks
from os1.skills.documents.model import Block, Document, DocumentError
from os1.skills.documents.passages import split_passages
from tests.fixtures.documents.pdfgen import book_pages, write_pdf


def test_html_marks_chosen_sentences_with_a_linked_list() -> None:
    doc = Document(
        title="Costs & <Benefits>",
        format="pdf",
        blocks=[
            Block("Results", kind="heading", level=1, page=3, section="Results", chapter="Results"),
            Block("Prices fell by 3 < 4 points. Sales rose. Nobody knew why.", page=3, section="Results"),
            Block("Later, the board met. It agreed.", page=4, section="Results"),
        ],
    )
    ps = split_passages(doc)
    chosen = [p for p in ps if p.text in {"Sales rose.", "It agreed."}]
    out = highlighted_html(doc, chosen)
    assert out.count("<mark") == 2
    assert '<mark id="best-1">Sales rose.</mark>' in out and '<mark id="best-2">It agreed.</mark>' in out
    assert 'href="#best-1"' in out and "page 3, “Results”" in out and "page 4" in out
    assert "Costs &amp; &lt;Benefits&gt;" in out and "3 &lt; 4" in out
    plain = strip_marks(out)
    assert "Prices fell by 3 < 4 points. Sales rose. Nobody knew why." in plain


def test_pdf_highlights_on_the_right_pages(tmp_path: Path) -> None:
    from pypdf import PdfReader

    paras = [
        f"Paragraph {i} begins here. The key finding number {i} is that bridges need regular care. "
        f"It ends with a plain remark about item {i}."
        for i in range(40)
    ]
    src = write_pdf(tmp_path / "report.pdf", book_pages(paras, chapter_every=100))
    before = hashlib.sha1(src.read_bytes()).hexdigest()
    doc = extract(src)
    ps = split_passages(doc)
    chosen = [
        p for p in ps if p.text.startswith("The key finding number") and p.text.split()[4] in {"3", "35"}
    ]
    assert len(chosen) == 2 and chosen[0].page == 1 and chosen[1].page and chosen[1].page > 1
    out = tmp_path / "report.best.pdf"
    assert highlighted_pdf(src, chosen, out) == 2
    assert hashlib.sha1(src.read_bytes()).hexdigest() == before
    reader = PdfReader(str(out))
    annots = {
        i + 1: [a.get_object() for a in (page.get("/Annots") or [])] for i, page in enumerate(reader.pages)
    }
    assert [a["/Subtype"] for a in annots[1]] == ["/Highlight"]
    # the second one sits on the page that really shows it (its paragraph may start a page earlier)
    shown = next(n for n, page in enumerate(reader.pages, 1) if "finding number 35" in page.extract_text())
    assert shown in {chosen[1].page, chosen[1].page + 1}
    assert [a["/Subtype"] for a in annots[shown]] == ["/Highlight"]
    assert sum(len(v) for v in annots.values()) == 2
    left, bottom, right, top = (float(x) for x in annots[1][0]["/Rect"])
    assert 60 < left < right < 560 and 0 < bottom < top < 760
    with pytest.raises(DocumentError, match="new file"):
        highlighted_pdf(src, chosen, src)
