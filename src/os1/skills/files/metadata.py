"""What a file is and what is inside it: the kind from its suffix (cheap, for the fast pass), and
the slower content reading — documents' text (through the documents skill's extractor), photos'
EXIF (when taken, camera, whether it has a location), text in screenshots and scans (tesseract OCR,
only when the ``tesseract`` program is installed), audio and video tags and duration (mutagen).

:func:`read_content` never raises for a bad file: what went wrong goes into ``Content.error``.
"""

from __future__ import annotations

import functools
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

DOCUMENT = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx",
                      ".epub"})
IMAGE = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".webp", ".gif", ".bmp"})
AUDIO = frozenset({".mp3", ".m4a", ".flac", ".ogg", ".opus", ".wav", ".aac", ".wma", ".aiff"})
VIDEO = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".avi", ".webm", ".wmv", ".3gp"})
ARCHIVE = frozenset({".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".dmg", ".iso"})
CONTENT_KINDS = ("document", "image", "audio", "video")
MAX_PAGES = 40  # a document's first pages say what it is; a 2,000-page book need not be read whole
TEXT_CHARS = 20_000  # text kept per file for search
OCR_MAX_PIXELS = 12_000_000
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATE_ORIGINAL, _DATE_DIGITIZED, _DATE, _MAKE, _MODEL = 36867, 36868, 306, 271, 272
_REAL_WORD = re.compile(r"[A-Za-z]{3,}")


def kind_of(ext: str) -> str:
    ext = ext.lower()
    for kind, suffixes in (("document", DOCUMENT), ("image", IMAGE), ("audio", AUDIO), ("video", VIDEO),
                           ("archive", ARCHIVE)):
        if ext in suffixes:
            return kind
    return "other"


@dataclass
class Content:
    text: str = ""
    taken_at: float | None = None  # when a photo was taken (EXIF), or a recording dated by its tags
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    retry: bool = False  # not this file's fault (a reader is missing): try again next time


@functools.cache
def has_tesseract() -> bool:
    return shutil.which("tesseract") is not None


def read_content(path: Path, kind: str, *, ocr: bool = True) -> Content:
    """Read what is inside one file. Unreadable files give ``Content(error=...)``."""
    try:
        if kind == "document":
            return _document(path)
        if kind == "image":
            return _image(path, ocr=ocr)
        if kind in ("audio", "video"):
            return _media(path)
    except ImportError as exc:
        return Content(error=f"no reader for this kind of file here ({exc.name or exc})", retry=True)
    except MemoryError:
        return Content(error="too big to read")
    except Exception as exc:  # one odd file must never stop the pass
        return Content(error=_reason(exc))
    return Content()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


def _document(path: Path) -> Content:
    from os1.skills.documents.extract import extract  # the documents skill's reader (lazy: heavy imports)
    from os1.skills.documents.model import DocumentError

    try:
        doc = extract(path, max_pages=MAX_PAGES)
    except DocumentError as exc:
        return Content(error=_reason(exc))
    parts: list[str] = []
    size = 0
    for block in doc.blocks:
        parts.append(block.text)
        size += len(block.text) + 1
        if size >= TEXT_CHARS:
            break
    text = "\n".join(parts)[:TEXT_CHARS]
    meta: dict[str, Any] = {"format": doc.format}
    if doc.title:
        meta["title"] = doc.title
    if doc.pages:
        meta["pages"] = doc.pages
    return Content(text=text, meta=meta)


def exif_date(value: Any) -> float | None:
    """'2019:07:14 16:02:11' (EXIF's own format) -> a timestamp in local time; None if unusable."""
    if not value:
        return None
    text = str(value).strip().replace("\x00", "")
    for fmt, width in (("%Y:%m:%d %H:%M:%S", 19), ("%Y-%m-%d %H:%M:%S", 19), ("%Y:%m:%d", 10)):
        try:
            when = datetime.strptime(text[:width], fmt)
        except ValueError:
            continue
        if 1900 < when.year < 2200:
            return when.timestamp()
    return None


def _image(path: Path, *, ocr: bool) -> Content:
    from PIL import Image

    with Image.open(path) as img:
        meta: dict[str, Any] = {"width": img.width, "height": img.height}
        exif = img.getexif()
        sub = exif.get_ifd(_EXIF_IFD) if exif else {}
        taken = exif_date(sub.get(_DATE_ORIGINAL) or sub.get(_DATE_DIGITIZED) or exif.get(_DATE))
        camera = " ".join(str(exif.get(tag, "")).strip("\x00 ") for tag in (_MAKE, _MODEL)).strip()
        if camera:
            meta["camera"] = camera
        if exif and exif.get_ifd(_GPS_IFD):
            meta["gps"] = True
        text = ""
        # OCR for what is likely a screenshot or a scan (no camera), when tesseract is installed
        if ocr and not camera and has_tesseract() and img.width * img.height <= OCR_MAX_PIXELS:
            text = _ocr(img)
    return Content(text=text, taken_at=taken, meta=meta)


def _ocr(img: Any) -> str:
    import pytesseract

    try:
        found = pytesseract.image_to_string(img.convert("L"), timeout=30)
    except Exception:  # tesseract failed on this image (or timed out): no text, not an error
        return ""
    text = " ".join(found.split())
    return text[:TEXT_CHARS] if len(_REAL_WORD.findall(text)) >= 2 else ""


def _media(path: Path) -> Content:
    import mutagen

    audio = mutagen.File(path, easy=True)
    if audio is None:
        return Content(error="not a media format I can read")
    meta: dict[str, Any] = {}
    info = getattr(audio, "info", None)
    length = getattr(info, "length", None)
    if length:
        meta["seconds"] = round(float(length), 1)
    for key in ("title", "artist", "album", "date", "genre"):
        try:
            values = audio.get(key) if hasattr(audio, "get") else None
        except Exception:  # some tag formats refuse a key they do not know
            values = None
        if values:
            meta[key] = str(values[0])[:200]
    text = " ".join(str(meta[k]) for k in ("title", "artist", "album", "genre") if k in meta)
    return Content(text=text, meta=meta)  # a tag's date is a release year, not when it was made
