"""Contacts kept in OS1's SQLite database (table ``contacts``, migration 5), with undoable bulk changes.

:meth:`ContactStore.replace_all` applies a proposed "sorted, cleaned list" and returns undo data (the
previous list) for the action journal; :meth:`ContactStore.restore` puts that list back exactly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from os1.skills.contacts.model import Contact, fold, normalize_email

_COLS = "id, data"


def _keys(contact: Contact) -> str:
    keys = sorted({normalize_email(e) for e in contact.emails if "@" in e})
    return f" {' '.join(keys)} " if keys else ""


def _row(contact: Contact, now: float) -> tuple[Any, ...]:
    data = contact.to_dict()
    data.pop("id", None)
    return (contact.name, _keys(contact), contact.kind, contact.tier, float(contact.closeness),
            contact.last_contact, json.dumps(data, ensure_ascii=False), now)


def _contact(row: tuple[Any, ...]) -> Contact:
    data = json.loads(row[1])
    data["id"] = row[0]
    return Contact.from_dict(data)


class ContactStore:
    """Repository over the shared :class:`~os1.storage.sqlite.SQLiteStore` (``runtime.store``)."""

    def __init__(self, db: Any) -> None:
        self._db = db

    # -- single contacts ------------------------------------------------------------------------------
    def save(self, contact: Contact) -> int:
        """Insert (``id`` None or unknown) or update; sets and returns ``contact.id``."""
        return self.save_many([contact])[0]

    def save_many(self, contacts: Iterable[Contact]) -> list[int]:
        now = time.time()
        ids: list[int] = []
        with self._db.transaction() as cur:
            for contact in contacts:
                ids.append(self._write(cur, contact, now))
        return ids

    def _write(self, cur: Any, contact: Contact, now: float) -> int:
        row = _row(contact, now)
        if contact.id is not None:
            cur.execute("UPDATE contacts SET name = ?, email_keys = ?, kind = ?, tier = ?, closeness = ?, "
                        "last_contact = ?, data = ?, updated_at = ? WHERE id = ?", (*row, contact.id))
            if cur.rowcount:
                return contact.id
            cur.execute("INSERT INTO contacts(id, name, email_keys, kind, tier, closeness, last_contact, "
                        "data, updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (contact.id, *row, now))
            return contact.id
        cur.execute("INSERT INTO contacts(name, email_keys, kind, tier, closeness, last_contact, data, "
                    "updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (*row, now))
        contact.id = int(cur.lastrowid or 0)
        return contact.id

    def get(self, contact_id: int) -> Contact | None:
        row = self._db.one(f"SELECT {_COLS} FROM contacts WHERE id = ?", (contact_id,))
        return _contact(row) if row else None

    def by_email(self, email: str) -> Contact | None:
        """The contact with this mailbox (case, ``+tags`` and Gmail dots ignored)."""
        key = normalize_email(email)
        row = self._db.one(f"SELECT {_COLS} FROM contacts WHERE instr(email_keys, ?) > 0 ORDER BY id LIMIT 1",
                           (f" {key} ",))
        return _contact(row) if row else None

    def find(self, text: str, limit: int = 20) -> list[Contact]:
        """Contacts whose name, nickname, email or org contains ``text`` (case and accents ignored)."""
        needle = fold(text)
        if not needle:
            return []
        out = []
        for contact in self.list():
            hay = fold(" ".join([contact.name, *contact.nicknames, *contact.emails, contact.org]))
            if needle in hay:
                out.append(contact)
                if len(out) >= limit:
                    break
        return out

    def list(self, *, tier: str | None = None, limit: int | None = None, offset: int = 0) -> list[Contact]:
        """Closest first, then by name."""
        sql = f"SELECT {_COLS} FROM contacts"
        params: tuple[Any, ...] = ()
        if tier is not None:
            sql += " WHERE tier = ?"
            params = (tier,)
        sql += " ORDER BY closeness DESC, name COLLATE NOCASE, id LIMIT ? OFFSET ?"
        params += (-1 if limit is None else limit, offset)
        return [_contact(r) for r in self._db.all(sql, params)]

    def count(self, tier: str | None = None) -> int:
        if tier is None:
            row = self._db.one("SELECT count(*) FROM contacts")
        else:
            row = self._db.one("SELECT count(*) FROM contacts WHERE tier = ?", (tier,))
        return int(row[0]) if row else 0

    # -- undoable bulk changes ----------------------------------------------------------------------------
    def delete(self, ids: Iterable[int]) -> dict[str, Any]:
        """Remove contacts; returns undo data for :meth:`restore_deleted`."""
        ids = list(ids)
        removed = [c for c in (self.get(i) for i in ids) if c is not None]
        with self._db.transaction() as cur:
            cur.executemany("DELETE FROM contacts WHERE id = ?", [(i,) for i in ids])
        return {"action": "contacts.delete", "contacts": [c.to_dict() for c in removed]}

    def restore_deleted(self, undo: dict[str, Any]) -> int:
        contacts = [Contact.from_dict(d) for d in undo.get("contacts", [])]
        self.save_many(contacts)
        return len(contacts)

    def replace_all(self, contacts: Iterable[Contact]) -> dict[str, Any]:
        """Make the stored list exactly ``contacts`` (ids kept where given and unique) in one transaction.

        Returns undo data — the whole previous list — for the journal; :meth:`restore` applies it.
        """
        previous = [c.to_dict() for c in self.list()]
        originals = list(contacts)
        copies = [Contact.from_dict(c.to_dict()) for c in originals]
        self._replace(copies)
        for original, saved in zip(originals, copies, strict=True):
            original.id = saved.id
        return {"action": "contacts.replace_all", "previous": previous}

    def restore(self, undo: dict[str, Any]) -> int:
        """Undo :meth:`replace_all`: the previous list comes back with its ids."""
        previous = [Contact.from_dict(d) for d in undo.get("previous", [])]
        self._replace(previous)
        return len(previous)

    def _replace(self, contacts: list[Contact]) -> None:
        now = time.time()
        seen: set[int] = set()
        for contact in contacts:
            if contact.id is not None and contact.id in seen:
                contact.id = None
            if contact.id is not None:
                seen.add(contact.id)
        with self._db.transaction() as cur:
            cur.execute("DELETE FROM contacts")
            for contact in contacts:
                self._write(cur, contact, now)
