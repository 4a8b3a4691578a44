"""``os1 files`` end to end: the real command, a temporary OS1 home, a small generated home folder."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.e2e.cli_helpers import describe, export, run
from tests.fixtures.files.make import home_tree

QUESTION = "You mind if I look through your hard drive?"


def _files(home: Path, *args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    return run(home, "files", *args, input=input, timeout=60)


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_help_explains_every_command(tmp_path: Path) -> None:
    proc = _files(tmp_path / "os1", "--help")
    assert proc.returncode == 0, describe(proc)
    for command in ("scan", "status", "find", "dupes", "large", "stale", "organize"):
        assert command in proc.stdout
    scan = _files(tmp_path / "os1", "scan", "--help")
    assert "--yes" in scan.stdout and "--no-read" in scan.stdout and "Unchanged files" in scan.stdout


def test_scan_find_dupes_organize_and_undo(tmp_path: Path) -> None:
    home = tmp_path / "os1"
    root = home_tree(tmp_path / "me")
    before = _tree(root)

    refused = _files(home, "scan", str(root), input="n\n")
    assert refused.returncode != 0 and QUESTION in refused.stdout, describe(refused)
    assert "won't look" in refused.stderr

    scanned = _files(home, "scan", str(root), input="y\n")
    assert scanned.returncode == 0, describe(scanned)
    assert QUESTION in scanned.stdout and "Looked at 8 files" in scanned.stdout
    assert "files/s" in scanned.stdout and "Read 8 documents" in scanned.stdout

    os.utime(root / "Documents" / "budget.md", None)  # touched: the re-scan notices only that
    again = _files(home, "scan")  # the folders from last time; no question the second time
    assert again.returncode == 0 and QUESTION not in again.stdout, describe(again)
    assert "(0 new, 1 changed, 7 unchanged)" in again.stdout

    status = _files(home, "status")
    assert "8 files" in status.stdout and "document" in status.stdout, describe(status)

    found = _files(home, "find", "--no-meaning", "lease", "agreement")
    assert found.returncode == 0 and "lease_agreement.txt" in found.stdout.splitlines()[0], describe(found)
    nothing = _files(home, "find", "--no-meaning", "zebra", "xylophone")
    assert nothing.returncode == 1 and "Nothing found" in nothing.stdout

    dupes = _files(home, "dupes")
    assert "budget copy.md" in dupes.stdout and "budget.md" in dupes.stdout, describe(dupes)
    assert "1 groups" in dupes.stdout
    large = _files(home, "large", "-n", "1")
    assert "IMG_000" in large.stdout or "sinnerman" in large.stdout, describe(large)
    stale = _files(home, "stale", "--years", "5")
    assert "lease_2019.txt" in stale.stdout, describe(stale)

    proposal = _files(home, "organize")
    assert "These 2 photos from 2019 could go into Photos/2019." in proposal.stdout, describe(proposal)
    assert _tree(root) == before
    declined = _files(home, "organize", "--apply", input="n\n")
    assert "Nothing moved" in declined.stdout and _tree(root) == before, describe(declined)
    applied = _files(home, "organize", "--apply", input="y\n")
    assert "Moved 3 files" in applied.stdout, describe(applied)
    assert (root / "Photos" / "2019" / "IMG_0001.jpg").exists()

    journal = run(home, "journal")
    assert "files.apply_organize: moved 3 files" in journal.stdout, describe(journal)
    undone = run(home, "undo")
    assert undone.returncode == 0 and "back where they were" in undone.stdout, describe(undone)
    assert _tree(root) == before

    data = export(home).tables
    assert {Path(f["path"]).name for f in data["files"]} >= {"lease_agreement.txt", "IMG_0001.jpg"}
    assert [r["path"] for r in data["file_roots"]] == [str(root.resolve())]
    assert json.dumps(data["files"])  # plain data, nothing binary
