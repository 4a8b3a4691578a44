"""The SQLite store: migrations, repositories, WAL, and clear errors for broken files."""

from __future__ import annotations

import sqlite3

import pytest

from os1.storage.base import StorageError
from os1.storage.migrations import MIGRATIONS
from os1.storage.sqlite import SQLiteStore


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "os1.db")
    yield s
    s.close()


def test_migrations_run_once_and_record_version(tmp_path):
    path = tmp_path / "os1.db"
    SQLiteStore(path).close()
    again = SQLiteStore(path)  # a second open must not re-run migrations
    assert again.schema_version == len(MIGRATIONS)
    mode = again.one("PRAGMA journal_mode")
    assert mode is not None and mode[0] == "wal"
    again.close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "os1.db"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="newer OS1"):
        SQLiteStore(path)


def test_conversation_messages_persist_in_order(tmp_path):
    path = tmp_path / "os1.db"
    store = SQLiteStore(path)
    conv = store.conversations.create("t")
    store.conversations.add_message(conv.id, "user", "hello")
    store.conversations.add_message(conv.id, "assistant", "hi th", status="interrupted")
    store.close()
    reopened = SQLiteStore(path)
    messages = reopened.conversations.messages(conv.id)
    assert [(m.role, m.content, m.status) for m in messages] == [
        ("user", "hello", "complete"), ("assistant", "hi th", "interrupted")]
    assert reopened.conversations.latest().id == conv.id
    assert [m.content for m in reopened.conversations.messages(conv.id, limit=1)] == ["hi th"]
    reopened.close()


def test_pending_question_round_trip(store):
    conv = store.conversations.create()
    store.conversations.set_pending(conv.id, {"kind": "consent", "scopes": ["files.read"]})
    assert store.conversations.pending(conv.id)["scopes"] == ["files.read"]
    store.conversations.set_pending(conv.id, None)
    assert store.conversations.pending(conv.id) is None


def test_memories_search_and_delete_from_every_index(store):
    kept = store.memories.add("Amy likes tulips")
    store.memories.add("the dentist is on Friday")
    assert [m.text for m in store.memories.search("what does amy like?")] == ["Amy likes tulips"]
    assert store.memories.delete(kept.id)
    assert store.memories.search("amy") == []
    assert store.memories.search("?!") == []  # punctuation only: no FTS syntax error


def test_consent_and_journal(store):
    store.consent.set("files.read", True)
    store.consent.set("files.read", False)
    assert store.consent.get("files.read").granted is False
    first = store.journal.record("remember", "remember", "x", {"tool": "forget", "arguments": {}})
    store.journal.record("clock", "now", "read only", None)
    assert store.journal.last_undoable().id == first
    store.journal.mark_undone(first)
    assert store.journal.last_undoable() is None


def test_export_contains_every_table(store):
    store.profile.set("profile", {"user_name": "Theo"})
    data = store.export()
    assert set(data) == set(SQLiteStore.EXPORT_TABLES)
    assert data["profile"][0]["key"] == "profile"


def test_corrupted_file_gives_clear_error(tmp_path):
    path = tmp_path / "os1.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError) as info:
        SQLiteStore(path)
    assert "damaged" in str(info.value) and str(path) in str(info.value)
    assert path.read_bytes().startswith(b"this is not")  # nothing was changed


def test_locked_database_gives_clear_error(tmp_path, monkeypatch):
    import os1.storage.sqlite as sqlite_module

    path = tmp_path / "os1.db"
    SQLiteStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT_MS", 200)
    try:
        with pytest.raises(StorageError, match="busy"):
            store = SQLiteStore(path)
            store.conversations.create()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_many_processes_creating_the_same_new_database(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from os1.storage.sqlite import SQLiteStore; "
            "s = SQLiteStore(Path(sys.argv[1])); s.conversations.create(); s.close()")
    path = tmp_path / "new.db"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE)
             for _ in range(6)]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    store = SQLiteStore(path)
    assert len(store.conversations.list()) == 6
    store.close()
