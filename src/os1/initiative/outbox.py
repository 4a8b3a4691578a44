"""The outbox: what OS1 will say on its own, and when (reminders, alarms, "your audiobook is ready").

A skill schedules a :class:`Nudge` with :meth:`Outbox.schedule`; the scheduler
(:mod:`os1.initiative.scheduler`) claims what is due with :meth:`Outbox.claim_due` and hands it to
whoever is listening (the terminal chat, the server's WebSockets, a voice session). Claiming is one
``UPDATE … WHERE claimed_at IS NULL`` per row, so two processes sharing the database never deliver
the same nudge twice. A nudge with an RFC 5545 rule (``FREQ=DAILY;BYHOUR=7``) gets its next
occurrence scheduled, in its own time zone, as it is claimed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

log = logging.getLogger(__name__)

_COLS = ("id, kind, text, source, ref, due_at, tz, rrule, starts_at, conversation_id, data, created_at, "
         "claimed_by, claimed_at, delivered_at, delivered_to, cancelled_at")
KINDS = ("reminder", "alarm", "event", "notice")
_on_schedule: list[Callable[[], None]] = []  # schedulers in this process, woken by a new nudge


def on_schedule(wake: Callable[[], None]) -> Callable[[], None]:
    """Call ``wake`` whenever a nudge is scheduled in this process; returns the function that stops it."""
    _on_schedule.append(wake)
    return lambda: _on_schedule.remove(wake) if wake in _on_schedule else None


@dataclass
class Nudge:
    """One moment OS1 will speak up."""

    id: int
    kind: str  # reminder | alarm | event | notice
    text: str  # what OS1 says, as it will be said ("Time to call Amy.")
    source: str  # the skill that scheduled it
    ref: str  # the skill's own id for it (to cancel or list)
    due_at: float  # unix time
    tz: str = ""  # IANA zone the time was given in
    rrule: str = ""  # RFC 5545 recurrence rule, "" for once
    starts_at: float | None = None  # the first occurrence of a recurring one
    conversation_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    created_at: float = 0.0
    claimed_by: str | None = None
    claimed_at: float | None = None
    delivered_at: float | None = None
    delivered_to: str | None = None
    cancelled_at: float | None = None

    @property
    def due(self) -> datetime:
        """When it is due, in its own time zone (local time if it has none)."""
        return datetime.fromtimestamp(self.due_at, zone(self.tz))


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone ``name``; None (local time) for "" or a zone this machine does not know."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r: using local time", name)
        return None


def _nudge(row: tuple[Any, ...]) -> Nudge:
    values = list(row)
    values[10] = json.loads(values[10]) if values[10] else {}
    return Nudge(*values)


def next_occurrence(rule: str, starts_at: float, after: float, tz: str = "") -> float | None:
    """The first occurrence of ``rule`` (started at ``starts_at``) strictly after ``after``, or None."""
    where = zone(tz)
    start = datetime.fromtimestamp(starts_at, where)
    if where is None:
        start = start.replace(tzinfo=None)  # local wall-clock time
    rule_set = rrulestr(rule, dtstart=start, forceset=True)
    last = datetime.fromtimestamp(after, where)
    if where is None:
        last = last.replace(tzinfo=None)
    following = rule_set.after(last, inc=False)
    return following.timestamp() if following is not None else None


def check_rule(rule: str) -> str:
    """``rule`` if it is a recurrence rule dateutil understands; raises ValueError saying why not."""
    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"the repeat rule {rule!r} is not valid ({exc})") from exc
    return rule


class Outbox:
    """Nudges in the shared store (``runtime.store``: its ``run``/``one``/``all``/``transaction``)."""

    def __init__(self, db: Any) -> None:
        self._db = db

    def schedule(self, due_at: float | datetime, text: str, *, kind: str = "reminder", source: str = "",
                 ref: str = "", tz: str = "", rrule: str = "", conversation_id: str | None = None,
                 data: dict[str, Any] | None = None) -> Nudge:
        """Schedule ``text`` to be said at ``due_at`` (unix time or an aware/local datetime)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        if not text.strip():
            raise ValueError("a nudge needs something to say")
        if rrule:
            check_rule(rrule)
        when = due_at.timestamp() if isinstance(due_at, datetime) else float(due_at)
        now = time.time()
        with self._db.transaction() as cur:
            cur.execute(
                "INSERT INTO initiatives(kind, text, source, ref, due_at, tz, rrule, starts_at, "
                "conversation_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, text.strip(), source, ref, when, tz, rrule, when if rrule else None, conversation_id,
                 json.dumps(data) if data else None, now),
            )
            new_id = cur.lastrowid
        nudge = self.get(int(new_id or 0))
        assert nudge is not None
        for wake in list(_on_schedule):
            wake()
        return nudge

    def get(self, nudge_id: int) -> Nudge | None:
        row = self._db.one(f"SELECT {_COLS} FROM initiatives WHERE id = ?", (nudge_id,))
        return _nudge(row) if row else None

    def upcoming(self, *, source: str | None = None, kind: str | None = None, limit: int = 50,
                 until: float | None = None) -> list[Nudge]:
        """Nudges not yet said nor cancelled, soonest first."""
        where, params = ["claimed_at IS NULL", "cancelled_at IS NULL"], []
        if source is not None:
            where.append("source = ?")
            params.append(source)
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if until is not None:
            where.append("due_at <= ?")
            params.append(until)
        rows = self._db.all(f"SELECT {_COLS} FROM initiatives WHERE {' AND '.join(where)} "
                            "ORDER BY due_at, id LIMIT ?", (*params, limit))
        return [_nudge(r) for r in rows]

    def by_ref(self, source: str, ref: str) -> list[Nudge]:
        rows = self._db.all(f"SELECT {_COLS} FROM initiatives WHERE source = ? AND ref = ? ORDER BY id",
                            (source, ref))
        return [_nudge(r) for r in rows]

    def cancel(self, nudge_id: int) -> bool:
        """Cancel one nudge that has not been said yet; True if it was."""
        with self._db.transaction() as cur:
            cur.execute("UPDATE initiatives SET cancelled_at = ? WHERE id = ? AND claimed_at IS NULL "
                        "AND cancelled_at IS NULL", (time.time(), nudge_id))
            return cur.rowcount > 0

    def cancel_ref(self, source: str, ref: str) -> int:
        """Cancel every open nudge of ``source``'s ``ref`` (a recurring reminder: all that's left)."""
        with self._db.transaction() as cur:
            cur.execute("UPDATE initiatives SET cancelled_at = ? WHERE source = ? AND ref = ? "
                        "AND claimed_at IS NULL AND cancelled_at IS NULL", (time.time(), source, ref))
            return cur.rowcount

    def restore(self, nudge_id: int) -> bool:
        """Undo :meth:`cancel` (if it has not been said since)."""
        with self._db.transaction() as cur:
            cur.execute("UPDATE initiatives SET cancelled_at = NULL WHERE id = ? AND claimed_at IS NULL",
                        (nudge_id,))
            return cur.rowcount > 0

    def next_due_at(self) -> float | None:
        row = self._db.one("SELECT MIN(due_at) FROM initiatives WHERE claimed_at IS NULL "
                           "AND cancelled_at IS NULL")
        return float(row[0]) if row and row[0] is not None else None

    def claim_due(self, claimer: str, now: float | None = None, limit: int = 20) -> list[Nudge]:
        """Claim every nudge due by ``now`` for ``claimer`` (a process or session id), soonest first.

        Each row is claimed only if nobody claimed it first, so processes sharing the database never
        say the same thing twice. A recurring nudge gets its next occurrence scheduled here.
        """
        now = time.time() if now is None else now
        claimed: list[Nudge] = []
        with self._db.transaction() as cur:
            rows = cur.execute(f"SELECT {_COLS} FROM initiatives WHERE claimed_at IS NULL AND "
                               "cancelled_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?",
                               (now, limit)).fetchall()
            for row in rows:
                nudge = _nudge(row)
                cur.execute("UPDATE initiatives SET claimed_by = ?, claimed_at = ? WHERE id = ? "
                            "AND claimed_at IS NULL", (claimer, now, nudge.id))
                if cur.rowcount != 1:
                    continue
                nudge.claimed_by, nudge.claimed_at = claimer, now
                claimed.append(nudge)
                if nudge.rrule:
                    self._schedule_next(cur, nudge, now)
        return claimed

    def _schedule_next(self, cur: Any, nudge: Nudge, now: float) -> None:
        try:
            following = next_occurrence(nudge.rrule, nudge.starts_at or nudge.due_at,
                                        max(nudge.due_at, now), nudge.tz)
        except (ValueError, TypeError) as exc:
            log.warning("nudge %s: cannot compute its next occurrence (%s)", nudge.id, exc)
            return
        if following is None:
            return  # the rule has run out (COUNT or UNTIL)
        cur.execute(
            "INSERT INTO initiatives(kind, text, source, ref, due_at, tz, rrule, starts_at, conversation_id, "
            "data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (nudge.kind, nudge.text, nudge.source, nudge.ref, following, nudge.tz, nudge.rrule,
             nudge.starts_at or nudge.due_at, nudge.conversation_id,
             json.dumps(nudge.data) if nudge.data else None, time.time()),
        )

    def mark_delivered(self, nudge_id: int, to: str) -> None:
        """Record where a claimed nudge was said ("terminal", "websocket×2", "voice", "missed")."""
        self._db.run("UPDATE initiatives SET delivered_at = ?, delivered_to = ? WHERE id = ?",
                     (time.time(), to, nudge_id))

    def release(self, nudge_id: int) -> None:
        """Give back a claimed nudge nobody could be told (it will be said when someone listens)."""
        self._db.run("UPDATE initiatives SET claimed_by = NULL, claimed_at = NULL WHERE id = ? "
                     "AND delivered_at IS NULL", (nudge_id,))

    def history(self, limit: int = 50) -> list[Nudge]:
        """What was said on OS1's own initiative, latest first."""
        rows = self._db.all(f"SELECT {_COLS} FROM initiatives WHERE delivered_at IS NOT NULL "
                            "ORDER BY delivered_at DESC, id DESC LIMIT ?", (limit,))
        return [_nudge(r) for r in rows]
