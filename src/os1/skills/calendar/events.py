"""Events the user says ("lunch with Amy on Friday at 1"): written as iCalendar, found again, removed.

A said event is stored like an imported one (a VEVENT in ``calendar_events.ical``), so the agenda,
export and alerts treat both the same. By default it gets an alert 15 minutes before ("without a
reminder" leaves it out). Removing is soft and silences its alerts; undo brings both back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from os1.skills.calendar import alarms, zones
from os1.skills.calendar.ics import PRODID, span_of_component
from os1.skills.calendar.store import CalendarStore, EventRow, new_uid
from os1.skills.calendar.when import EVENT_LENGTH, When

DEFAULT_ALERT = timedelta(minutes=15)
_NO_ALERT = re.compile(r"\b(?:with\s*out|with no|no)\s+(?:a\s+|an\s+)?"
                       r"(?:reminder|alert|alarm|notification)s?\b", re.I)


def wants_alert(phrase: str) -> bool:
    return not _NO_ALERT.search(phrase)


def strip_alert_words(title: str) -> str:
    return " ".join(_NO_ALERT.sub("", title).split()).strip(" ,")


def add(store: CalendarStore, *, title: str, when: When, phrase: str, user_zone: str,
        alert: timedelta | None = DEFAULT_ALERT, now: datetime | None = None) -> EventRow:
    """Write the event, schedule its alert, and return it."""
    event = icalendar.Event()
    uid = new_uid()
    event.add("UID", uid)
    event.add("SUMMARY", title)
    event.add("DTSTAMP", datetime.now(ZoneInfo("UTC")))
    if when.all_day:
        day = when.start.date()
        event.add("DTSTART", day)
        event.add("DTEND", day + timedelta(days=1))
    else:
        event.add("DTSTART", when.start)
        event.add("DTEND", when.end or when.start + EVENT_LENGTH)
    if when.rrule:
        event.add("RRULE", icalendar.vRecur.from_ical(when.rrule))
    if phrase:
        event.add("X-OS1-SAID", phrase)
    if alert is not None and not when.all_day:
        reminder = icalendar.Alarm()
        reminder.add("ACTION", "DISPLAY")
        reminder.add("TRIGGER", -alert)
        reminder.add("DESCRIPTION", title)
        event.add_component(reminder)
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add_component(event)
    starts_at, ends_at, all_day = span_of_component(event, user_zone)
    row, _status = store.save_event({
        "uid": uid, "kind": "event", "summary": title, "location": "", "starts_at": starts_at,
        "ends_at": ends_at,
        "all_day": int(all_day), "tz": "" if when.all_day else when.zone, "rrule": when.rrule,
        "has_alarms": int(alert is not None and not when.all_day), "ical": calendar.to_ical().decode("utf-8"),
        "origin": "said", "notes": "; ".join(when.notes)})
    alarms.refresh_event(store, row, now or zones.now_in(user_zone), user_zone)
    return row


def remove(store: CalendarStore, uid: str) -> list[int]:
    """Remove an event (softly) and silence its alerts; returns the silenced nudge ids."""
    silenced = alarms.silence_event(store, uid)
    store.delete_event(uid)
    return silenced


def restore(store: CalendarStore, uid: str, user_zone: str) -> EventRow | None:
    store.undelete_event(uid)
    row = store.event_by_uid(uid)
    if row is not None:
        alarms.refresh_event(store, row, zones.now_in(user_zone), user_zone)
    return row


@dataclass
class Found:
    row: EventRow
    next_start: datetime | None  # its next occurrence from now (None: undated or over)


def find(store: CalendarStore, words: str, now: datetime, zone: str,
         day: datetime | None = None) -> list[Found]:
    """Upcoming events whose title fits ``words`` (on ``day`` if given), best first."""
    from rapidfuzz import fuzz

    from os1.skills.calendar.agenda import event_items

    start = day.replace(hour=0, minute=0, second=0, microsecond=0) if day else now
    end = start + timedelta(days=1 if day else 366)
    upcoming = event_items(store, start, end, zone)
    firsts: dict[str, datetime] = {}
    for item in upcoming:
        firsts.setdefault(item.ref, item.start)
    text = " ".join(re.sub(r"\b(the|my|our|a|an|event|appointment|meeting with|on|at|this|next|from|"
                           r"calendar|agenda)\b", " ", words.lower()).split())
    scored: list[tuple[float, Found]] = []
    for uid, first in firsts.items():
        row = store.event_by_uid(uid)
        if row is None:
            continue
        title = row.summary.lower()
        score = 100.0 if not text else max(fuzz.token_set_ratio(text, title), fuzz.partial_ratio(text, title))
        if score >= 70:
            scored.append((score, Found(row, first)))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    return [f for s, f in sorted(scored, key=lambda p: (-p[0], p[1].next_start or now)) if s >= best - 5]
