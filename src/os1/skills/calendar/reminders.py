"""Reminders and alarms: kept in ``calendar_reminders``, said through the initiative outbox.

Scheduling writes the reminder and one outbox nudge (``source="calendar"``, ``ref="reminder:<id>"``,
the zone it was given in, and its RFC 5545 rule when it repeats — the outbox schedules the next one as
each fires). Cancelling cancels every open nudge of the reminder and remembers which, so undo restores
exactly those. The text of a nudge is what OS1 will say ("It's nine o'clock — time to call Amy."); its
``data`` carries the task and a version to say when it comes late ("I was meant to remind you at 9 am…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from os1.initiative.outbox import Nudge, Outbox
from os1.skills.calendar import recurrence, speech, zones
from os1.skills.calendar.store import SOURCE, CalendarStore, ReminderRow
from os1.skills.calendar.when import When


@dataclass
class Pending:
    """A reminder that will still speak up, and when next."""

    row: ReminderRow
    next_at: float

    def due(self, zone: str) -> datetime:
        return datetime.fromtimestamp(self.next_at, ZoneInfo(self.row.tz or zone))


def _frequency(rule: str) -> str:
    match = re.search(r"FREQ=(\w+)", rule.upper())
    return match.group(1) if match else ""


def schedule(store: CalendarStore, outbox: Outbox, *, kind: str, task: str, phrase: str, when: When,
             conversation_id: str | None = None, uid: str | None = None) -> ReminderRow:
    """Keep the reminder and hand its first moment to the outbox."""
    due = when.start
    said = speech.reminder_text(task, due, kind=kind, after=when.after, repeating=_frequency(when.rrule))
    row = store.add_reminder(kind=kind, task=task, said=said, phrase=phrase, due_at=due.timestamp(),
                             tz=when.zone, rrule=when.rrule, conversation_id=conversation_id, uid=uid)
    _nudge(outbox, row, due)
    return row


def _nudge(outbox: Outbox, row: ReminderRow, due: datetime) -> Nudge:
    return outbox.schedule(due, row.said, kind="alarm" if row.kind == "alarm" else "reminder", source=SOURCE,
                           ref=row.ref, tz=row.tz, rrule=row.rrule, conversation_id=row.conversation_id,
                           data={"reminder_id": row.id, "task": row.task,
                                 "late_text": speech.late_text(row.task, due, row.kind)})


def open_nudges(outbox: Outbox, row: ReminderRow) -> list[Nudge]:
    return [n for n in outbox.by_ref(SOURCE, row.ref) if n.claimed_at is None and n.cancelled_at is None]


def pending(store: CalendarStore, outbox: Outbox,
            kinds: tuple[str, ...] = ("reminder", "alarm")) -> list[Pending]:
    """Reminders that will still speak up, soonest first."""
    out = []
    for row in store.reminders(kinds=kinds):
        nudges = open_nudges(outbox, row)
        if nudges:
            out.append(Pending(row, min(n.due_at for n in nudges)))
    return sorted(out, key=lambda p: (p.next_at, p.row.id))


def cancel(store: CalendarStore, outbox: Outbox, row: ReminderRow) -> list[int]:
    """Cancel a reminder and every nudge of it not yet said; returns those nudges' ids (for undo)."""
    cancelled = [n.id for n in open_nudges(outbox, row) if outbox.cancel(n.id)]
    store.cancel_reminder(row.id)
    return cancelled


def restore(store: CalendarStore, outbox: Outbox, reminder_id: int,
            nudge_ids: list[int]) -> ReminderRow | None:
    """Undo :func:`cancel`: the same nudges come back (or, if none can, the next one is scheduled again)."""
    row = store.reminder(reminder_id)
    if row is None:
        return None
    store.uncancel_reminder(reminder_id)
    restored = [i for i in nudge_ids if outbox.restore(i)]
    if not restored and not open_nudges(outbox, row):
        zone = ZoneInfo(row.tz or "UTC")
        due = datetime.fromtimestamp(row.due_at, zone)
        if row.rrule:
            from os1.initiative.outbox import next_occurrence

            following = next_occurrence(row.rrule, row.due_at, zones.now_in(zone.key).timestamp(), row.tz)
            due = datetime.fromtimestamp(following, zone) if following else due
        if due.timestamp() > zones.now_in(zone.key).timestamp():
            _nudge(outbox, row, due)
    return store.reminder(reminder_id)


def forget(store: CalendarStore, outbox: Outbox, reminder_id: int) -> ReminderRow | None:
    """Undo a new reminder: cancel it (it stays in the table, cancelled)."""
    row = store.reminder(reminder_id)
    if row is not None:
        cancel(store, outbox, row)
    return row


# -- finding one ---------------------------------------------------------------------------------------------
@dataclass
class CancelRequest:
    topic: str  # what it is about ("Amy", "7 am", "tomorrow"), "" for "my reminder"
    alarms_only: bool
    everything: bool


_CANCEL_WORDS = re.compile(
    r"\b(cancel|delete|remove|turn off|switch off|clear|drop|scrap|forget|get rid of|kill|i don'?t need|"
    r"no need (for|to)|no more|don'?t|do not|remind me|wake me( up)?|the|my|that|this|those|these|all|of|"
    r"reminders?|alarms?|about|for|to|called|any ?more|set|please|one)\b", re.I)


def what_to_cancel(request: str) -> CancelRequest:
    """"cancel all my alarms", "cancel the reminder about Amy", "turn off the 7 am alarm" → what it names."""
    low = request.lower()
    alarms_only = bool(re.search(r"\b(alarms?|wake)\b", low)) and not re.search(r"\breminders?\b", low)
    everything = bool(re.search(r"\ball\b", low))
    topic = " ".join(_CANCEL_WORDS.sub(" ", request).split()).strip(" ,.!?")
    return CancelRequest(topic, alarms_only, everything)


def find(items: list[Pending], words: str, zone: str, now: datetime) -> list[Pending]:
    """The reminders ``words`` point at ("the reminder about Amy", "the 9 o'clock one"), best first."""
    from rapidfuzz import fuzz

    text = re.sub(r"\b(the|my|a|an|one|reminder|reminders|about|for|to|that|on|at|please)\b", " ",
                  words.lower())
    text = " ".join(text.split())
    if not items:
        return []
    if re.fullmatch(r"(alarm|alarms|wake ?up( call)?)?", text or "alarm") and "alarm" in words.lower():
        return [p for p in items if p.row.kind == "alarm"]
    clock = _clock_words(text)
    if clock is not None:
        at = [p for p in items if (p.due(zone).hour % 12, p.due(zone).minute) == (clock[0] % 12, clock[1])]
        if at:
            return at
    if not text:
        return items
    scored = []
    for item in items:
        label = f"{item.row.task} {item.row.phrase}".lower()
        score = max(fuzz.token_set_ratio(text, item.row.task.lower()), fuzz.partial_ratio(text, label))
        scored.append((score, item))
    best = max(s for s, _ in scored)
    if best < 70:
        return []
    return [item for score, item in sorted(scored, key=lambda p: -p[0]) if score >= best - 5]


def _clock_words(text: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(?:o'?clock|am|pm)?( one)?", text.strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or 0)


# -- iCalendar -----------------------------------------------------------------------------------------------
def as_todos(store: CalendarStore) -> list[Any]:
    """The user's reminders and alarms still to come, as VTODOs with an alarm (for export)."""
    out = []
    now = zones.now_in("UTC").timestamp()
    for row in store.reminders(kinds=("reminder", "alarm")):
        if not row.rrule and row.due_at < now:
            continue
        todo = icalendar.Todo()
        todo.add("UID", row.uid)
        todo.add("SUMMARY", row.task or ("Alarm" if row.kind == "alarm" else "Reminder"))
        due = datetime.fromtimestamp(row.due_at, ZoneInfo(row.tz or "UTC"))
        todo.add("DTSTART", due)
        todo.add("DUE", due)
        if row.rrule:
            todo.add("RRULE", icalendar.vRecur.from_ical(row.rrule))
        todo.add("X-OS1-KIND", row.kind)
        if row.phrase:
            todo.add("DESCRIPTION", row.phrase)
        alarm = icalendar.Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", timedelta(0))
        alarm.add("DESCRIPTION", row.said)
        todo.add_component(alarm)
        out.append(todo)
    return out


def import_reminder(store: CalendarStore, component: Any, kind: str, user_zone: str, now: datetime) -> bool:
    """A reminder OS1 exported (a VTODO marked X-OS1-KIND) comes back as a reminder; True if kept."""
    uid = str(component.get("UID") or "")
    due_prop = component.get("DUE") or component.get("DTSTART")
    if not uid or due_prop is None or not isinstance(due_prop.dt, datetime):
        return False
    due = due_prop.dt if due_prop.dt.tzinfo else due_prop.dt.replace(tzinfo=ZoneInfo(user_zone))
    rule = component["RRULE"].to_ical().decode() if "RRULE" in component else ""
    if rule and not recurrence.valid(rule):
        rule = ""
    zone = str(getattr(due.tzinfo, "key", "") or user_zone)
    if rule:
        from os1.initiative.outbox import next_occurrence

        if due <= now:
            following = next_occurrence(rule, due.timestamp(), now.timestamp(), zone)
            if following is None:
                return False
            due = datetime.fromtimestamp(following, ZoneInfo(zone))
    elif due <= now:
        return False
    existing = store.reminder_by_uid(uid)
    task = str(component.get("SUMMARY") or "")
    if task in ("Alarm", "Reminder"):
        task = ""
    if existing is not None:
        outbox = Outbox(store.db)
        if existing.cancelled_at is None and existing.rrule == rule and any(
                abs(n.due_at - due.timestamp()) < 1 for n in open_nudges(outbox, existing)):
            return True  # already here, unchanged
        cancel(store, outbox, existing)
        store.uncancel_reminder(existing.id)
        store.update_reminder(existing.id, due_at=due.timestamp(), rrule=rule, tz=zone, task=task)
        row = store.reminder(existing.id)
        assert row is not None
        _nudge(outbox, row, due)
        return True
    when = When(start=due.astimezone(ZoneInfo(zone)), zone=zone, rrule=rule)
    phrase = str(component.get("DESCRIPTION") or "")
    schedule(store, Outbox(store.db), kind=kind, task=task, phrase=phrase, when=when, uid=uid)
    return True
