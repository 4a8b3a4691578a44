"""The mail repository: imported messages in the OS1 SQLite file (migration 4).

``mail`` holds each message's metadata and text, its status (``inbox``, ``archived``,
``trashed``: cleanup only ever changes the status, so it can be undone), where it
lives on an IMAP server now, and its junk and keep scores. ``mail_raw`` keeps the
original bytes, zlib-compressed, so nothing is ever lost whatever the parser made of
them. ``mail_fts`` is an FTS5 index over subject, sender and text kept in step by
triggers. ``mail_sync`` remembers, per IMAP account and folder, the UIDVALIDITY and the
last UID imported, so a sync only fetches what is new.

A message is a duplicate when the same Message-ID was already imported from the same
source and folder.
"""

from __future__ import annotations

import json
import re
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from os1.skills.mail.message import Address, MailMessage

STATUSES = ("inbox", "archived", "trashed")
_COLS = ("id, message_id, source, folder, uid, subject, sender_name, sender_email, recipients, date, "
         "text, headers, attachments, size, notes, status, status_at, server_folder, server_uid, "
         "server_uidvalidity, flags, junk, keep")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class StoredMail(MailMessage):
    """A message as stored: the parsed message plus where it came from and what became of it."""

    id: int = 0
    source: str = ""  # "mbox:/path", "maildir:/path", "files:/path", "imap:user@host"
    folder: str = "INBOX"  # the folder it was imported from
    uid: str | None = None  # the IMAP UID (or file key) it was imported under
    status: str = "inbox"
    status_at: float | None = None
    server_folder: str | None = None  # IMAP: the folder it is in on the server now
    server_uid: int | None = None
    server_uidvalidity: int | None = None
    flags: str | None = None  # IMAP-style flags ("\\Seen \\Answered"); None when the source has none
    junk: float | None = None
    keep: float | None = None

    @property
    def seen(self) -> bool | None:
        """Whether the user has opened it (None: the source does not say)."""
        return None if self.flags is None else "\\Seen" in self.flags.split()

    @property
    def answered(self) -> bool | None:
        return None if self.flags is None else "\\Answered" in self.flags.split()

    @property
    def account(self) -> str | None:
        """The IMAP account key ("user@host") for mail synced from a server, else None."""
        return self.source[5:] if self.source.startswith("imap:") else None


@dataclass(frozen=True)
class NewMail:
    """One message to add with :meth:`MailStore.add_many`."""

    message: MailMessage
    raw: bytes | None = None
    uid: str | None = None
    uidvalidity: int | None = None
    flags: str | None = None


def _addr_list(items: Sequence[Address]) -> list[list[str]]:
    return [[a.name, a.email] for a in items]


def _row_to_mail(row: tuple[Any, ...]) -> StoredMail:
    (mail_id, message_id, source, folder, uid, subject, sender_name, sender_email, recipients, date,
     text, headers, attachments, size, notes, status, status_at, server_folder, server_uid,
     server_uidvalidity, flags, junk, keep) = row
    rec = json.loads(recipients or "{}")
    return StoredMail(
        message_id=message_id, subject=subject, sender=Address(sender_name, sender_email),
        to=tuple(Address(n, e) for n, e in rec.get("to", [])),
        cc=tuple(Address(n, e) for n, e in rec.get("cc", [])),
        date=date, text=text, headers=json.loads(headers or "{}"),
        attachments=tuple(tuple(a) for a in json.loads(attachments or "[]")),  # type: ignore[misc]
        size=size, notes=tuple(json.loads(notes or "[]")),
        id=mail_id, source=source, folder=folder, uid=uid, status=status, status_at=status_at,
        server_folder=server_folder, server_uid=server_uid, server_uidvalidity=server_uidvalidity,
        flags=flags, junk=junk, keep=keep)


def fts_query(text: str) -> str:
    """A safe FTS5 query from free text: every word quoted, any of them may match."""
    words = [w.lower() for w in _WORD.findall(text)]
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(words))


class MailStore:
    """Mail on top of the shared :class:`~os1.storage.sqlite.SQLiteStore` (``runtime.store``)."""

    def __init__(self, db: Any) -> None:
        self._db = db

    # -- adding ----------------------------------------------------------------------------------
    def add(self, msg: MailMessage, *, source: str, folder: str = "INBOX", uid: str | None = None,
            raw: bytes | None = None, uidvalidity: int | None = None) -> int | None:
        """Store one message; None if it is a duplicate (same Message-ID, source and folder)."""
        ids = self.add_many([NewMail(msg, raw, uid, uidvalidity)], source=source, folder=folder)
        return ids[0] if ids else None

    def add_many(self, items: Iterable[NewMail], *, source: str, folder: str = "INBOX") -> list[int]:
        """Store many messages in one transaction; returns the ids of the new ones (duplicates skipped).

        A duplicate synced again from IMAP (a new UID after a move back, a UIDVALIDITY reset)
        gets its server location updated, so later moves find it."""
        now = time.time()
        added: list[int] = []
        imap = source.startswith("imap:")
        with self._db.transaction() as cur:
            for item in items:
                m = item.message
                cur.execute(
                    "INSERT OR IGNORE INTO mail(message_id, source, folder, uid, subject, sender_name, "
                    "sender_email, recipients, date, text, headers, attachments, size, notes, "
                    "server_folder, server_uid, server_uidvalidity, flags, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (m.message_id, source, folder, item.uid, m.subject, m.sender.name, m.sender.email,
                     json.dumps({"to": _addr_list(m.to), "cc": _addr_list(m.cc)}, ensure_ascii=False),
                     m.date, m.text, json.dumps(m.headers, ensure_ascii=False),
                     json.dumps([list(a) for a in m.attachments], ensure_ascii=False), m.size,
                     json.dumps(list(m.notes), ensure_ascii=False),
                     folder if imap else None, int(item.uid) if imap and item.uid else None,
                     item.uidvalidity if imap else None, item.flags, now))
                if cur.rowcount == 1:
                    mail_id = int(cur.lastrowid or 0)
                    added.append(mail_id)
                    if item.raw is not None:
                        cur.execute("INSERT INTO mail_raw(mail_id, raw) VALUES (?, ?)",
                                    (mail_id, zlib.compress(item.raw, 6)))
                elif imap and item.uid:
                    cur.execute(
                        "UPDATE mail SET uid = ?, server_uid = ?, server_uidvalidity = ?, "
                        "flags = coalesce(?, flags) "
                        "WHERE message_id = ? AND source = ? AND folder = ? AND server_folder = ?",
                        (item.uid, int(item.uid), item.uidvalidity, item.flags, m.message_id, source,
                         folder, folder))
        return added

    # -- reading ---------------------------------------------------------------------------------
    def get(self, mail_id: int) -> StoredMail | None:
        row = self._db.one(f"SELECT {_COLS} FROM mail WHERE id = ?", (mail_id,))
        return _row_to_mail(row) if row else None

    def get_many(self, ids: Sequence[int]) -> list[StoredMail]:
        """The messages with these ids, in the order given (missing ids left out)."""
        found: dict[int, StoredMail] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self._db.all(f"SELECT {_COLS} FROM mail WHERE id IN ({marks})", tuple(chunk)):
                found[row[0]] = _row_to_mail(row)
        return [found[i] for i in ids if i in found]

    def list(self, *, status: str | None = "inbox", sender: str | None = None, limit: int = 100,
             offset: int = 0, source: str | None = None) -> list[StoredMail]:
        """Newest first. ``sender`` matches part of the sender's address or name, case-insensitively."""
        where, params = self._filters(status, sender, source)
        rows = self._db.all(
            f"SELECT {_COLS} FROM mail {where} ORDER BY date IS NULL, date DESC, id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset))
        return [_row_to_mail(r) for r in rows]

    def count(self, status: str | None = "inbox", *, sender: str | None = None) -> int:
        where, params = self._filters(status, sender, None)
        row = self._db.one(f"SELECT COUNT(*) FROM mail {where}", params)
        return int(row[0]) if row else 0

    @staticmethod
    def _filters(status: str | None, sender: str | None, source: str | None) -> tuple[str, tuple[Any, ...]]:
        clauses: list[str] = []
        params: list[Any] = []
        if status is not None:
            clauses.append("status = ?")
            params.append(status)
        if sender:
            clauses.append("(instr(sender_email, ?) > 0 OR instr(lower(sender_name), ?) > 0)")
            params += [sender.lower(), sender.lower()]
        if source is not None:
            clauses.append("source = ?")
            params.append(source)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", tuple(params)

    def raw(self, mail_id: int) -> bytes | None:
        """The original bytes of a message, exactly as imported."""
        row = self._db.one("SELECT raw FROM mail_raw WHERE mail_id = ?", (mail_id,))
        return zlib.decompress(row[0]) if row else None

    def ids_by_source(self, source: str) -> list[int]:
        return [r[0] for r in self._db.all("SELECT id FROM mail WHERE source = ? ORDER BY id", (source,))]

    # -- changing --------------------------------------------------------------------------------
    def set_status(self, ids: Sequence[int], status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        now = time.time()
        with self._db.transaction() as cur:
            cur.executemany("UPDATE mail SET status = ?, status_at = ? WHERE id = ?",
                            [(status, now, i) for i in ids])

    def set_location(self, mail_id: int, folder: str, uid: int | None, uidvalidity: int | None) -> None:
        """Where an IMAP message is on the server now (after a move)."""
        self._db.run("UPDATE mail SET server_folder = ?, server_uid = ?, server_uidvalidity = ? WHERE id = ?",
                     (folder, uid, uidvalidity, mail_id))

    def set_scores(self, scores: dict[int, tuple[float, float]]) -> None:
        """id -> (junk probability, keep score)."""
        with self._db.transaction() as cur:
            cur.executemany("UPDATE mail SET junk = ?, keep = ? WHERE id = ?",
                            [(float(j), float(k), i) for i, (j, k) in scores.items()])

    def delete(self, ids: Sequence[int]) -> int:
        """Remove messages for good (with their raw bytes). Use only through cleanup.purge."""
        with self._db.transaction() as cur:
            cur.executemany("DELETE FROM mail WHERE id = ?", [(i,) for i in ids])
        return len(ids)

    # -- search ----------------------------------------------------------------------------------
    def search_lexical(self, query: str, limit: int = 50, *, sender: str | None = None,
                       include_trashed: bool = False) -> list[tuple[int, float]]:
        """BM25 over subject, sender and text: ``(id, score)``, best first (higher is better)."""
        match = fts_query(query)
        if not match:
            return []
        clauses = ["mail_fts MATCH ?"]
        params: list[Any] = [match]
        if not include_trashed:
            clauses.append("m.status != 'trashed'")
        if sender:
            clauses.append("(instr(m.sender_email, ?) > 0 OR instr(lower(m.sender_name), ?) > 0)")
            params += [sender.lower(), sender.lower()]
        rows = self._db.all(
            "SELECT m.id, -bm25(mail_fts, 3.0, 2.0, 2.0, 1.0) AS score FROM mail_fts "
            "JOIN mail m ON m.id = mail_fts.rowid WHERE " + " AND ".join(clauses) +
            " ORDER BY score DESC, m.date DESC LIMIT ?", (*params, limit))
        return [(int(r[0]), float(r[1])) for r in rows]

    # -- IMAP sync state -------------------------------------------------------------------------
    def sync_state(self, account: str, folder: str) -> dict[str, Any] | None:
        row = self._db.one("SELECT uidvalidity, last_uid, synced_at FROM mail_sync WHERE account = ? "
                           "AND folder = ?", (account, folder))
        return {"uidvalidity": row[0], "last_uid": row[1], "synced_at": row[2]} if row else None

    def save_sync_state(self, account: str, folder: str, uidvalidity: int, last_uid: int) -> None:
        self._db.run(
            "INSERT INTO mail_sync(account, folder, uidvalidity, last_uid, synced_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, "
            "last_uid = excluded.last_uid, synced_at = excluded.synced_at",
            (account, folder, uidvalidity, last_uid, time.time()))
