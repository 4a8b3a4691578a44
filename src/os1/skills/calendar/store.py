"""The calendar repository (migration 9): events and tasks, and the reminders OS1 will speak up about.

``calendar_events`` keeps one row per iCalendar UID: a few columns to find it by (summary, first start,
last end, repeat rule) and ``ical``, a small VCALENDAR holding that UID's components (the series and
its changed occurrences) with the time zones they use — so repeats, exceptions and alarms are expanded
by recurring-ical-events exactly as the file meant, and exporting gives back what was imported.
``calendar_reminders`` keeps what the user asked to be reminded of (and events' alerts); each fires
through the initiative outbox (``source="calendar"``, ``ref="reminder:<id>"``). Removing is soft
(``deleted_at`` / ``cancelled_at``) so undo can bring things back.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

SOURCE = "calendar"  # the outbox source of every nudge this skill schedules


@dataclass
class EventRow:
    id: int
    uid: str
    kind: str  # event | task
    summary: str
    location: str
    starts_at: float | None
    ends_at: float | None
    all_day: bool
    tz: str
    rrule: str
    has_alarms: bool
    ical: str
    origin: str
    notes: str
    created_at: float
    updated_at: float
    deleted_at: float | None = None


@dataclass
class ReminderRow:
    id: int
    uid: str
    kind: str  # reminder | alarm | event
    task: str
    said: str
    phrase: str
    due_at: float
    tz: str
    rrule: str
    event_uid: str | None
    conversation_id: str | None
    created_at: float
    cancelled_at: float | None = None

    @property
    def ref(self) -> str:
        return f"reminder:{self.id}"


_EVENT_COLS = ", ".join(f.name for f in fields(EventRow))
_REMINDER_COLS = ", ".join(f.name for f in fields(ReminderRow))


def _event(row: tuple[Any, ...]) -> EventRow:
    values = list(row)
    values[7], values[10] = bool(values[7]), bool(values[10])
    return EventRow(*values)


def new_uid() -> str:
    return f"{uuid.uuid4()}@os1"


class CalendarStore:
    """Events and reminders on top of the shared store (``runtime.store``)."""

    def __init__(self, db: Any) -> None:
        self.db = db

    # -- events ---------------------------------------------------------------------------------
    def event_by_uid(self, uid: str, *, include_deleted: bool = False) -> EventRow | None:
        extra = "" if include_deleted else " AND deleted_at IS NULL"
        row = self.db.one(f"SELECT {_EVENT_COLS} FROM calendar_events WHERE uid = ?{extra}", (uid,))
        return _event(row) if row else None

    def event(self, event_id: int) -> EventRow | None:
        row = self.db.one(f"SELECT {_EVENT_COLS} FROM calendar_events WHERE id = ?", (event_id,))
        return _event(row) if row else None

    def save_event(self, values: dict[str, Any]) -> tuple[EventRow, str]:
        """Insert or update by UID; returns the row and "added", "updated", "restored" or "unchanged"."""
        now = time.time()
        current = self.event_by_uid(values["uid"], include_deleted=True)
        columns = ("kind", "summary", "location", "starts_at", "ends_at", "all_day", "tz", "rrule",
                   "has_alarms", "ical", "origin", "notes")
        data = {c: values.get(c, _DEFAULTS[c]) for c in columns}
        if current is None:
            with self.db.transaction() as cur:
                cur.execute(f"INSERT INTO calendar_events(uid, {', '.join(columns)}, created_at, updated_at) "
                            f"VALUES (?, {', '.join('?' * len(columns))}, ?, ?)",
                            (values["uid"], *[data[c] for c in columns], now, now))
            row = self.event_by_uid(values["uid"])
            assert row is not None
            return row, "added"
        same = current.ical == data["ical"] and current.deleted_at is None
        if same:
            return current, "unchanged"
        with self.db.transaction() as cur:
            sets = ", ".join(f"{c} = ?" for c in columns)
            cur.execute(f"UPDATE calendar_events SET {sets}, updated_at = ?, deleted_at = NULL WHERE id = ?",
                        (*[data[c] for c in columns], now, current.id))
        row = self.event_by_uid(values["uid"])
        assert row is not None
        return row, "restored" if current.deleted_at is not None else "updated"

    def snapshot(self, uid: str) -> dict[str, Any] | None:
        """Everything about one event, to put it back exactly as it was (undo)."""
        row = self.event_by_uid(uid, include_deleted=True)
        if row is None:
            return None
        return {f.name: getattr(row, f.name) for f in fields(EventRow)}

    def put_back(self, snapshot: dict[str, Any]) -> None:
        """Restore an event as it was in ``snapshot`` (same id, same text)."""
        columns = [f.name for f in fields(EventRow) if f.name != "id"]
        with self.db.transaction() as cur:
            cur.execute("DELETE FROM calendar_events WHERE uid = ?", (snapshot["uid"],))
            cur.execute(f"INSERT INTO calendar_events(id, {', '.join(columns)}) VALUES "
                        f"(?, {', '.join('?' * len(columns))})",
                        (snapshot["id"], *[snapshot[c] for c in columns]))

    def delete_event(self, uid: str, *, hard: bool = False) -> bool:
        with self.db.transaction() as cur:
            if hard:
                cur.execute("DELETE FROM calendar_events WHERE uid = ?", (uid,))
            else:
                cur.execute("UPDATE calendar_events SET deleted_at = ? WHERE uid = ? AND deleted_at IS NULL",
                            (time.time(), uid))
            return cur.rowcount > 0

    def undelete_event(self, uid: str) -> bool:
        with self.db.transaction() as cur:
            cur.execute("UPDATE calendar_events SET deleted_at = NULL WHERE uid = ?", (uid,))
            return cur.rowcount > 0

    def events_between(self, start: float, end: float) -> list[EventRow]:
        """Events that may have an occurrence between ``start`` and ``end`` (repeats are expanded later)."""
        rows = self.db.all(f"SELECT {_EVENT_COLS} FROM calendar_events WHERE deleted_at IS NULL AND "
                           "starts_at IS NOT NULL AND starts_at < ? AND (ends_at IS NULL OR ends_at >= ?) "
                           "ORDER BY starts_at", (end, start))
        return [_event(r) for r in rows]

    def events(self, *, include_undated: bool = True) -> list[EventRow]:
        where = "deleted_at IS NULL" + ("" if include_undated else " AND starts_at IS NOT NULL")
        rows = self.db.all(f"SELECT {_EVENT_COLS} FROM calendar_events WHERE {where} ORDER BY starts_at, id")
        return [_event(r) for r in rows]

    def with_alarms(self, after: float) -> list[EventRow]:
        rows = self.db.all(f"SELECT {_EVENT_COLS} FROM calendar_events WHERE deleted_at IS NULL "
                           "AND has_alarms = 1 AND starts_at IS NOT NULL "
                           "AND (ends_at IS NULL OR ends_at >= ?)", (after,))
        return [_event(r) for r in rows]

    def count_events(self) -> dict[str, int]:
        rows = self.db.all("SELECT kind, COUNT(*) FROM calendar_events WHERE deleted_at IS NULL "
                           "GROUP BY kind")
        return {str(k): int(n) for k, n in rows}

    # -- reminders ------------------------------------------------------------------------------
    def add_reminder(self, *, kind: str, task: str, said: str, phrase: str, due_at: float, tz: str,
                     rrule: str = "", event_uid: str | None = None, conversation_id: str | None = None,
                     uid: str | None = None) -> ReminderRow:
        with self.db.transaction() as cur:
            cur.execute("INSERT INTO calendar_reminders(uid, kind, task, said, phrase, due_at, tz, rrule, "
                        "event_uid, conversation_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (uid or new_uid(), kind, task, said, phrase, due_at, tz, rrule, event_uid,
                         conversation_id, time.time()))
            new_id = int(cur.lastrowid or 0)
        row = self.reminder(new_id)
        assert row is not None
        return row

    def update_reminder(self, reminder_id: int, **values: Any) -> None:
        if not values:
            return
        sets = ", ".join(f"{k} = ?" for k in values)
        self.db.run(f"UPDATE calendar_reminders SET {sets} WHERE id = ?", (*values.values(), reminder_id))

    def reminder(self, reminder_id: int) -> ReminderRow | None:
        row = self.db.one(f"SELECT {_REMINDER_COLS} FROM calendar_reminders WHERE id = ?", (reminder_id,))
        return ReminderRow(*row) if row else None

    def reminder_by_uid(self, uid: str) -> ReminderRow | None:
        row = self.db.one(f"SELECT {_REMINDER_COLS} FROM calendar_reminders WHERE uid = ?", (uid,))
        return ReminderRow(*row) if row else None

    def reminders(self, *, kinds: Iterable[str] = ("reminder", "alarm", "event"),
                  include_cancelled: bool = False) -> list[ReminderRow]:
        kinds = tuple(kinds)
        marks = ",".join("?" * len(kinds))
        where = f"kind IN ({marks})" + ("" if include_cancelled else " AND cancelled_at IS NULL")
        rows = self.db.all(f"SELECT {_REMINDER_COLS} FROM calendar_reminders WHERE {where} "
                           "ORDER BY due_at, id", kinds)
        return [ReminderRow(*r) for r in rows]

    def reminders_for_event(self, event_uid: str) -> list[ReminderRow]:
        rows = self.db.all(f"SELECT {_REMINDER_COLS} FROM calendar_reminders WHERE event_uid = ? ORDER BY id",
                           (event_uid,))
        return [ReminderRow(*r) for r in rows]

    def cancel_reminder(self, reminder_id: int) -> bool:
        with self.db.transaction() as cur:
            cur.execute("UPDATE calendar_reminders SET cancelled_at = ? WHERE id = ? "
                        "AND cancelled_at IS NULL", (time.time(), reminder_id))
            return cur.rowcount > 0

    def uncancel_reminder(self, reminder_id: int) -> bool:
        with self.db.transaction() as cur:
            cur.execute("UPDATE calendar_reminders SET cancelled_at = NULL WHERE id = ?", (reminder_id,))
            return cur.rowcount > 0


_DEFAULTS: dict[str, Any] = {"kind": "event", "summary": "", "location": "", "starts_at": None,
                             "ends_at": None, "all_day": 0, "tz": "", "rrule": "", "has_alarms": 0,
                             "ical": "", "origin": "", "notes": ""}
