"""File scanning speed: the metadata pass (target ≥ 2,000 files/s on a warm disk), an unchanged
re-scan, the content pass (documents, photos, media read per second) and the duplicate search.

Everything goes into a temporary OS1 database, never the user's. ``generate=N`` first builds a tree
of N small files (text, Markdown, HTML, a few PNG/JPEG photos with EXIF, some duplicates, some
zero-byte and damaged "PDFs" so the skip reporting is exercised) in a temporary folder; with a
``directory`` that folder is scanned as it is (read-only). The disk is warmed with one plain walk
before the timed pass. The content pass stops after ``extract_budget_s`` seconds and reports the rate.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from os1.skills.files import duplicates, scanner
from os1.skills.files.store import FileStore
from os1.storage.sqlite import open_store

_WORDS = ("lease rent tenant invoice budget holiday garden recipe letter contract insurance doctor school "
          "travel tax return receipt meeting notes project plan report summary family photo birthday")
WORDS = tuple(_WORDS.split())
PER_FOLDER = 100


def generate_tree(root: Path, n: int, seed: int = 7) -> int:
    """``n`` files in folders of about 100; returns how many were written."""
    from PIL import Image

    rng = random.Random(seed)
    photo = Image.new("RGB", (64, 48), (120, 160, 200))
    exif = photo.getexif()
    exif[271], exif[272] = "Canon", "EOS 80D"
    exif.get_ifd(0x8769)[36867] = "2019:07:14 16:02:11"
    written = 0
    for i in range(n):
        folder = root / f"area{i // (PER_FOLDER * 20):03d}" / f"folder{(i // PER_FOLDER) % 20:02d}"
        if i % PER_FOLDER == 0:
            folder.mkdir(parents=True, exist_ok=True)
        kind = i % 50
        if kind == 0:
            photo.save(folder / f"IMG_{i:06d}.jpg", exif=exif)
        elif kind == 1:
            (folder / f"scan_{i:06d}.pdf").write_bytes(b"" if i % 100 == 1 else b"%PDF-1.4 damaged")
        elif kind == 2:
            (folder / f"copy_{i:06d}.txt").write_text("the same text in many places\n" * 20)
        else:
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 200)))
            suffix = (".txt", ".md", ".html")[i % 3]
            body = f"<html><body><p>{words}</p></body></html>" if suffix == ".html" else words
            (folder / f"{rng.choice(WORDS)}_{i:06d}{suffix}").write_text(body)
        written += 1
    return written


def _warm(root: Path) -> int:
    count = 0
    for _dirpath, _dirs, files in os.walk(root):
        count += len(files)
    return count


def _reasons(skipped: list[tuple[str, str]]) -> str:
    counts = Counter(reason for _p, reason in skipped)
    return "; ".join(f"{n}x {reason}" for reason, n in counts.most_common(5))


def run(directory: Path | None, *, generate: int = 0, extract_budget_s: float = 60.0) -> dict[str, Any]:
    """Flat metrics for one scanned tree (``directory``, or a generated tree of ``generate`` files)."""
    if directory is None and generate <= 0:
        raise ValueError("give a directory or generate=N")
    with tempfile.TemporaryDirectory(prefix="os1-bench-files-") as tmp:
        work = Path(tmp)
        if directory is None:
            root = work / "tree"
            root.mkdir()
            started = time.perf_counter()
            generate_tree(root, generate)
            generate_s = time.perf_counter() - started
        else:
            root, generate_s = directory.expanduser().resolve(), 0.0
        _warm(root)
        db = open_store(work / "bench.sqlite")
        try:
            store = FileStore(db)
            report = scanner.scan(store, [root])
            again = scanner.scan(store, [root])
            content = scanner.read_contents(store, budget_s=extract_budget_s)
            tried = content.read + len(content.failed)
            started = time.perf_counter()
            dupes = duplicates.find_duplicates(store)
            dupes_s = time.perf_counter() - started
        finally:
            db.close()
    skipped = report.skipped + content.skipped
    return {
        "directory": "generated" if directory is None else str(directory),
        "generated_s": round(generate_s, 2),
        "files": report.files,
        "scan_s": round(report.seconds, 3),
        "files_per_s": round(report.files / report.seconds, 1) if report.seconds else 0.0,
        "rescan_s": round(again.seconds, 3),
        "rescan_files_per_s": round(again.files / again.seconds, 1) if again.seconds else 0.0,
        "rescan_changed": again.added + again.changed + again.removed,
        "extract_files": tried,
        "extract_s": round(content.seconds, 2),
        "extract_files_per_s": round(tried / content.seconds, 1) if content.seconds else 0.0,
        "extract_failed": len(content.failed),
        "extract_failed_reasons": _reasons(content.failed),
        "extract_remaining": content.remaining,
        "duplicate_groups": len(dupes.groups),
        "duplicate_wasted_bytes": dupes.wasted,
        "dupes_s": round(dupes_s, 3),
        "skipped": len(skipped),
        "skipped_reasons": _reasons(skipped),
        "ignored": report.ignored,
    }
