"""Schema migrations: an ordered list, applied once each, never edited once shipped.

To change the schema, append a new entry. ``schema_version`` in the ``meta``
table records how many have run.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the core — profile, conversations, notes, consent ledger, action journal
    """
    CREATE TABLE profile (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        pending TEXT
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'complete',
        created_at REAL NOT NULL
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    CREATE TABLE memories (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE VIRTUAL TABLE memories_fts USING fts5(text, content='memories', content_rowid='id');
    CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
        INSERT INTO memories_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
        INSERT INTO memories_fts(memories_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TABLE consent (
        scope TEXT PRIMARY KEY,
        granted INTEGER NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        skill TEXT NOT NULL,
        tool TEXT NOT NULL,
        summary TEXT NOT NULL,
        undo TEXT,
        created_at REAL NOT NULL,
        undone_at REAL
    );
    """,
]
