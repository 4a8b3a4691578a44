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
    # 2: memory — the memory stream's fields, facts with provenance and validity, people, growth
    """
    ALTER TABLE memories ADD COLUMN speaker TEXT NOT NULL DEFAULT '';
    ALTER TABLE memories ADD COLUMN conversation_id TEXT;
    ALTER TABLE memories ADD COLUMN occurred_at REAL;
    ALTER TABLE memories ADD COLUMN importance REAL NOT NULL DEFAULT 0.3;
    ALTER TABLE memories ADD COLUMN emotion TEXT;
    ALTER TABLE memories ADD COLUMN meta TEXT;
    ALTER TABLE memories ADD COLUMN embedding BLOB;
    ALTER TABLE memories ADD COLUMN content_hash TEXT;
    UPDATE memories SET occurred_at = created_at WHERE occurred_at IS NULL;
    DROP TRIGGER memories_ai;
    DROP TRIGGER memories_ad;
    DROP TABLE memories_fts;
    CREATE VIRTUAL TABLE memories_fts USING fts5(
        text, speaker, content='memories', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
        INSERT INTO memories_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
    END;
    CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
        INSERT INTO memories_fts(memories_fts, rowid, text, speaker)
        VALUES ('delete', old.id, old.text, old.speaker);
    END;
    INSERT INTO memories_fts(memories_fts) VALUES ('rebuild');
    INSERT OR IGNORE INTO meta(key, value) VALUES ('memories_added', '0');
    INSERT OR IGNORE INTO meta(key, value) VALUES ('memories_removed', '0');
    INSERT OR IGNORE INTO meta(key, value) VALUES ('memories_reembedded', '0');
    CREATE TRIGGER memories_count_added AFTER INSERT ON memories BEGIN
        UPDATE meta SET value = value + 1 WHERE key = 'memories_added';
    END;
    CREATE TRIGGER memories_count_removed AFTER DELETE ON memories BEGIN
        UPDATE meta SET value = value + 1 WHERE key = 'memories_removed';
    END;
    CREATE TRIGGER memories_count_reembedded AFTER UPDATE OF embedding ON memories BEGIN
        UPDATE meta SET value = value + 1 WHERE key = 'memories_reembedded';
    END;
    CREATE INDEX memories_by_time ON memories(occurred_at);
    CREATE INDEX memories_by_kind ON memories(kind, id);
    CREATE UNIQUE INDEX memories_unique_content ON memories(content_hash);
    CREATE TABLE memory_sources (
        memory_id INTEGER NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
        source_id INTEGER NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
        PRIMARY KEY (memory_id, source_id)
    );
    CREATE INDEX memory_sources_by_source ON memory_sources(source_id);
    CREATE TABLE facts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        subject TEXT NOT NULL,
        predicate TEXT NOT NULL,
        object TEXT NOT NULL,
        text TEXT NOT NULL,
        memory_id INTEGER REFERENCES memories(id) ON DELETE CASCADE,
        confidence REAL NOT NULL DEFAULT 0.6,
        valid_from REAL NOT NULL,
        valid_to REAL,
        superseded_by INTEGER REFERENCES facts(id) ON DELETE SET NULL,
        created_at REAL NOT NULL
    );
    CREATE INDEX facts_current ON facts(subject, predicate) WHERE valid_to IS NULL;
    CREATE INDEX facts_by_memory ON facts(memory_id);
    CREATE TABLE people (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        relation TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        mentions INTEGER NOT NULL DEFAULT 0,
        first_seen REAL NOT NULL,
        last_seen REAL NOT NULL
    );
    CREATE TABLE growth (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        data TEXT,
        created_at REAL NOT NULL
    );
    CREATE INDEX growth_by_kind ON growth(kind, id);
    """,
    # 3: feeling — one affect estimate per user turn (the mood timeline), the voice's own baseline
    """
    CREATE TABLE affect (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
        conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE,
        occurred_at REAL NOT NULL,
        state TEXT NOT NULL,
        confidence REAL NOT NULL,
        scores TEXT NOT NULL,
        cues TEXT NOT NULL,
        levels TEXT,
        prosody TEXT,
        source TEXT NOT NULL
    );
    CREATE INDEX affect_by_time ON affect(occurred_at);
    CREATE INDEX affect_by_message ON affect(message_id);
    CREATE TABLE prosody_baseline (
        speaker TEXT NOT NULL DEFAULT 'user',
        feature TEXT NOT NULL,
        n INTEGER NOT NULL,
        mean REAL NOT NULL,
        m2 REAL NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (speaker, feature)
    );
    """,
    # 4: mail — imported messages (metadata and text; the original bytes, compressed, beside them),
    # a full-text index over subject, sender and text, and per-folder IMAP sync state
    """
    CREATE TABLE mail (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id TEXT NOT NULL,
        source TEXT NOT NULL,
        folder TEXT NOT NULL DEFAULT 'INBOX',
        uid TEXT,
        subject TEXT NOT NULL DEFAULT '',
        sender_name TEXT NOT NULL DEFAULT '',
        sender_email TEXT NOT NULL DEFAULT '',
        recipients TEXT NOT NULL DEFAULT '{}',
        date REAL,
        text TEXT NOT NULL DEFAULT '',
        headers TEXT NOT NULL DEFAULT '{}',
        attachments TEXT NOT NULL DEFAULT '[]',
        size INTEGER NOT NULL DEFAULT 0,
        notes TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'inbox' CHECK (status IN ('inbox', 'archived', 'trashed')),
        status_at REAL,
        server_folder TEXT,
        server_uid INTEGER,
        server_uidvalidity INTEGER,
        flags TEXT,
        junk REAL,
        keep REAL,
        added_at REAL NOT NULL,
        UNIQUE (message_id, source, folder)
    );
    CREATE INDEX mail_by_status_date ON mail(status, date);
    CREATE INDEX mail_by_sender ON mail(sender_email);
    CREATE TABLE mail_raw (
        mail_id INTEGER PRIMARY KEY REFERENCES mail(id) ON DELETE CASCADE,
        raw BLOB NOT NULL
    );
    CREATE VIRTUAL TABLE mail_fts USING fts5(
        subject, sender_name, sender_email, text, content='mail', content_rowid='id',
        tokenize='porter unicode61'
    );
    CREATE TRIGGER mail_ai AFTER INSERT ON mail BEGIN
        INSERT INTO mail_fts(rowid, subject, sender_name, sender_email, text)
        VALUES (new.id, new.subject, new.sender_name, new.sender_email, new.text);
    END;
    CREATE TRIGGER mail_ad AFTER DELETE ON mail BEGIN
        INSERT INTO mail_fts(mail_fts, rowid, subject, sender_name, sender_email, text)
        VALUES ('delete', old.id, old.subject, old.sender_name, old.sender_email, old.text);
    END;
    CREATE TRIGGER mail_au AFTER UPDATE OF subject, sender_name, sender_email, text ON mail BEGIN
        INSERT INTO mail_fts(mail_fts, rowid, subject, sender_name, sender_email, text)
        VALUES ('delete', old.id, old.subject, old.sender_name, old.sender_email, old.text);
        INSERT INTO mail_fts(rowid, subject, sender_name, sender_email, text)
        VALUES (new.id, new.subject, new.sender_name, new.sender_email, new.text);
    END;
    CREATE TABLE mail_sync (
        account TEXT NOT NULL,
        folder TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        last_uid INTEGER NOT NULL DEFAULT 0,
        synced_at REAL NOT NULL,
        PRIMARY KEY (account, folder)
    );
    """,
    # 5: contacts — people from vCards and mail headers, merged and ranked (the full record as JSON in
    # `data`; name, normalized email keys, tier and closeness beside it for lookups and ordering)
    """
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL DEFAULT '',
        email_keys TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT 'individual',
        tier TEXT NOT NULL DEFAULT 'unknown',
        closeness REAL NOT NULL DEFAULT 0,
        last_contact REAL,
        data TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX contacts_by_closeness ON contacts(closeness DESC, name);
    """,
    # 6: files — what the user let OS1 see on their disk: one row per file (metadata from the fast
    # pass; text, dates and media details from the slower content pass), the chosen folders, and an
    # FTS5 index over name and text kept in step by triggers
    """
    CREATE TABLE file_roots (
        path TEXT PRIMARY KEY,
        added_at REAL NOT NULL,
        scanned_at REAL
    );
    CREATE TABLE files (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        ext TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT 'other',
        size INTEGER NOT NULL,
        mtime REAL NOT NULL,
        ctime REAL,
        inode INTEGER,
        taken_at REAL,
        meta TEXT,
        text TEXT NOT NULL DEFAULT '',
        extracted_at REAL,
        extract_error TEXT,
        partial_hash TEXT,
        full_hash TEXT,
        added_at REAL NOT NULL
    );
    CREATE INDEX files_by_size ON files(size);
    CREATE INDEX files_by_kind ON files(kind, taken_at);
    CREATE INDEX files_by_mtime ON files(mtime);
    CREATE VIRTUAL TABLE files_fts USING fts5(
        name, text, content='files', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER files_ai AFTER INSERT ON files BEGIN
        INSERT INTO files_fts(rowid, name, text) VALUES (new.id, new.name, new.text);
    END;
    CREATE TRIGGER files_ad AFTER DELETE ON files BEGIN
        INSERT INTO files_fts(files_fts, rowid, name, text) VALUES ('delete', old.id, old.name, old.text);
    END;
    CREATE TRIGGER files_au AFTER UPDATE OF name, text ON files BEGIN
        INSERT INTO files_fts(files_fts, rowid, name, text) VALUES ('delete', old.id, old.name, old.text);
        INSERT INTO files_fts(rowid, name, text) VALUES (new.id, new.name, new.text);
    END;
    """,
    # 7: initiative — what OS1 will say on its own (reminders, alarms, "your audiobook is ready"): one
    # row per due moment; a process claims a due row atomically before delivering it, so two processes
    # never say the same thing twice; a recurring one (RFC 5545 rule) gets its next row when it fires
    """
    CREATE TABLE initiatives (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        ref TEXT NOT NULL DEFAULT '',
        due_at REAL NOT NULL,
        tz TEXT NOT NULL DEFAULT '',
        rrule TEXT NOT NULL DEFAULT '',
        starts_at REAL,
        conversation_id TEXT,
        data TEXT,
        created_at REAL NOT NULL,
        claimed_by TEXT,
        claimed_at REAL,
        delivered_at REAL,
        delivered_to TEXT,
        cancelled_at REAL
    );
    CREATE INDEX initiatives_open ON initiatives(due_at) WHERE claimed_at IS NULL AND cancelled_at IS NULL;
    CREATE INDEX initiatives_by_ref ON initiatives(source, ref);
    """,
    # 8: music — the user's music library: the folders they chose, one row per audio file (its tags,
    # embedded lyrics, why it could not be read, which better copy it duplicates, how it feels —
    # valence and arousal — and a cached MiniLM vector of its title and first lyric lines), an FTS5
    # index over title, artist, album and lyrics kept by triggers, what was played, and the user's
    # "not this one"s
    """
    CREATE TABLE music_roots (
        path TEXT PRIMARY KEY,
        added_at REAL NOT NULL,
        scanned_at REAL
    );
    CREATE TABLE music_tracks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        path TEXT UNIQUE NOT NULL,
        size INTEGER,
        mtime REAL,
        format TEXT,
        title TEXT NOT NULL DEFAULT '',
        artist TEXT NOT NULL DEFAULT '',
        album TEXT NOT NULL DEFAULT '',
        album_artist TEXT NOT NULL DEFAULT '',
        genre TEXT NOT NULL DEFAULT '',
        year INTEGER,
        track_no INTEGER,
        disc_no INTEGER,
        duration REAL,
        bitrate INTEGER,
        lyrics TEXT NOT NULL DEFAULT '',
        tags TEXT,
        error TEXT,
        duplicate_of INTEGER,
        valence REAL,
        arousal REAL,
        features TEXT,
        features_at REAL,
        added_at REAL NOT NULL,
        tagless INTEGER NOT NULL DEFAULT 0,
        sample_rate INTEGER,
        channels INTEGER,
        embedding BLOB
    );
    CREATE INDEX music_by_artist ON music_tracks(artist);
    CREATE INDEX music_by_album ON music_tracks(album, disc_no, track_no);
    CREATE INDEX music_by_duplicate ON music_tracks(duplicate_of);
    CREATE INDEX music_unrated ON music_tracks(features_at);
    CREATE VIRTUAL TABLE music_fts USING fts5(
        title, artist, album, lyrics, content='music_tracks', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER music_ai AFTER INSERT ON music_tracks BEGIN
        INSERT INTO music_fts(rowid, title, artist, album, lyrics)
        VALUES (new.id, new.title, new.artist, new.album, new.lyrics);
    END;
    CREATE TRIGGER music_ad AFTER DELETE ON music_tracks BEGIN
        INSERT INTO music_fts(music_fts, rowid, title, artist, album, lyrics)
        VALUES ('delete', old.id, old.title, old.artist, old.album, old.lyrics);
    END;
    CREATE TRIGGER music_au AFTER UPDATE OF title, artist, album, lyrics ON music_tracks BEGIN
        INSERT INTO music_fts(music_fts, rowid, title, artist, album, lyrics)
        VALUES ('delete', old.id, old.title, old.artist, old.album, old.lyrics);
        INSERT INTO music_fts(rowid, title, artist, album, lyrics)
        VALUES (new.id, new.title, new.artist, new.album, new.lyrics);
    END;
    CREATE TABLE music_plays (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        track_id INTEGER NOT NULL,
        started_at REAL NOT NULL,
        ended_at REAL,
        played_s REAL,
        skipped INTEGER NOT NULL DEFAULT 0,
        request TEXT NOT NULL DEFAULT '',
        conversation_id TEXT
    );
    CREATE INDEX music_plays_by_time ON music_plays(started_at);
    CREATE INDEX music_plays_by_track ON music_plays(track_id);
    CREATE TABLE music_feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        track_id INTEGER NOT NULL,
        signal TEXT NOT NULL,
        request TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL
    );
    CREATE INDEX music_feedback_by_track ON music_feedback(track_id);
    """,
    # 9: calendar — events and tasks (one row per iCalendar UID; ``ical`` holds its components and time
    # zones, expanded by recurring-ical-events), and reminders (each fires through the initiatives outbox,
    # source 'calendar', ref 'reminder:<id>'); removing is soft so undo can bring things back
    """
    CREATE TABLE calendar_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL DEFAULT 'event',
        summary TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '',
        starts_at REAL,
        ends_at REAL,
        all_day INTEGER NOT NULL DEFAULT 0,
        tz TEXT NOT NULL DEFAULT '',
        rrule TEXT NOT NULL DEFAULT '',
        has_alarms INTEGER NOT NULL DEFAULT 0,
        ical TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        deleted_at REAL
    );
    CREATE INDEX calendar_events_when ON calendar_events(starts_at, ends_at) WHERE deleted_at IS NULL;
    CREATE TABLE calendar_reminders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        task TEXT NOT NULL DEFAULT '',
        said TEXT NOT NULL,
        phrase TEXT NOT NULL DEFAULT '',
        due_at REAL NOT NULL,
        tz TEXT NOT NULL DEFAULT '',
        rrule TEXT NOT NULL DEFAULT '',
        event_uid TEXT,
        conversation_id TEXT,
        created_at REAL NOT NULL,
        cancelled_at REAL
    );
    CREATE INDEX calendar_reminders_open ON calendar_reminders(due_at) WHERE cancelled_at IS NULL;
    CREATE INDEX calendar_reminders_by_event ON calendar_reminders(event_uid);
    """,
    # 10: news — the user's feeds (a removed one is kept, marked, so "undo that" brings it back; the
    # ETag / Last-Modified of the last answer make the next fetch conditional), their stories (one row per
    # story of a feed: a refresh never repeats one; what was said and which ones the user asked more
    # about feed the ranking), and what the user asked to see less or more of (each change is its own
    # row, so undo and "show me everything again" mark rows instead of losing them)
    """
    CREATE TABLE news_feeds (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        location TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        added_at REAL NOT NULL,
        removed_at REAL,
        etag TEXT,
        last_modified TEXT,
        checked_at REAL,
        ok_at REAL,
        error TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE news_items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        feed_id INTEGER NOT NULL REFERENCES news_feeds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        link TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '',
        published_at REAL NOT NULL,
        first_seen REAL NOT NULL,
        said_count INTEGER NOT NULL DEFAULT 0,
        said_at REAL,
        opened_at REAL,
        embedding BLOB,
        UNIQUE(feed_id, key)
    );
    CREATE INDEX news_items_recent ON news_items(published_at);
    CREATE INDEX news_items_by_link ON news_items(feed_id, link);
    CREATE TABLE news_filters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        weight REAL NOT NULL DEFAULT 1.0,
        origin TEXT NOT NULL DEFAULT '',
        item_id INTEGER,
        created_at REAL NOT NULL,
        removed_at REAL
    );
    CREATE INDEX news_filters_active ON news_filters(kind, value) WHERE removed_at IS NULL;
    """,
]
