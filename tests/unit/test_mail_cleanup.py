"""Local cleanup: trash and archive are status changes that undo, and nothing is deleted unconfirmed."""

from __future__ import annotations

import pytest

from os1.skills.mail.cleanup import CleanupError, move, purge, restore
from os1.skills.mail.message import parse_message
from os1.skills.mail.store import MailStore
from os1.storage.sqlite import SQLiteStore


@pytest.fixture
def store(tmp_path):
    db = SQLiteStore(tmp_path / "os1.db")
    yield MailStore(db)
    db.close()


def add(store: MailStore, n: int, source: str = "mbox:/a") -> int:
    raw = f"From: a{n}@example.org\nSubject: s{n}\nMessage-ID: <c{n}@x>\n\nbody {n}\n".encode()
    mail_id = store.add(parse_message(raw), source=source, raw=raw)
    assert mail_id is not None
    return mail_id


def test_trash_then_undo(store):
    ids = [add(store, n) for n in range(5)]
    result = move(store, ids[:3], "trashed")
    assert result.ids == ids[:3] and result.status == "trashed" and not result.problems
    assert result.undo == {"tool": "restore", "arguments": {"ids": ids[:3], "status": "inbox"}}
    assert store.count() == 2 and store.count("trashed") == 3
    assert all(store.raw(i) for i in ids)  # nothing deleted
    back = restore(store, **result.undo["arguments"])
    assert store.count() == 5 and back.undo["arguments"]["status"] == "trashed"  # redo is possible too
    assert "Put back in the inbox: 3 emails." in back.describe()


def test_archive_and_trash_remember_the_previous_status(store):
    ids = [add(store, n) for n in range(3)]
    move(store, ids, "archived")
    result = move(store, ids, "trashed")
    assert result.undo["arguments"]["status"] == "archived"
    restore(store, ids, result.previous)
    assert store.count("archived") == 3


def test_moving_twice_changes_nothing_the_second_time(store):
    ids = [add(store, n) for n in range(2)]
    move(store, ids, "trashed")
    again = move(store, ids, "trashed")
    assert again.ids == [] and again.undo is None


def test_bad_requests(store):
    mail_id = add(store, 1)
    with pytest.raises(CleanupError):
        move(store, [mail_id], "deleted")
    with pytest.raises(CleanupError):
        restore(store, [mail_id], "gone")
    result = move(store, [mail_id, 999], "trashed")
    assert result.ids == [mail_id] and "no longer exist" in result.problems[0]


def test_purge_needs_confirmation_and_only_takes_trashed_mail(store):
    ids = [add(store, n) for n in range(4)]
    move(store, ids[:2], "trashed")
    with pytest.raises(CleanupError, match="confirmation"):
        purge(store, ids[:2], confirmed=False)
    assert store.count("trashed") == 2
    result = purge(store, ids, confirmed=True)
    assert result.deleted == ids[:2] and result.refused == ids[2:]
    assert store.get(ids[0]) is None and store.raw(ids[0]) is None
    assert store.count() == 2 and store.search_lexical("s0") == []


def test_imap_mail_without_a_login_changes_only_locally(store):
    mail_id = add(store, 1, source="imap:theo@imap.example")
    result = move(store, [mail_id], "trashed")  # no accounts given: nothing reaches a server
    assert store.get(mail_id).status == "trashed"
    assert result.server_moved == 0 and "not signed in" in result.problems[0]
    kept = purge(store, [mail_id], confirmed=True)
    assert kept.deleted == [] and kept.refused == [mail_id] and store.get(mail_id) is not None
