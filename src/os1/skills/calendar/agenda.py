"""The agenda: events (repeats expanded by recurring-ical-events) and reminders, merged, said briefly.

"What's on today?" → "Today: 1 pm lunch with Amy (at Café Rose), 3 pm dentist. I'll also remind you at
6 pm to call Mom." Today starts from now (what is over is not read out); a week is grouped by day; a
long list stops after a few items and says how many more there are.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from os1.skills.calendar import speech
from os1.skills.calendar.reminders import pending
from os1.skills.calendar.store import CalendarStore
from os1.skills.calendar.when import parse

log = logging.getLogger(__name__)
MAX_SAID = 8
MAX_REPEATS = 200


@dataclass
class Item:
    start: datetime  # in the user's zone
    end: datetime | None
    all_day: bool
    title: str
    location: str = ""
    kind: str = "event"  # event | task | reminder | alarm
    ref: str = ""


@dataclass
class Window:
    start: datetime
    end: datetime
    label: str  # "today", "tomorrow", "this week", "Friday"

    @property
    def days(self) -> int:
        return max(1, round((self.end - self.start).total_seconds() / 86400))


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def window_of(text: str, now: datetime, zone: str) -> Window:
    """The stretch of time a question asks about ("today", "this week", "on Friday"); today by default."""
    where = ZoneInfo(zone)
    now = now.astimezone(where)
    today = now.date()
    low = text.lower()
    if match := re.search(r"\b(?:next|coming)\s+(\d+|few|couple of)\s+days\b", low):
        count = {"few": 3, "couple of": 2}.get(match.group(1)) or int(match.group(1))
        return Window(now, _midnight(today + timedelta(days=count), where), f"the next {count} days")
    if re.search(r"\b(coming up|upcoming|next few days)\b", low):
        return Window(now, _midnight(today + timedelta(days=7), where), "the coming week")
    if re.search(r"\bnext week\b", low):
        monday = today + timedelta(days=7 - today.weekday())
        return Window(_midnight(monday, where), _midnight(monday + timedelta(days=7), where), "next week")
    if re.search(r"\b(this|the)?\s*week\b", low):
        monday = today + timedelta(days=7 - today.weekday())
        return Window(now, _midnight(monday, where), "this week")
    if re.search(r"\bweekend\b", low):
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:
            saturday = today - timedelta(days=1)
        if re.search(r"\bnext weekend\b", low) and today.weekday() < 5:
            saturday += timedelta(days=7)
        start = max(now, _midnight(saturday, where))
        return Window(start, _midnight(saturday + timedelta(days=2), where), "this weekend")
    if re.search(r"\b(this|the)\s+month\b", low):
        return Window(now, _midnight(today + relativedelta(months=1, day=1), where), "this month")
    parsed = parse(text, now, zone, "event")
    day = None
    if parsed.when is not None:
        day = parsed.when.start.astimezone(where).date()
    elif parsed.question is not None:
        day = parsed.question.options[0].when.start.astimezone(where).date()
    if day is None or day == today:
        return Window(now, _midnight(today + timedelta(days=1), where), "today")
    label = speech.day(day, today)
    return Window(_midnight(day, where), _midnight(day + timedelta(days=1), where), label)


def _local(value: object, zone: ZoneInfo) -> tuple[datetime, bool]:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(zone), False
    assert isinstance(value, date)
    return _midnight(value, zone), True


def event_items(store: CalendarStore, start: datetime, end: datetime, zone: str) -> list[Item]:
    where = ZoneInfo(zone)
    out: list[Item] = []
    for row in store.events_between(start.timestamp() - 86400, end.timestamp() + 86400):
        try:
            calendar = icalendar.Calendar.from_ical(row.ical)
            query = recurring_ical_events.of(calendar, components=["VEVENT", "VTODO"], skip_bad_series=True)
            occurrences = list(query.between(start, end))
        except Exception as exc:  # one event the library cannot expand must not hide the others
            log.warning("agenda: cannot expand %s: %s", row.uid, exc)
            continue
        for occurrence in occurrences:
            if str(occurrence.get("STATUS", "")).upper() == "CANCELLED":
                continue
            begins = occurrence.get("DTSTART") or occurrence.get("DUE")
            if begins is None:
                continue
            begin, all_day = _local(begins.dt, where)
            ends = occurrence.get("DTEND")
            finish = _local(ends.dt, where)[0] if ends is not None else None
            if (finish or begin + timedelta(days=1 if all_day else 0)) < start and not all_day:
                continue
            if all_day and begin + timedelta(days=1) <= start:
                continue
            title = str(occurrence.get("SUMMARY") or row.summary or "(no title)").strip()
            out.append(Item(begin, finish, all_day, title, str(occurrence.get("LOCATION") or "").strip(),
                            "task" if occurrence.name == "VTODO" else "event", row.uid))
    return out


def reminder_items(store: CalendarStore, start: datetime, end: datetime, zone: str) -> list[Item]:
    from os1.initiative.outbox import Outbox

    where = ZoneInfo(zone)
    out: list[Item] = []
    for item in pending(store, Outbox(store.db)):
        row = item.row
        title = row.task or ("your alarm" if row.kind == "alarm" else "a reminder")
        moments: list[datetime] = []
        first = datetime.fromtimestamp(item.next_at, ZoneInfo(row.tz or zone))
        if row.rrule:
            try:
                rules = rrulestr(row.rrule, dtstart=first.replace(tzinfo=None), forceset=True)
                wall_end = end.astimezone(first.tzinfo).replace(tzinfo=None)
                for moment in rules.xafter(first.replace(tzinfo=None), count=MAX_REPEATS, inc=True):
                    if moment >= wall_end:
                        break
                    moments.append(moment.replace(tzinfo=first.tzinfo))
            except (ValueError, TypeError) as exc:
                log.warning("agenda: reminder %s: %s", row.id, exc)
                moments = [first]
        else:
            moments = [first]
        for moment in moments:
            local = moment.astimezone(where)
            if start <= local < end:
                out.append(Item(local, None, False, title, kind=row.kind, ref=row.ref))
    return out


def items(store: CalendarStore, window: Window, zone: str) -> list[Item]:
    found = event_items(store, window.start, window.end, zone)
    found += reminder_items(store, window.start, window.end, zone)
    return sorted(found, key=lambda i: (i.start.date(), not i.all_day, i.start, i.title))


def _line(item: Item) -> str:
    where = f" ({item.location})" if item.location else ""
    if item.all_day:
        return f"all day: {item.title}{where}" if item.kind == "event" else f"due: {item.title}"
    at = speech.clock(item.start)
    if item.kind == "alarm":
        return f"{at}: your alarm" + (f" ({speech.your(item.title)})" if item.title != "your alarm" else "")
    if item.kind == "reminder":
        return f"{at}: {speech.task_clause(item.title).replace('time to ', 'reminder to ', 1)}"
    if item.kind == "task":
        return f"{at}: due: {item.title}"
    return f"{at}: {item.title}{where}"


def say(found: list[Item], window: Window, now: datetime) -> str:
    """The agenda in a few short sentences."""
    label = window.label
    head = label[0].upper() + label[1:]
    if not found:
        if label == "today":
            return "Nothing else on your calendar today."
        span = label if label.startswith(("this", "next", "the")) else f"for {label}"
        return f"Nothing on your calendar {span}."
    shown = found[:MAX_SAID]
    more = len(found) - len(shown)
    if window.days <= 1 and len({i.start.date() for i in found}) == 1:
        text = f"{head}: " + "; ".join(_line(i) for i in shown) + "."
    else:
        days: dict[date, list[Item]] = {}
        for item in shown:
            days.setdefault(item.start.date(), []).append(item)
        parts = []
        for day, day_items in days.items():
            name = speech.day(day, now.date())
            parts.append(f"{name[0].upper() + name[1:]} — " + "; ".join(_line(i) for i in day_items))
        text = f"{head}: " + ". ".join(parts) + "."
    if more:
        text += f" And {more} more."
    return text
