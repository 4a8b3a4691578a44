"""What the files skill reads out of a file: kinds, EXIF, OCR (only with tesseract), media tags, text."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from os1.skills.files.metadata import exif_date, kind_of, read_content
from tests.fixtures.files.make import photo, recording, text


def test_kind_from_suffix() -> None:
    assert [kind_of(e) for e in (".PDF", ".jpg", ".flac", ".mkv", ".zip", ".xyz", "")] == [
        "document", "image", "audio", "video", "archive", "other", "other"]


def test_exif_dates() -> None:
    assert exif_date("2019:07:14 16:02:11") == datetime(2019, 7, 14, 16, 2, 11).timestamp()
    assert exif_date("2019-07-14 16:02:11\x00") == datetime(2019, 7, 14, 16, 2, 11).timestamp()
    assert exif_date("2019:07:14") == datetime(2019, 7, 14).timestamp()
    assert exif_date("0000:00:00 00:00:00") is None and exif_date("") is None and exif_date(None) is None


def test_photo_exif_date_camera_and_location(tmp_path: Path) -> None:
    content = read_content(photo(tmp_path / "a.jpg", gps=True), "image", ocr=False)
    assert content.error is None
    assert content.taken_at == datetime(2019, 7, 14, 16, 2, 11).timestamp()
    assert content.meta["camera"] == "Canon EOS 80D" and content.meta["gps"] is True
    assert (content.meta["width"], content.meta["height"]) == (320, 240)
    bare = read_content(photo(tmp_path / "b.jpg", taken=None, camera=None), "image", ocr=False)
    assert bare.taken_at is None and "camera" not in bare.meta and "gps" not in bare.meta


def test_damaged_files_give_a_reason_not_an_exception(tmp_path: Path) -> None:
    (tmp_path / "x.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    (tmp_path / "y.mp3").write_bytes(b"ID3 nonsense")
    assert read_content(tmp_path / "x.jpg", "image").error
    assert read_content(tmp_path / "y.mp3", "audio").error


def test_recording_tags_and_duration(tmp_path: Path) -> None:
    content = read_content(recording(tmp_path / "s.flac", seconds=1.0), "audio")
    assert content.error is None
    assert content.meta["artist"] == "Nina Simone" and content.meta["title"] == "Sinnerman"
    assert content.meta["seconds"] == pytest.approx(1.0, abs=0.05)
    assert "Sinnerman" in content.text and "Nina Simone" in content.text


def test_document_text_comes_from_the_documents_reader(tmp_path: Path) -> None:
    lease = text(tmp_path / "lease.md", "# Lease\n\nThe tenant pays the rent monthly.")
    content = read_content(lease, "document")
    assert content.error is None and "tenant pays the rent" in content.text
    assert content.meta["format"]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_text_in_a_screenshot_is_found_with_ocr(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (900, 200), "white")
    draw = ImageDraw.Draw(img)
    draw.text((20, 60), "INVOICE NUMBER 4471 PAID", fill="black", font=ImageFont.load_default(size=48))
    img.save(tmp_path / "screenshot.png")
    content = read_content(tmp_path / "screenshot.png", "image")
    assert "INVOICE" in content.text.upper()
    off = read_content(tmp_path / "screenshot.png", "image", ocr=False)
    assert off.text == ""
