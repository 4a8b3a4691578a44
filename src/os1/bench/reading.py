"""``bench reading``: how soon OS1 starts reading a long document aloud, and how fast it makes an audiobook.

Two timings on the wall clock, in one process started cold (no voice loaded yet):

* ``first_audio_s``: from a 300-page PDF's path to the first PCM of its condensed reading — the
  voice loads in the background while the PDF is extracted and the first part condensed
  (target ≤ 5 s). Without a PDF at hand, one is written from the book's text (:func:`write_text_pdf`).
* ``audiobook_s``: from the text file's path to a finished MP3 with chapter marks of the book
  condensed to ``ratio`` (10 % of Pride and Prejudice is ~12.6k words; target ≤ 300 s), with the
  audio minutes, the real-time factor and the chapter list read back with mutagen.

The machine's load average is reported before and after, because timings on a shared machine vary;
``audiobook_cpu_s`` (this process and its synthesis workers) / 2 cores = ``audiobook_s_if_idle`` is
what the audiobook would take on the two cores alone.
"""

from __future__ import annotations

import os
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

DEFAULT_BOOK = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "documents" / \
    "pg1342_pride_and_prejudice.txt"


def _book_text(text: str) -> str:
    start = text.find("*** START OF")
    end = text.find("*** END OF")
    if start >= 0:
        text = text[text.index("\n", start) + 1:]
        end = text.find("*** END OF")
    return text[:end] if end > 0 else text


def _pdf_string(s: str) -> bytes:
    raw = s.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def write_text_pdf(text: str, out: str | Path, *, pages: int = 300, width: int = 95) -> Path:
    """Lay ``text`` out over ``pages`` Letter pages as a real text PDF (Helvetica; "CHAPTER" lines
    larger and bold, paragraphs separated by a blank line). Hand-written PDF 1.4, no dependencies."""
    lines: list[tuple[str, bool]] = []
    for para in _book_text(text).split("\n\n"):
        para = " ".join(para.split())
        if not para:
            continue
        heading = para.upper().startswith("CHAPTER") and len(para) < 40
        lines += [(ln, heading) for ln in (textwrap.wrap(para, width) if not heading else [para])]
        lines.append(("", False))
    per_page = max(1, -(-len(lines) // pages))
    leading = min(14.0, 700.0 / per_page)
    size = min(10.0, leading * 0.8)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # pages, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for p in range(pages):
        chunk = lines[p * per_page:(p + 1) * per_page]
        ops = [b"BT", f"{leading:.2f} TL 40 750 Td".encode()]
        for ln, heading in chunk:
            font = f"/F2 {size * 1.5:.1f} Tf" if heading else f"/F1 {size:.1f} Tf"
            ops.append(font.encode() + b" " + _pdf_string(ln) + b" ' ")
        ops += [b"/F1 8 Tf 300 30 Td", _pdf_string(str(p + 1)) + b" Tj", b"ET"]
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % content_id)
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = Path(out)
    path.write_bytes(bytes(body))
    return path


def _cpu_s() -> float:
    """CPU seconds used by this process and its finished children (the synthesis workers)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def first_audio(pdf: Path, *, ratio: float = 0.1, voice: str = "joe") -> dict[str, Any]:
    """Seconds from ``pdf``'s path to the first PCM of its condensed reading (voice loaded meanwhile)."""
    from os1.skills.documents.reader import ReadingSession
    from os1.skills.documents.reading_items import items_from_path

    t0 = time.perf_counter()
    items = items_from_path(pdf, ratio=ratio)
    session = ReadingSession(items, voice=voice)
    session.prepare()  # the voice loads in the background while the PDF is read on the first pull
    chunk = next(session.chunks())
    t_first = time.perf_counter() - t0
    session.close()
    doc = items.document
    assert doc is not None
    return {"first_audio_s": round(t_first, 2), "pdf_extract_s": round(items.extract_s, 2),
            "pdf_pages": doc.pages or 0, "first_sentence": chunk.sentence.text[:80]}


def audiobook(book: Path, out: Path, *, ratio: float = 0.1, voice: str = "joe",
              workers: int | None = None) -> dict[str, Any]:
    """Seconds from ``book``'s path to an MP3 of it condensed to ``ratio``, with its chapters."""
    from os1.skills.documents.audiobook import read_chapters, render
    from os1.skills.documents.extract import extract
    from os1.skills.documents.reading_items import document_items

    cpu0 = _cpu_s()
    t0 = time.perf_counter()
    doc = extract(book)
    items = list(document_items(doc, ratio=ratio, lazy=False))
    t_condense = time.perf_counter() - t0
    result = render(items, out, voice=voice, workers=workers, title=doc.title)
    total = time.perf_counter() - t0
    cpu = _cpu_s() - cpu0
    chapters = read_chapters(out)
    return {"audiobook_s": round(total, 1), "condense_s": round(t_condense, 2),
            "render_s": round(result.render_seconds, 1), "audio_minutes": round(result.seconds / 60, 1),
            "rtf": round(result.render_seconds / result.seconds, 4) if result.seconds else 0.0,
            "words_before": doc.words, "words_read": result.words, "sentences": result.sentences,
            "chapters_written": len(result.chapters), "chapters_read_back": len(chapters),
            "mp3_mb": round(out.stat().st_size / 1e6, 1), "audiobook_cpu_s": round(cpu, 1),
            "audiobook_s_if_idle": round(cpu / max(1, min(2, os.cpu_count() or 1)), 1),
            "workers": result.workers, "voice": result.voice}


def run(source: str | Path | None = None, *, ratio: float = 0.1, pages: int = 300, voice: str = "joe",
        workers: int | None = None, with_audiobook: bool = True,
        keep: str | Path | None = None) -> dict[str, Any]:
    """Both timings as one flat dict. ``source``: a .txt book (a 300-page PDF is made from it) or a PDF
    (used for first audio; the audiobook then needs the default .txt). ``keep``: a folder to keep the
    PDF and MP3 in (else a temporary one)."""
    src = Path(source) if source else DEFAULT_BOOK.resolve()
    out: dict[str, Any] = {"load_before": round(os.getloadavg()[0], 2), "cores": os.cpu_count() or 0}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(keep) if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if src.suffix.lower() == ".pdf":
            pdf, book = src, DEFAULT_BOOK.resolve()
        else:
            text = src.read_text(encoding="utf-8")
            pdf, book = write_text_pdf(text, folder / f"{src.stem}.pdf", pages=pages), src
        out.update(first_audio(pdf, ratio=ratio, voice=voice))
        if with_audiobook and book.exists():
            mp3 = folder / f"{book.stem}.mp3"
            out.update(audiobook(book, mp3, ratio=ratio, voice=voice, workers=workers))
    out["load_after"] = round(os.getloadavg()[0], 2)
    out["targets_met"] = bool(out["first_audio_s"] <= 5.0 and out.get("audiobook_s", 0) <= 300)
    return out


if __name__ == "__main__":  # python -m os1.bench.reading [book.txt|file.pdf]
    import json
    import sys

    print(json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else None), indent=2))
