"""Importing local mail: mbox (whole and truncated), Maildir with subfolders, a folder of files."""

from __future__ import annotations

import mailbox
import shutil
from pathlib import Path

import pytest

from os1.skills.mail.importers import (
    MailImportError,
    import_files,
    import_maildir,
    import_mbox,
    import_path,
    looks_like_mail,
)
from os1.skills.mail.store import MailStore
from os1.storage.sqlite import SQLiteStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


@pytest.fixture
def store(tmp_path):
    db = SQLiteStore(tmp_path / "os1.db")
    yield MailStore(db)
    db.close()


def message(n: int, body: str = "") -> bytes:
    return (f"From: Friend {n} <friend{n}@example.org>\nTo: theo@example.com\nSubject: note {n}\n"
            f"Message-ID: <n{n}@example.org>\nDate: Mon, 01 Jan 2018 10:00:00 +0000\n\n"
            f"{body or f'body of note {n}'}\nFrom the start of a line\n").encode()


def write_mbox(path: Path, count: int) -> None:
    box = mailbox.mbox(str(path))
    for n in range(count):
        box.add(message(n))
    box.flush()
    box.close()


def test_mbox_imports_everything_with_progress(store, tmp_path):
    path = tmp_path / "archive.mbox"
    write_mbox(path, 450)
    calls: list[tuple[int, int]] = []
    report = import_mbox(store, path, progress=lambda done, total: calls.append((done, total)))
    assert (report.imported, report.duplicates, report.skipped) == (450, 0, [])
    assert calls[-1] == (450, 450) and calls[0][0] < 450
    assert store.count() == 450
    first = store.list(limit=500)[-1]
    assert first.folder == "archive" and first.source.startswith("mbox:")
    assert store.raw(first.id).startswith(b"From: Friend")  # the From_ separator is not part of the message
    assert "From the start of a line" in store.get(first.id).text  # escaped ">From" lines are still text
    again = import_mbox(store, path)
    assert (again.imported, again.duplicates) == (0, 450)


def test_truncated_mbox_keeps_what_is_whole(store, tmp_path):
    path = tmp_path / "cut.mbox"
    write_mbox(path, 3)
    data = path.read_bytes()
    cut_in_body = data[: data.rindex(b"body of note 2") + 7]
    path.write_bytes(cut_in_body)
    report = import_mbox(store, path)
    assert report.imported == 3 and report.skipped == []
    last = store.list(sender="friend2")[0]
    assert any("truncated" in note for note in last.notes) and last.text.startswith("body of")
    path2 = tmp_path / "cut2.mbox"
    path2.write_bytes(data[: data.rindex(b"Subject: note 2") + 10])  # cut inside the headers
    report = import_mbox(store, path2)
    assert report.imported == 2 and len(report.skipped) == 1
    assert "headers" in report.skipped[0][1] and report.skipped[0][0].endswith("#3")


def test_mbox_errors_are_clear(store, tmp_path):
    with pytest.raises(MailImportError, match="no mbox file"):
        import_mbox(store, tmp_path / "missing.mbox")
    not_mbox = tmp_path / "notes.txt"
    not_mbox.write_text("just some text\nno separators\n")
    report = import_mbox(store, not_mbox)
    assert report.imported == 0 and "not an mbox" in report.skipped[0][1]


def test_maildir_with_subfolders_and_flags(store, tmp_path):
    root = tmp_path / "Maildir"
    box = mailbox.Maildir(str(root), create=True)
    seen = mailbox.MaildirMessage(message(1))
    seen.set_subdir("cur")
    seen.set_flags("RS")
    box.add(seen)
    box.add(message(2))  # new, unread
    sent = box.add_folder("Sent")
    sent.add(message(3))
    (root / "cur" / "empty:2,").write_bytes(b"")
    report = import_maildir(store, root)
    assert report.imported == 3 and report.duplicates == 0
    assert [s[1] for s in report.skipped] == ["empty file"]
    by_subject = {m.subject: m for m in store.list(limit=10)}
    assert by_subject["note 1"].seen is True and by_subject["note 1"].answered is True
    assert by_subject["note 2"].seen is False
    assert by_subject["note 3"].folder == "Sent"
    assert import_maildir(store, root).duplicates == 3
    with pytest.raises(MailImportError, match="not a Maildir"):
        import_maildir(store, tmp_path)


def test_folder_of_files_skips_what_is_not_mail(store, tmp_path):
    root = tmp_path / "mail"
    shutil.copytree(FIXTURES / "folder", root)
    (root / ".hidden").write_bytes(b"From: x@y.z\nSubject: hidden\n\nx")
    (root / "empty.eml").write_bytes(b"")
    calls: list[tuple[int, int]] = []
    report = import_files(store, root, progress=lambda d, t: calls.append((d, t)))
    assert report.imported == 3
    reasons = {Path(where).name: reason for where, reason in report.skipped}
    assert set(reasons) == {"garbage.bin", "notes.txt", "empty.eml"}
    assert "not an email" in reasons["garbage.bin"] and reasons["empty.eml"] == "empty file"
    folders = {m.subject: m.folder for m in store.list(limit=10)}
    assert folders == {"Party on Saturday": "INBOX", "This week’s best shows": "work", "photos": "work"}
    assert calls[-1] == (6, 6)
    assert import_files(store, root).duplicates == 3


def test_import_path_picks_the_importer(store, tmp_path):
    write_mbox(tmp_path / "a.mbox", 2)
    assert import_path(store, tmp_path / "a.mbox").imported == 2
    assert import_path(store, FIXTURES / "plain.eml").imported == 1
    assert import_path(store, FIXTURES / "folder" / "garbage.bin").skipped
    with pytest.raises(MailImportError):
        import_path(store, tmp_path / "nothing-here")


def test_looks_like_mail():
    assert looks_like_mail((FIXTURES / "plain.eml").read_bytes())
    assert looks_like_mail(b"From someone Mon Jan 1\nReceived: x\nFrom: a@b\n")
    assert not looks_like_mail(b"Dear diary,\ntoday: rain\n")
    assert not looks_like_mail(b"From: a\x00\x00\x00binary")
