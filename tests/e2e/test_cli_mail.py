"""``os1 mail``: a big import with a progress bar, a clear error without an account, the counts."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.cli_helpers import run
from tests.e2e.test_mail_skill import _mbox


def test_import_then_status(tmp_path: Path) -> None:
    box = _mbox(tmp_path / "old.mbox")
    result = run(tmp_path / "home", "mail", "import", str(box))
    assert result.returncode == 0, result.stderr
    assert "63 imported" in result.stdout
    again = run(tmp_path / "home", "mail", "import", str(box))
    assert "0 imported, 63 already there" in again.stdout  # nothing doubled
    status = run(tmp_path / "home", "mail", "status")
    assert "inbox: 63" in status.stdout


def test_bad_input_is_reported_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.eml").write_bytes(b"From: a@example.com\r\nSubject: hi\r\n\r\nHello\r\n")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    result = run(tmp_path / "home", "mail", "import", str(folder))
    assert result.returncode == 0, result.stderr
    assert "1 imported" in result.stdout and "Skipped 1" in result.stdout
    missing = run(tmp_path / "home", "mail", "import", str(tmp_path / "nope.mbox"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_sync_without_an_account_says_how_to_set_one_up(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "mail", "sync")
    assert result.returncode == 1
    assert "imap_host" in result.stderr and "Traceback" not in result.stderr
