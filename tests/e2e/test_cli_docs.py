"""``os1 docs`` end to end: the real command on small generated documents — about, find, best parts,
simpler words, reading as text and into an MP3 with chapters — and clear errors for bad files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.e2e.cli_helpers import describe, run
from tests.e2e.test_documents_skill import BRIDGES, LEASE, RIVERS, _book


def _docs(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(home, "docs", *args, timeout=120)


def test_about_find_and_best_parts(tmp_path: Path) -> None:
    home, book = tmp_path / "os1", _book(tmp_path)
    about = _docs(home, "about", str(book))
    assert about.returncode == 0, describe(about)
    assert "Bridges and Rivers" in about.stdout and "page" in about.stdout

    found = _docs(home, "find", str(book), "the deposit")
    assert found.returncode == 0, describe(found)
    assert LEASE[0] in found.stdout and "page" in found.stdout

    out = tmp_path / "best"
    best = _docs(home, "best", str(book), "--percent", "30", "--out-dir", str(out))
    assert best.returncode == 0, describe(best)
    assert (out / "best-parts.txt").read_text().strip()
    assert "<mark" in (out / "highlighted.html").read_text()
    assert (out / "highlighted.pdf").read_bytes().startswith(b"%PDF")


def test_simplify_reports_the_grade(tmp_path: Path) -> None:
    home = tmp_path / "os1"
    text = tmp_path / "hard.txt"
    text.write_text("The committee endeavoured to ascertain whether the municipality would "
                    "commence construction, notwithstanding the considerable expenditure that the "
                    "undertaking would necessitate, and subsequently it deliberated at length.\n")
    proc = _docs(home, "simplify", str(text), "--out", str(tmp_path / "simple.txt"))
    assert proc.returncode == 0, describe(proc)
    assert "grade" in proc.stdout and "→" in proc.stdout
    assert (tmp_path / "simple.txt").read_text().strip()


def test_read_as_text_and_into_an_mp3_with_chapters(tmp_path: Path) -> None:
    from os1.skills.documents.audiobook import read_chapters

    home, book = tmp_path / "os1", _book(tmp_path)
    text = _docs(home, "read", str(book), "--all", "--text")
    assert text.returncode == 0, describe(text)
    lines = text.stdout
    assert lines.index(BRIDGES[0]) < lines.index(RIVERS[0]) < lines.index(LEASE[0])

    mp3 = tmp_path / "car.mp3"
    made = _docs(home, "read", str(book), "--all", "--out", str(mp3))
    assert made.returncode == 0, describe(made)
    assert mp3.stat().st_size > 10_000
    chapters = read_chapters(mp3)
    assert [title for title, _start in chapters][:3] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert chapters[0][1] < chapters[1][1] < chapters[2][1]


def test_bad_files_get_a_clear_error(tmp_path: Path) -> None:
    home = tmp_path / "os1"
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    for bad in (empty, broken):
        proc = _docs(home, "about", str(bad))
        assert proc.returncode == 1, describe(proc)
        assert "Traceback" not in proc.stderr and bad.name in proc.stderr
